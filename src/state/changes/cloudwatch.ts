import { bool, str, strings } from "../fields.js";
import { ALARMS } from "../snapshots.js";
import type { AlarmState } from "../types.js";
import { withKnown } from "../unknown.js";
import type { ActivityEvent, AnyEffect, Effect, EventRule } from "./types.js";

/** CloudWatch metric alarms (one event may name several). */
const SOURCE = "monitoring.amazonaws.com";
const ALARM_KIND = ALARMS;
const SETTINGS = ["actionsEnabled", "alarmActions", "metricName", "namespace"] as const;

function toggle(e: ActivityEvent, actionsEnabled: boolean): AnyEffect[] {
  return strings(e.params, "alarmNames").map(
    (key): Effect<AlarmState> => ({
      kind: ALARM_KIND,
      key,
      op: "toggle",
      fields: ["actionsEnabled"],
      apply: (s) => withKnown({ ...s, actionsEnabled }, ["actionsEnabled"]),
      reverse: (s) => withKnown({ ...s, actionsEnabled: !actionsEnabled }, ["actionsEnabled"]),
    }),
  );
}

export const CLOUDWATCH_RULES: EventRule[] = [
  {
    // Creates the alarm or replaces its whole definition (ActionsEnabled defaults to true).
    name: "PutMetricAlarm",
    source: SOURCE,
    changes: { [ALARM_KIND]: ["*", ...SETTINGS] },
    effects: (e) => {
      const key = str(e.params, "alarmName");
      if (!key) return [];
      const values: Partial<AlarmState> = {
        actionsEnabled: bool(e.params, "actionsEnabled") ?? true,
        alarmActions: strings(e.params, "alarmActions"),
        metricName: str(e.params, "metricName"),
        namespace: str(e.params, "namespace"),
      };
      const effect: Effect<AlarmState> = {
        kind: ALARM_KIND,
        key,
        op: "set",
        fields: SETTINGS,
        name: key,
        apply: (s) => withKnown({ ...s, ...values }, SETTINGS),
      };
      return [effect];
    },
  },
  {
    name: "DeleteAlarms",
    source: SOURCE,
    changes: { [ALARM_KIND]: ["*"] },
    effects: (e) =>
      strings(e.params, "alarmNames").map((key) => ({ kind: ALARM_KIND, key, op: "delete", fields: [] })),
  },
  {
    name: "EnableAlarmActions",
    source: SOURCE,
    changes: { [ALARM_KIND]: ["actionsEnabled"] },
    effects: (e) => toggle(e, true),
  },
  {
    name: "DisableAlarmActions",
    source: SOURCE,
    changes: { [ALARM_KIND]: ["actionsEnabled"] },
    effects: (e) => toggle(e, false),
  },
];
