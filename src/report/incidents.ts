import type { EdgeEvent, EvidenceRef, FindingsView, StatusInterval } from "../evaluate/types.js";

/**
 * Incident cards and the root-cause view, pure over Findings.
 *
 * An incident is one failing stretch of one check on one resource: adjacent FAIL intervals merge
 * (a Config item 6 minutes after the CloudTrail event does not start a second incident), and the
 * reason shown is the one in force at the end of the stretch (the latest, not the first). Its edges
 * name the CloudTrail event and principal that began and ended it when the evidence has them, and
 * the evidence that proves each edge. The same stretch under several requirements is one incident
 * listing all of them.
 *
 * A problem is a check on a resource that failed at some point in the period, with every requirement
 * it affects: the list to fix, where the requirement view lists the same failure many times.
 */

export interface IncidentEdge {
  at: string;
  /** The CloudTrail event at this edge, with its principal. */
  event?: EdgeEvent;
  /** Evidence proving the edge: the records of the interval that begins there. */
  evidence: EvidenceRef[];
}

export interface Incident {
  checkId: string;
  resource: string;
  name?: string;
  account: string;
  region: string;
  severity?: string;
  start: IncidentEdge;
  /** Absent while still failing at the period's end (`open`). */
  end?: IncidentEdge;
  open: boolean;
  seconds: number;
  /** The reason in force at the end of the stretch. */
  reason: string;
  /** Requirement ids it affects, in catalog order. */
  requirements: string[];
  /** A waiver covers the finding (the failure is still shown). */
  waived: boolean;
}

export interface Problem {
  checkId: string;
  resource: string;
  name?: string;
  account: string;
  region: string;
  severity?: string;
  requirements: string[];
  incidents: number;
  failingSeconds: number;
  /** The latest failing reason. */
  reason: string;
  firstFailure: string;
  lastFailure: string;
  open: boolean;
}

export interface IncidentOptions {
  /** Severity of a check (from the check registry); omitted when unknown. */
  severityOf?: (checkId: string) => string | undefined;
}

/** Merge touching intervals of the same status; the merged reason is the latest one. */
export function mergeAdjacent(intervals: readonly StatusInterval[]): StatusInterval[] {
  const out: StatusInterval[] = [];
  for (const i of intervals) {
    const last = out[out.length - 1];
    if (last && last.status === i.status && last.end === i.start) {
      last.end = i.end;
      last.reason = i.reason;
      const keys = new Set(last.evidence.map((e) => e.key));
      last.evidence = [...last.evidence, ...i.evidence.filter((e) => !keys.has(e.key))];
    } else {
      out.push({ ...i, evidence: [...i.evidence], ...(i.startEvent ? { startEvent: i.startEvent } : {}) });
    }
  }
  return out;
}

const seconds = (start: string, end: string) => Math.round((Date.parse(end) - Date.parse(start)) / 1000);

/** Every failing stretch of the period as an incident card, earliest first. */
export function incidentsOf(findings: FindingsView, options: IncidentOptions = {}): Incident[] {
  const byKey = new Map<string, Incident>();
  const periodEnd = findings.period.end;
  for (const r of findings.requirements) {
    for (const c of r.checks) {
      const params = JSON.stringify(c.parameters ?? {});
      for (const f of c.findings) {
        // The raw intervals (before merging) keep the event of each piece; the merged one starts with the first.
        const merged = mergeAdjacent(f.intervals);
        merged.forEach((interval, index) => {
          if (interval.status !== "FAIL") return;
          const key = `${c.id}|${params}|${f.resource}|${interval.start}|${interval.end}`;
          const existing = byKey.get(key);
          if (existing) {
            if (!existing.requirements.includes(r.id)) existing.requirements.push(r.id);
            return;
          }
          const next = merged[index + 1];
          const open = next === undefined && interval.end >= periodEnd;
          const severity = options.severityOf?.(c.id);
          const startEvidence =
            f.intervals.find((i) => i.start === interval.start)?.evidence ?? interval.evidence;
          byKey.set(key, {
            checkId: c.id,
            resource: f.resource,
            ...(f.name ? { name: f.name } : {}),
            account: f.account,
            region: f.region,
            ...(severity ? { severity } : {}),
            start: {
              at: interval.start,
              ...(interval.startEvent ? { event: interval.startEvent } : {}),
              evidence: startEvidence,
            },
            ...(open
              ? {}
              : {
                  end: {
                    at: interval.end,
                    ...(next?.startEvent ? { event: next.startEvent } : {}),
                    evidence:
                      f.intervals.find((i) => i.start === interval.end)?.evidence ?? next?.evidence ?? [],
                  },
                }),
            open,
            seconds: seconds(interval.start, interval.end),
            reason: interval.reason,
            requirements: [r.id],
            waived: f.waiver !== undefined,
          });
        });
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.start.at.localeCompare(b.start.at) || a.checkId.localeCompare(b.checkId),
  );
}

/** The failing findings grouped into distinct problems: one per check and resource. */
export function problemsOf(findings: FindingsView, options: IncidentOptions = {}): Problem[] {
  const byKey = new Map<string, Problem>();
  for (const incident of incidentsOf(findings, options)) {
    const key = `${incident.checkId}|${incident.account}|${incident.region}|${incident.resource}`;
    const p = byKey.get(key);
    if (!p) {
      byKey.set(key, {
        checkId: incident.checkId,
        resource: incident.resource,
        ...(incident.name ? { name: incident.name } : {}),
        account: incident.account,
        region: incident.region,
        ...(incident.severity ? { severity: incident.severity } : {}),
        requirements: [...incident.requirements],
        incidents: 1,
        failingSeconds: incident.seconds,
        reason: incident.reason,
        firstFailure: incident.start.at,
        lastFailure: incident.end?.at ?? findings.period.end,
        open: incident.open,
      });
      continue;
    }
    for (const id of incident.requirements) if (!p.requirements.includes(id)) p.requirements.push(id);
    p.incidents++;
    p.failingSeconds += incident.seconds;
    p.reason = incident.reason; // incidents come earliest first: the last is in force
    const last = incident.end?.at ?? findings.period.end;
    if (last > p.lastFailure) p.lastFailure = last;
    p.open = p.open || incident.open;
  }
  const order = new Map(findings.requirements.map((r, i) => [r.id, i]));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  for (const p of byKey.values()) p.requirements.sort((a, b) => rank(a) - rank(b));
  return [...byKey.values()].sort(
    (a, b) =>
      b.requirements.length - a.requirements.length ||
      a.checkId.localeCompare(b.checkId) ||
      a.resource.localeCompare(b.resource),
  );
}
