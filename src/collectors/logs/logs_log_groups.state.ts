import { arr } from "../../state/fields.js";
import { logGroupFields, metricFilterFields } from "../../state/parse.js";
import { METRIC_FILTERS, snapshotAdapter } from "../../state/snapshots.js";
import type { MetricFilterState } from "../../state/types.js";

/** Log groups (retention, encryption) and the metric filters the security monitoring aggregate reads. */
export const state = snapshotAdapter(["logs_log_group", METRIC_FILTERS], (r) => {
  const { base, observe } = r;
  for (const g of arr(r.record.payload, "logGroups")) {
    const f = logGroupFields(g);
    if (!f.name) continue;
    observe("logs_log_group", f.name, {
      ...base,
      id: f.name,
      name: f.name,
      arn: f.arn,
      retentionInDays: f.retentionInDays,
      kmsKeyId: f.kmsKeyId,
      deliveredBy: [],
    });
  }
  for (const mf of arr(r.record.payload, "metricFilters")) {
    const f = metricFilterFields(mf);
    const key = `${f.logGroupName}:${f.name}`;
    observe<MetricFilterState>(METRIC_FILTERS, key, { ...base, id: key, ...f });
  }
});
