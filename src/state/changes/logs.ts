import { arr, type Json, num, str } from "../fields.js";
import { metricFilterFields } from "../parse.js";
import { METRIC_FILTERS } from "../snapshots.js";
import type { LogGroupState, MetricFilterState } from "../types.js";
import { withKnown } from "../unknown.js";
import type { ActivityEvent, AnyEffect, Effect, EventRule } from "./types.js";

/** CloudWatch Logs log groups and metric filters. */
const SOURCE = "logs.amazonaws.com";
const GROUP = "logs_log_group";
const METRIC_FILTER_KIND = METRIC_FILTERS;

function onGroup(
  e: ActivityEvent,
  op: "set" | "create",
  fields: readonly (keyof LogGroupState & string)[],
  values: (params: Json) => Partial<LogGroupState>,
): AnyEffect[] {
  const key = str(e.params, "logGroupName");
  if (!key) return [];
  const effect: Effect<LogGroupState> = {
    kind: GROUP,
    key,
    op,
    fields,
    name: key,
    apply: (s) => withKnown({ ...s, ...values(e.params) }, fields),
  };
  return [effect];
}

export const LOGS_RULES: EventRule[] = [
  {
    name: "CreateLogGroup",
    source: SOURCE,
    changes: { [GROUP]: ["*", "retentionInDays", "kmsKeyId"] },
    // A new log group never expires until a retention policy is put.
    effects: (e) =>
      onGroup(e, "create", ["retentionInDays", "kmsKeyId"], (p) => ({
        retentionInDays: undefined,
        kmsKeyId: str(p, "kmsKeyId"),
      })),
  },
  {
    name: "DeleteLogGroup",
    source: SOURCE,
    changes: { [GROUP]: ["*"] },
    effects: (e) => {
      const key = str(e.params, "logGroupName");
      return key ? [{ kind: GROUP, key, op: "delete", fields: [] }] : [];
    },
  },
  {
    name: "PutRetentionPolicy",
    source: SOURCE,
    changes: { [GROUP]: ["retentionInDays"] },
    effects: (e) =>
      onGroup(e, "set", ["retentionInDays"], (p) => ({ retentionInDays: num(p, "retentionInDays") })),
  },
  {
    name: "DeleteRetentionPolicy",
    source: SOURCE,
    changes: { [GROUP]: ["retentionInDays"] },
    effects: (e) => onGroup(e, "set", ["retentionInDays"], () => ({ retentionInDays: undefined })),
  },
  {
    name: "AssociateKmsKey",
    source: SOURCE,
    changes: { [GROUP]: ["kmsKeyId"] },
    effects: (e) => onGroup(e, "set", ["kmsKeyId"], (p) => ({ kmsKeyId: str(p, "kmsKeyId") })),
  },
  {
    name: "DisassociateKmsKey",
    source: SOURCE,
    changes: { [GROUP]: ["kmsKeyId"] },
    effects: (e) => onGroup(e, "set", ["kmsKeyId"], () => ({ kmsKeyId: undefined })),
  },
  {
    // Creates the filter or replaces it: either way its whole definition is in the parameters.
    name: "PutMetricFilter",
    source: SOURCE,
    changes: { [METRIC_FILTER_KIND]: ["*", "filterPattern", "metrics", "logGroupName"] },
    effects: (e) => {
      const group = str(e.params, "logGroupName");
      const name = str(e.params, "filterName");
      if (!group || !name) return [];
      const f = metricFilterFields({
        ...e.params,
        metricTransformations: arr(e.params, "metricTransformations"),
      });
      const effect: Effect<MetricFilterState> = {
        kind: METRIC_FILTER_KIND,
        key: `${group}:${name}`,
        op: "set",
        fields: ["filterPattern", "metrics", "logGroupName"],
        name,
        apply: (s) => withKnown({ ...s, ...f }, ["filterPattern", "metrics", "logGroupName", "name"]),
      };
      return [effect];
    },
  },
  {
    name: "DeleteMetricFilter",
    source: SOURCE,
    changes: { [METRIC_FILTER_KIND]: ["*"] },
    effects: (e) => {
      const group = str(e.params, "logGroupName");
      const name = str(e.params, "filterName");
      return group && name
        ? [{ kind: METRIC_FILTER_KIND, key: `${group}:${name}`, op: "delete", fields: [] }]
        : [];
    },
  },
];
