import type { Histories, Observation, ResourceHistory, ScopeHistory } from "./history.js";
import { TRAIL_SHADOWS } from "./snapshots.js";
import type { TrailCoverage, TrailState, TrailsState } from "./types.js";

/**
 * A trail applies where it records, not only where it lives. DescribeTrails in a region lists the
 * multi-region and organisation trails homed elsewhere as shadow trails; each becomes a
 * `cloudtrail_trail` of that region, so its per-trail checks list a finding there, judged once:
 *
 * - from the home region's own evidence when that was collected (same account, or the management
 *   account of an organisation trail when it is in scope), clipped to the times the shadow was seen;
 * - else, for a trail of this account, from the shadow copy (DescribeTrails and GetTrailStatus by
 *   ARN answer for it from any region it records);
 * - else (an organisation trail seen from a member account whose management account is not in the
 *   evidence) as a stated limitation: `coverage.judgedFrom` "unjudged", which checks report as such.
 *
 * Runs after the trail sets are built (they already count shadows for the multi-region check).
 */
export function addCoveredTrails(histories: Histories): void {
  for (const shadows of histories.ofKind<TrailState>(TRAIL_SHADOWS)) {
    const { account, region } = shadows;
    for (const shadow of shadows.resources.values()) {
      const seen = shadow.observations.map((o) => o.state).find((s) => s !== undefined);
      if (!seen || !(seen.isMultiRegion || seen.isOrganizationTrail)) continue;
      const homeAccount = ownerOf(shadow.key) ?? account;
      const homeRegion = seen.homeRegion ?? regionOf(shadow.key) ?? region;
      const target = ensureScope(histories, account, region);
      if (target.resources.has(shadow.key)) continue;
      const home = histories
        .getKind<TrailState>("cloudtrail_trail", homeAccount, homeRegion)
        ?.resources.get(shadow.key);
      let observations: Observation<TrailState>[];
      if (home) {
        const coverage: TrailCoverage = { viewAccount: account, homeAccount, homeRegion, judgedFrom: "home" };
        observations = clipTo(home.observations, shadow.observations).map((o) => annotate(o, coverage));
      } else if (homeAccount === account) {
        const coverage: TrailCoverage = {
          viewAccount: account,
          homeAccount,
          homeRegion,
          judgedFrom: "shadow",
        };
        observations = shadow.observations.map((o) => annotate(o, coverage));
      } else {
        const coverage: TrailCoverage = {
          viewAccount: account,
          homeAccount,
          homeRegion,
          judgedFrom: "unjudged",
          limitation: `an organisation trail of account ${homeAccount} (homed in ${homeRegion}), seen from member account ${account}: its settings are judged from the management account's evidence, which is not in the evidence read (add ${homeAccount} to scope.accounts and collect there)`,
        };
        observations = shadow.observations.map((o) => annotate(o, coverage));
      }
      const history: ResourceHistory<unknown> = {
        type: "cloudtrail_trail",
        account,
        region,
        key: shadow.key,
        observations,
      };
      target.resources.set(shadow.key, history);
    }
  }
}

/** The account in a trail ARN: arn:aws:cloudtrail:<region>:<account>:trail/<name>. */
const ownerOf = (arn: string): string | undefined =>
  /^arn:[^:]+:cloudtrail:[^:]*:(\d{12}):trail\//.exec(arn)?.[1];
const regionOf = (arn: string): string | undefined => /^arn:[^:]+:cloudtrail:([^:]+):/.exec(arn)?.[1];

function ensureScope(histories: Histories, account: string, region: string) {
  const existing = histories.getKind<unknown>("cloudtrail_trail", account, region);
  if (existing) return existing;
  const scope = { type: "cloudtrail_trail", account, region, markers: [], resources: new Map() };
  histories.set(scope);
  return scope;
}

function annotate(o: Observation<TrailState>, coverage: TrailCoverage): Observation<TrailState> {
  return o.state ? { ...o, state: { ...o.state, coverage } } : o;
}

/**
 * The home observations while the shadow was listed here (the union of its state observations), then
 * the shadow's own absence and error observations, which win where they start at the same time.
 */
function clipTo(
  home: readonly Observation<TrailState>[],
  shadow: readonly Observation<TrailState>[],
): Observation<TrailState>[] {
  const ranges: Array<[number, number]> = [];
  for (const s of [...shadow].filter((o) => o.kind === "state").sort((a, b) => a.at - b.at)) {
    const last = ranges[ranges.length - 1];
    if (last && s.at <= last[1]) last[1] = Math.max(last[1], s.until);
    else ranges.push([s.at, s.until]);
  }
  const out: Observation<TrailState>[] = [];
  for (const h of home) {
    for (const [from, to] of ranges) {
      const at = Math.max(h.at, from);
      const until = Math.min(h.until, to);
      if (at < until) out.push({ ...h, at, until });
    }
  }
  out.push(...shadow.filter((o) => o.kind !== "state"));
  // Stable: equal start times keep home before the shadow's absence or error.
  return out
    .map((o, i) => ({ o, i }))
    .sort((a, b) => a.o.at - b.o.at || a.i - b.i)
    .map(({ o }) => o);
}

/** Account-regions other than this one holding a log group that a trail recording this region delivers to. */
export function deliveryRegionsElsewhere(
  trailSet: ScopeHistory<TrailsState> | undefined,
  account: string,
  region: string,
): Array<[string, string]> {
  const out = new Map<string, [string, string]>();
  for (const h of trailSet?.resources.values() ?? []) {
    for (const o of h.observations) {
      for (const t of o.state?.trails ?? []) {
        const g = logGroupOf(t.cloudWatchLogsLogGroupArn);
        if (g && !(g.account === account && g.region === region))
          out.set(`${g.account}|${g.region}`, [g.account, g.region]);
      }
    }
  }
  return [...out.values()];
}

/** account, region and name of a CloudWatch Logs log group ARN (with or without the trailing ":*"). */
export function logGroupOf(
  arn: string | undefined,
): { account: string; region: string; name: string } | undefined {
  const m = arn ? /^arn:[^:]+:logs:([^:]+):(\d+):log-group:(.+?)(:\*)?$/.exec(arn) : null;
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}
