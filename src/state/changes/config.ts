import { field, str } from "../fields.js";
import { recordersOf } from "../parse.js";
import type { ConfigServiceState, RecorderState } from "../types.js";
import { withKnown, withUnknown } from "../unknown.js";
import type { ActivityEvent, AnyEffect, Effect, EventRule } from "./types.js";

/** AWS Config: recorders and delivery channels of one account and region, and rules. */
const SOURCE = "config.amazonaws.com";
const CONFIG = "config_service";
const RULES = "config_rule_evaluation";
const RECORDING_GROUP = [
  "allSupported",
  "includeGlobalResourceTypes",
  "resourceTypes",
  "strategy",
  "excludedResourceTypes",
] as const;

const serviceKey = (e: ActivityEvent) => `${e.account}/${e.region}`;

/** A change to one recorder: named, or (no name given) every recorder of the region. */
function onRecorder(
  e: ActivityEvent,
  name: string | undefined,
  change: (r: RecorderState) => RecorderState,
  op: "set" | "toggle",
  reverse?: (r: RecorderState) => RecorderState,
): AnyEffect[] {
  const map = (s: ConfigServiceState, f: (r: RecorderState) => RecorderState): ConfigServiceState => ({
    ...s,
    recorders: s.recorders.map((r) => (name === undefined || r.name === name ? f(r) : r)),
  });
  const effect: Effect<ConfigServiceState> = {
    kind: CONFIG,
    key: serviceKey(e),
    op,
    fields: ["recorders"],
    name: `AWS Config in ${serviceKey(e)}`,
    apply: (s) => map(s, change),
    reverse: reverse ? (s) => map(s, reverse) : undefined,
  };
  return [effect];
}

function recording(e: ActivityEvent, value: boolean): AnyEffect[] {
  const name = str(e.params, "configurationRecorderName");
  return onRecorder(
    e,
    name,
    (r) => withKnown({ ...r, recording: value }, ["recording"]),
    "toggle",
    (r) => withKnown({ ...r, recording: !value }, ["recording"]),
  );
}

export const CONFIG_RULES: EventRule[] = [
  {
    // Creates a recorder (not recording until started) or replaces its recording group.
    name: "PutConfigurationRecorder",
    source: SOURCE,
    changes: { [CONFIG]: ["recorders"] },
    effects: (e) => {
      const recorder = field(e.params, "configurationRecorder");
      const [parsed] = recordersOf({ recorders: [recorder] });
      if (!parsed) return [];
      const effect: Effect<ConfigServiceState> = {
        kind: CONFIG,
        key: serviceKey(e),
        op: "set",
        fields: ["recorders"],
        name: `AWS Config in ${serviceKey(e)}`,
        apply: (s) => {
          const existing = s.recorders.find((r) => r.name === parsed.name);
          const next: RecorderState = existing
            ? withKnown({ ...existing, ...parsed, recording: existing.recording }, RECORDING_GROUP)
            : withUnknown({ ...parsed, recording: false }, []);
          return { ...s, recorders: [...s.recorders.filter((r) => r.name !== parsed.name), next] };
        },
      };
      return [effect];
    },
  },
  {
    name: "DeleteConfigurationRecorder",
    source: SOURCE,
    changes: { [CONFIG]: ["recorders"] },
    effects: (e) => {
      const name = str(e.params, "configurationRecorderName");
      const effect: Effect<ConfigServiceState> = {
        kind: CONFIG,
        key: serviceKey(e),
        op: "set",
        fields: ["recorders"],
        apply: (s) => ({ ...s, recorders: s.recorders.filter((r) => name !== undefined && r.name !== name) }),
      };
      return [effect];
    },
  },
  {
    name: "StartConfigurationRecorder",
    source: SOURCE,
    changes: { [CONFIG]: ["recorders"] },
    effects: (e) => recording(e, true),
  },
  {
    name: "StopConfigurationRecorder",
    source: SOURCE,
    changes: { [CONFIG]: ["recorders"] },
    effects: (e) => recording(e, false),
  },
  {
    // A new or changed channel's delivery status is only known from the next status read.
    name: "PutDeliveryChannel",
    source: SOURCE,
    changes: { [CONFIG]: ["deliveryChannels"] },
    effects: (e) => [{ kind: CONFIG, key: serviceKey(e), op: "set", fields: ["deliveryChannels"] }],
  },
  {
    name: "DeleteDeliveryChannel",
    source: SOURCE,
    changes: { [CONFIG]: ["deliveryChannels"] },
    effects: (e) => {
      const name = str(e.params, "deliveryChannelName");
      const effect: Effect<ConfigServiceState> = {
        kind: CONFIG,
        key: serviceKey(e),
        op: "set",
        fields: ["deliveryChannels"],
        apply: (s) => ({ ...s, deliveryChannels: s.deliveryChannels.filter((c) => c.name !== name) }),
      };
      return [effect];
    },
  },
  // Rule evaluations are not reconstructed from activity (they change with the resources they
  // judge); the rule events are in the record so a reader sees when a rule was changed or removed.
  { name: "PutConfigRule", source: SOURCE, changes: { [RULES]: ["complianceType"] }, effects: () => [] },
  { name: "DeleteConfigRule", source: SOURCE, changes: { [RULES]: ["*"] }, effects: () => [] },
];
