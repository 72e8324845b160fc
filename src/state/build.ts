import type { EvidenceRef } from "../evidence/ref.js";
import { inferTrailLogging } from "./activity.js";
import type { LoadedRecord, StateAdapters } from "./adapter.js";
import {
  effectiveAt,
  type Histories,
  HistoryBuilder,
  type Kind,
  type Observation,
  type ResourceHistory,
  type ScopeHistory,
} from "./history.js";
import { extendMarkers, reconstruct } from "./reconstruct.js";
import { ALARMS, METRIC_FILTERS, TRAIL_SHADOWS } from "./snapshots.js";
import { addCoveredTrails, deliveryRegionsElsewhere } from "./trail-coverage.js";
import type {
  AlarmState,
  LogGroupState,
  MetricFilterState,
  SecurityMonitoringState,
  StateBase,
  TrailState,
  TrailsState,
} from "./types.js";

export type { LoadedRecord };

export interface BuildOptions {
  /** How long a snapshot of a collector stands for the state, in ms (collection interval + slack). */
  holdMs: (collector: string) => number;
  /** Aggregates are built over this window (epoch ms). */
  window: { start: number; end: number };
  /** Each collector's state adapter (collectors/registry.ts `stateAdapters`); other records are ignored. */
  adapters: StateAdapters;
}

/** Kinds whose states CloudTrail activity can carry across time (rule evaluations cannot: UNTRACKED). */
const RECONSTRUCTED_KINDS: Kind[] = [
  "cognito_user_pool",
  "cognito_user_pool_client",
  "cloudtrail_trail",
  TRAIL_SHADOWS,
  "logs_log_group",
  METRIC_FILTERS,
  ALARMS,
  "config_service",
];

/** Turn evidence records into resource histories, including the account-region aggregates. */
export function buildHistories(records: readonly LoadedRecord[], options: BuildOptions): Histories {
  const builder = new HistoryBuilder();
  // Scope adapters (event streams) run after every record adapter, per collector, account and region.
  const scoped = new Map<string, { add: (list: LoadedRecord[]) => void; list: LoadedRecord[] }>();
  for (const loaded of records) {
    const { collector, account, region } = loaded.record;
    const adapter = options.adapters.get(collector);
    if (!adapter) continue;
    if (adapter.mode === "record") {
      adapter.add(builder, loaded, { holdMs: options.holdMs(collector) });
      continue;
    }
    const id = `${collector}|${account}|${region}`;
    let group = scoped.get(id);
    if (!group) {
      group = { add: (list) => adapter.add(builder, account, region, list), list: [] };
      scoped.set(id, group);
    }
    group.list.push(loaded);
  }
  for (const group of scoped.values()) group.add(group.list);
  const histories = builder.build();
  reconstruct(builder, histories, RECONSTRUCTED_KINDS);
  extendMarkers(builder, histories, RECONSTRUCTED_KINDS);
  inferTrailLogging(builder, histories);
  markSecurityLogGroups(histories);
  buildTrailSets(histories, options.window);
  buildSecurityMonitoring(histories, options.window);
  addCoveredTrails(histories);
  return histories;
}

/** A log group a trail delivers to is a security log group, whatever its name. */
function markSecurityLogGroups(histories: Histories): void {
  const deliveries = new Map<string, Set<string>>();
  for (const scope of histories.ofKind<TrailState>("cloudtrail_trail")) {
    for (const h of scope.resources.values()) {
      for (const o of h.observations) {
        const arn = o.state?.cloudWatchLogsLogGroupArn;
        const m = arn ? /^arn:[^:]+:logs:([^:]+):(\d+):log-group:(.+?)(:\*)?$/.exec(arn) : null;
        if (!m) continue;
        const id = `${m[2]}|${m[1]}|${m[3]}`;
        deliveries.set(id, (deliveries.get(id) ?? new Set()).add(h.key));
      }
    }
  }
  for (const scope of histories.ofKind<LogGroupState>("logs_log_group")) {
    for (const h of scope.resources.values()) {
      const trails = deliveries.get(`${scope.account}|${scope.region}|${h.key}`);
      if (!trails) continue;
      for (const o of h.observations) if (o.state) o.state = { ...o.state, deliveredBy: [...trails].sort() };
    }
  }
}

