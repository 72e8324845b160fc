import { activityCollectorIds, historyCollectorIds, timelineCollectorIds } from "../collectors/registry.js";
import { mergeSpans } from "../state/activity.js";
import type { LoadedRecord } from "../state/build.js";
import { isoSeconds } from "./period.js";
import type { CoverageEntry } from "./types.js";

/** LookupEvents keeps 90 days of management events. */
const LOOKUP_DAYS = 90;

const spansOf = (records: LoadedRecord[], window: { start: number; end: number }) =>
  mergeSpans(
    records
      .filter((l) => l.record.period && !l.record.error)
      .map((l) => [Date.parse(l.record.period!.start), Date.parse(l.record.period!.end)] as [number, number]),
  )
    .map(([s, e]) => [Math.max(s, window.start), Math.min(e, window.end)] as [number, number])
    .filter(([s, e]) => s < e)
    .map(([s, e]) => ({ start: isoSeconds(s), end: isoSeconds(e) }));

/**
 * What the evidence can prove, per account and region (issue 10): from when each kind of evidence
 * covers the period, and why it stops where it does. A first run learns the past from CloudTrail's
 * 90 days and Config's timelines; snapshots start with the first collection.
 */
export function coverageOf(
  records: readonly LoadedRecord[],
  scope: { accounts: string[]; regions: string[] },
  window: { start: number; end: number },
): CoverageEntry[] {
  const out: CoverageEntry[] = [];
  for (const account of scope.accounts) {
    for (const region of scope.regions) {
      const here = records.filter((l) => l.record.account === account && l.record.region === region);
      const activity = here.filter((l) => activityCollectorIds.has(l.record.collector));
      const timeline = here.filter((l) => timelineCollectorIds.has(l.record.collector));
      const snapshots = here.filter((l) => !historyCollectorIds.has(l.record.collector));
      const times = snapshots.filter((l) => !l.record.error).map((l) => Date.parse(l.record.collectedAt));
      const failed = here.filter((l) => l.record.error).length;
      const activitySpans = spansOf(activity, window);
      const timelineSpans = spansOf(timeline, window);
      const types = [
        ...new Set(
          timeline
            .filter((l) => !l.record.error)
            .map((l) => (l.record.payload as { resourceType?: string }).resourceType)
            .filter((t): t is string => Boolean(t)),
        ),
      ].sort();
      const first = times.length ? Math.min(...times) : undefined;
      const entry: CoverageEntry = {
        account,
        region,
        snapshots: {
          count: times.length,
          ...(first !== undefined ? { first: isoSeconds(first), last: isoSeconds(Math.max(...times)) } : {}),
        },
        activity: activitySpans,
        configTimeline: { spans: timelineSpans, resourceTypes: types },
        failedRecords: failed,
        summary: "",
      };
      entry.summary = describe(entry, window);
      out.push(entry);
    }
  }
  return out;
}

function describe(c: CoverageEntry, window: { start: number; end: number }): string {
  const parts: string[] = [];
  const from = (spans: Array<{ start: string; end: string }>) =>
    spans.map((s) => `${s.start} to ${s.end}`).join(", ");
  if (c.snapshots.first && Date.parse(c.snapshots.first) > window.start)
    parts.push(
      `snapshots from ${c.snapshots.first} (auditpack's first collection: nothing earlier was collected; ${c.snapshots.count} records)`,
    );
  else if (c.snapshots.first)
    parts.push(`snapshots ${c.snapshots.first} to ${c.snapshots.last} (${c.snapshots.count} records)`);
  else parts.push("no snapshot in the period");
  if (c.activity.length) {
    const starts = Date.parse(c.activity[0]!.start);
    const why =
      starts > window.start ? ` (LookupEvents keeps ${LOOKUP_DAYS} days, or collection began then)` : "";
    parts.push(`CloudTrail activity ${from(c.activity)}${why}`);
  } else parts.push("no CloudTrail activity: changes between snapshots cannot be timed");
  if (c.configTimeline.spans.length)
    parts.push(
      `AWS Config timelines ${from(c.configTimeline.spans)} for ${c.configTimeline.resourceTypes.join(", ") || "no recorded resource"}`,
    );
  else parts.push("no AWS Config timeline (not recorded or not collected)");
  if (c.failedRecords) parts.push(`${c.failedRecords} record(s) hold a collection error`);
  return `${c.account}/${c.region}: ${parts.join("; ")}`;
}
