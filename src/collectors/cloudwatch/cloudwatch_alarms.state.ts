import { arr } from "../../state/fields.js";
import { alarmFields } from "../../state/parse.js";
import { ALARMS, snapshotAdapter } from "../../state/snapshots.js";
import type { AlarmState } from "../../state/types.js";

/** Metric alarms, for the security monitoring aggregate (filter -> metric -> alarm with actions). */
export const state = snapshotAdapter([ALARMS], (r) => {
  for (const a of arr(r.record.payload, "metricAlarms")) {
    const f = alarmFields(a);
    r.observe<AlarmState>(ALARMS, f.name, { ...r.base, id: f.name, ...f });
  }
});