interface Domain {
  name: string;
  scopes: Array<ScopeHistory<unknown> | undefined>;
  /** Which resources of these scopes belong to the aggregate. */
  include?: (history: ResourceHistory<unknown>) => boolean;
  /** An optional domain adds what it knows but never makes the aggregate a gap. */
  optional?: boolean;
}

/**
 * Sample component histories into one aggregate history: at every time any component changes or
 * its coverage ends, the aggregate holds the components' states then. It is unknown (a gap) while a
 * domain has no coverage, and ERROR while a domain's newest evidence is an error record.
 */
function aggregate<S>(
  domains: Domain[],
  window: { start: number; end: number },
  build: (states: Map<string, unknown[]>) => S,
): Observation<S>[] {
  const points = new Set<number>([window.start]);
  const components = domains.map((d) => ({
    domain: d,
    markers: d.scopes.flatMap((s) => s?.markers ?? []).sort((a, b) => a.at - b.at),
    resources: d.scopes
      .flatMap((s) => [...(s?.resources.values() ?? [])])
      .filter((h) => !d.include || d.include(h)),
  }));
  for (const c of components) {
    for (const o of [...c.markers, ...c.resources.flatMap((r) => r.observations)]) {
      if (o.at > window.start && o.at < window.end) points.add(o.at);
      if (o.until > window.start && o.until < window.end) points.add(o.until);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: Observation<S>[] = [];
  sorted.forEach((t, i) => {
    const until = sorted[i + 1] ?? window.end;
    const states = new Map<string, unknown[]>();
    const evidence = new Map<string, EvidenceRef>();
    let error: Observation<S>["error"];
    for (const c of components) {
      const marker = effectiveAt(c.markers, t);
      const effective = c.resources.map((r) => effectiveAt(r.observations, t)).filter((o) => o !== undefined);
      if (!marker && effective.length === 0) {
        if (c.domain.optional) continue;
        return; // this domain is not covered: a gap
      }
      const newest = Math.max(-Infinity, ...effective.map((o) => o.at));
      if (marker?.kind === "error" && marker.at >= newest) error ??= marker.error;
      for (const o of effective) {
        if (o.kind === "error") error ??= o.error;
        for (const e of o.evidence) evidence.set(e.key, e);
      }
      for (const e of marker?.evidence ?? []) evidence.set(e.key, e);
      states.set(
        c.domain.name,
        effective.filter((o) => o.kind === "state").map((o) => o.state),
      );
    }
    const refs = [...evidence.values()];
    if (error) out.push({ at: t, until, kind: "error", error, evidence: refs });
    else out.push({ at: t, until, kind: "state", state: build(states), evidence: refs });
  });
  return out;
}

function aggregateBase(account: string, region: string, id: string, name: string, at: number): StateBase {
  return { account, region, id, name, observedAt: new Date(at).toISOString(), evidence: [] };
}

function accountRegions(histories: Histories, kinds: Kind[]): Array<[string, string]> {
  const pairs = new Map<string, [string, string]>();
  for (const kind of kinds)
    for (const s of histories.ofKind(kind)) pairs.set(`${s.account}|${s.region}`, [s.account, s.region]);
  return [...pairs.values()];
}

/** Every trail that records this region: its own, multi-region trails homed elsewhere, and shadows of trails not collected at home. */
function buildTrailSets(histories: Histories, window: { start: number; end: number }): void {
  for (const [account, region] of accountRegions(histories, ["cloudtrail_trail", TRAIL_SHADOWS])) {
    const own = histories.getKind<unknown>("cloudtrail_trail", account, region);
    const elsewhere = histories
      .ofKind<TrailState>("cloudtrail_trail")
      .filter((s) => s.account === account && s.region !== region);
    const collectedAtHome = new Set(elsewhere.flatMap((s) => [...s.resources.keys()]));
    const isMultiRegion = (h: ResourceHistory<unknown>) =>
      (h as ResourceHistory<TrailState>).observations.some((o) => o.state?.isMultiRegion);
    const domains: Domain[] = [
      { name: "own", scopes: [own] },
      {
        name: "elsewhere",
        scopes: elsewhere as ScopeHistory<unknown>[],
        include: isMultiRegion,
        optional: true,
      },
      {
        name: "shadows",
        scopes: [histories.getKind(TRAIL_SHADOWS, account, region)],
        include: (h) => !collectedAtHome.has(h.key),
        optional: true,
      },
    ];
    const observations = aggregate<TrailsState>(domains, window, (states) => ({
      ...aggregateBase(account, region, `${account}/${region}`, `CloudTrail in ${account}/${region}`, 0),
      trails: [...states.values()].flat() as TrailState[],
    }));
    fixTimes(observations);
    histories.set({
      type: "cloudtrail_trails",
      account,
      region,
      markers: histories.getKind<unknown>("cloudtrail_trail", account, region)?.markers ?? [],
      resources: new Map([
        [
          `${account}/${region}`,
          { type: "cloudtrail_trails", account, region, key: `${account}/${region}`, observations },
        ],
      ]),
    });
  }
}

function buildSecurityMonitoring(histories: Histories, window: { start: number; end: number }): void {
  for (const [account, region] of accountRegions(histories, [METRIC_FILTERS, ALARMS, "logs_log_group"])) {
    const trailSet = histories.get("cloudtrail_trails", account, region);
    // A trail homed elsewhere delivers this region's events to a log group in its home region: its filters count here.
    const others = deliveryRegionsElsewhere(trailSet, account, region);
    const observations = aggregate<SecurityMonitoringState>(
      [
        { name: "filters", scopes: [histories.getKind(METRIC_FILTERS, account, region)] },
        { name: "alarms", scopes: [histories.getKind(ALARMS, account, region)] },
        { name: "trails", scopes: [trailSet as ScopeHistory<unknown> | undefined], optional: true },
        ...others.map(([a, r]) => ({
          name: `filters ${a}/${r}`,
          scopes: [histories.getKind(METRIC_FILTERS, a, r)],
          optional: true,
        })),
        ...others.map(([a, r]) => ({
          name: `alarms ${a}/${r}`,
          scopes: [histories.getKind(ALARMS, a, r)],
          optional: true,
        })),
      ],
      window,
      (states) => ({
        ...aggregateBase(
          account,
          region,
          `${account}/${region}`,
          `CloudWatch alarms in ${account}/${region}`,
          0,
        ),
        metricFilters: [...states]
          .filter(([k]) => k.startsWith("filters"))
          .flatMap(([, v]) => v) as MetricFilterState[],
        alarms: [...states].filter(([k]) => k.startsWith("alarms")).flatMap(([, v]) => v) as AlarmState[],
        trails: states.has("trails")
          ? (states.get("trails") as TrailsState[]).flatMap((t) => t.trails)
          : undefined,
      }),
    );
    fixTimes(observations);
    const key = `${account}/${region}`;
    histories.set({
      type: "cloudwatch_security_monitoring",
      account,
      region,
      markers: [],
      resources: new Map([
        [key, { type: "cloudwatch_security_monitoring", account, region, key, observations }],
      ]),
    });
  }
}

/** Aggregate states carry their sample time and evidence. */
function fixTimes<S extends StateBase>(observations: Observation<S>[]): void {
  for (const o of observations) {
    if (o.state) o.state = { ...o.state, observedAt: new Date(o.at).toISOString(), evidence: o.evidence };
  }
}
