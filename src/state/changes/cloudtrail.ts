import { bool, field, type Json, str, trailArn } from "../fields.js";
import { managementEventsOf } from "../parse.js";
import type { TrailState } from "../types.js";
import { withKnown, withUnknown } from "../unknown.js";
import type { ActivityEvent, AnyEffect, Effect, EventRule } from "./types.js";

/** CloudTrail trails. A trail's events are recorded in its home region (also for multi-region trails). */
const SOURCE = "cloudtrail.amazonaws.com";
const TRAIL = "cloudtrail_trail";
const SETTINGS = [
  "isMultiRegion",
  "includeGlobalServiceEvents",
  "logFileValidation",
  "kmsKeyId",
  "cloudWatchLogsLogGroupArn",
] as const;

/** CreateTrail / UpdateTrail parameters: UpdateTrail changes only what it names. */
function settings(params: Json): Partial<TrailState> {
  const out: Partial<TrailState> = {};
  const flag = (name: string) => bool(params, name);
  if (flag("isMultiRegionTrail") !== undefined) out.isMultiRegion = flag("isMultiRegionTrail");
  if (flag("includeGlobalServiceEvents") !== undefined)
    out.includeGlobalServiceEvents = flag("includeGlobalServiceEvents");
  if (flag("enableLogFileValidation") !== undefined) out.logFileValidation = flag("enableLogFileValidation");
  // An empty string removes the setting.
  const kms = field(params, "kmsKeyId");
  if (typeof kms === "string") out.kmsKeyId = kms === "" ? undefined : kms;
  const group = field(params, "cloudWatchLogsLogGroupArn");
  if (typeof group === "string") out.cloudWatchLogsLogGroupArn = group === "" ? undefined : group;
  return out;
}

const target = (e: ActivityEvent, member: string): string | undefined => {
  const name = str(e.params, member) ?? str(e.response, "trailARN");
  return name ? trailArn(e.account, e.region, name) : undefined;
};

function logging(e: ActivityEvent, isLogging: boolean): AnyEffect[] {
  const key = target(e, "name");
  if (!key) return [];
  const effect: Effect<TrailState> = {
    kind: TRAIL,
    key,
    op: "toggle",
    fields: ["isLogging"],
    apply: (s) => withKnown({ ...s, isLogging, loggingSource: "event" }, ["isLogging", "loggingSource"]),
    reverse: (s) =>
      withKnown({ ...s, isLogging: !isLogging, loggingSource: "event" }, ["isLogging", "loggingSource"]),
  };
  return [effect];
}

export const CLOUDTRAIL_RULES: EventRule[] = [
  {
    name: "CreateTrail",
    source: SOURCE,
    changes: { [TRAIL]: ["*", ...SETTINGS, "homeRegion", "isLogging", "managementEvents"] },
    effects: (e) => {
      const key = target(e, "name");
      if (!key) return [];
      const values = settings(e.params);
      const effect: Effect<TrailState> = {
        kind: TRAIL,
        key,
        op: "create",
        fields: [...SETTINGS, "homeRegion", "isLogging", "managementEvents"],
        name: str(e.params, "name"),
        // A new trail logs all management events and does not log until StartLogging.
        apply: (s) =>
          withKnown(
            {
              ...s,
              isMultiRegion: false,
              includeGlobalServiceEvents: true,
              logFileValidation: false,
              kmsKeyId: undefined,
              cloudWatchLogsLogGroupArn: undefined,
              ...values,
              homeRegion: e.region,
              isLogging: false,
              loggingSource: "event",
              managementEvents: { read: true, write: true, excludedSources: [] },
            },
            [...SETTINGS, "homeRegion", "isLogging", "loggingSource", "managementEvents"],
          ),
      };
      return [effect];
    },
  },
  {
    name: "UpdateTrail",
    source: SOURCE,
    changes: { [TRAIL]: SETTINGS },
    effects: (e) => {
      const key = target(e, "name");
      if (!key) return [];
      const values = settings(e.params);
      const given = Object.keys(values);
      // Before an UpdateTrail only what it changed is unknown.
      const effect: Effect<TrailState> = {
        kind: TRAIL,
        key,
        op: "set",
        fields: given,
        apply: (s) => withKnown({ ...s, ...values }, given),
      };
      return [effect];
    },
  },
  {
    name: "DeleteTrail",
    source: SOURCE,
    changes: { [TRAIL]: ["*"] },
    effects: (e) => {
      const key = target(e, "name");
      return key ? [{ kind: TRAIL, key, op: "delete", fields: [] }] : [];
    },
  },
  {
    name: "StartLogging",
    source: SOURCE,
    changes: { [TRAIL]: ["isLogging"] },
    effects: (e) => logging(e, true),
  },
  {
    name: "StopLogging",
    source: SOURCE,
    changes: { [TRAIL]: ["isLogging"] },
    effects: (e) => logging(e, false),
  },
  {
    name: "PutEventSelectors",
    source: SOURCE,
    changes: { [TRAIL]: ["managementEvents"] },
    effects: (e) => {
      const key = target(e, "trailName");
      if (!key) return [];
      const managementEvents = managementEventsOf(e.params);
      const effect: Effect<TrailState> = {
        kind: TRAIL,
        key,
        op: "set",
        fields: ["managementEvents"],
        apply: (s) =>
          managementEvents
            ? withKnown({ ...s, managementEvents }, ["managementEvents"])
            : withUnknown(s, ["managementEvents"]),
      };
      return [effect];
    },
  },
  {
    // Insights selectors change no setting auditpack evaluates; queried so the record is complete.
    name: "PutInsightSelectors",
    source: SOURCE,
    changes: { [TRAIL]: [] },
    effects: () => [],
  },
];
