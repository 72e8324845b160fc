import { CIS_FILTERS, CIS_NAMESPACE } from "./cis.js";
import { kmsKeyArn } from "./cloudtrail.js";
import type { LogGroupSpec, MetricFilterSpec, RegionSpec } from "./model.js";
import { arn } from "./model.js";
import type { Random } from "./prng.js";
import { ms } from "./time.js";
import { type Answer, paged, type ServiceFile } from "./types.js";

/** logs answers: DescribeLogGroups and DescribeMetricFilters (creationTime is epoch milliseconds here). */

export function logGroupType(
  group: LogGroupSpec,
  account: string,
  region: string,
  filterCount: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    logGroupName: group.name,
    creationTime: ms(group.created),
  };
  if (group.retentionDays !== undefined) out.retentionInDays = group.retentionDays;
  out.metricFilterCount = filterCount;
  out.arn = arn("logs", region, account, `log-group:${group.name}:*`);
  out.storedBytes = group.storedBytes;
  if (group.kms) out.kmsKeyId = kmsKeyArn(account, region, "logs");
  out.logGroupClass = "STANDARD";
  out.logGroupArn = arn("logs", region, account, `log-group:${group.name}`);
  out.deletionProtectionEnabled = group.name.includes("cloudtrail");
  return out;
}

export function metricFilterType(filter: MetricFilterSpec): Record<string, unknown> {
  const cis = CIS_FILTERS[filter.cis];
  if (!cis) throw new Error(`unknown CIS filter ${filter.cis}`);
  return {
    filterName: `cis-${filter.cis}`,
    filterPattern: cis.pattern,
    metricTransformations: [
      { metricName: cis.metric, metricNamespace: CIS_NAMESPACE, metricValue: "1", defaultValue: 0 },
    ],
    creationTime: ms(filter.created),
    logGroupName: filter.logGroup,
    applyOnTransformedLogs: false,
  };
}

export function logsFile(spec: RegionSpec, account: string, region: string, rng: Random): ServiceFile {
  const groups = [...spec.logGroups].sort((a, b) => a.name.localeCompare(b.name));
  const rendered = groups.map((g) =>
    logGroupType(g, account, region, spec.metricFilters.filter((f) => f.logGroup === g.name).length),
  );
  const filters = spec.metricFilters.map(metricFilterType);
  const tokens = () => rng.token();
  // Pages of 3 log groups and 6 filters, so collectors follow nextToken across several pages.
  const byGroup: Answer[] = groups
    .filter((g) => spec.metricFilters.some((f) => f.logGroup === g.name))
    .map((g) => ({
      params: { logGroupName: g.name, nextToken: null },
      response: { metricFilters: filters.filter((f) => f.logGroupName === g.name) },
    }));
  return {
    DescribeLogGroups: paged(
      rendered,
      3,
      tokens,
      (slice, next) => ({ logGroups: slice, ...(next ? { nextToken: next } : {}) }),
      {
        tokenParam: "nextToken",
      },
    ),
    DescribeMetricFilters: [
      ...byGroup,
      ...paged(
        filters,
        6,
        tokens,
        (slice, next) => ({ metricFilters: slice, ...(next ? { nextToken: next } : {}) }),
        {
          tokenParam: "nextToken",
        },
      ),
    ],
  };
}
