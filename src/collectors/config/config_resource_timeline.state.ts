import type { StateAdapter } from "../../state/adapter.js";
import { addConfigTimeline } from "../../state/config-items.js";
import type { Kind } from "../../state/history.js";
import { ALARMS } from "../../state/snapshots.js";

/** Kinds an error record of this collector leaves unknown for the window it read. */
const TIMELINE_KINDS: Kind[] = ["cognito_user_pool", "cloudtrail_trail", "logs_log_group", ALARMS];

/** Configuration items become changes over the window; an unreadable history makes its kinds ERROR. */
export const state: StateAdapter = {
  mode: "record",
  kinds: [],
  add(builder, { record, ref }) {
    if (!record.error) {
      addConfigTimeline(builder, record, ref);
      return;
    }
    const at = Date.parse(record.period?.start ?? record.collectedAt);
    const until = Date.parse(record.period?.end ?? record.collectedAt);
    for (const kind of TIMELINE_KINDS) {
      builder.mark(kind, record.account, record.region, {
        at,
        until: Math.max(until, at + 1000),
        kind: "error",
        error: { code: record.error.code, message: `Config history unreadable: ${record.error.message}` },
        evidence: [ref],
      });
    }
  },
};
