import type { EvidenceRef } from "../evaluate/types.js";
import type { EvidenceRecord } from "../evidence/record.js";
import { withDescribeUserPoolDefaults } from "./defaults.js";
import { arr, str, trailArn } from "./fields.js";
import type { HistoryBuilder, Kind } from "./history.js";
import {
  alarmFields,
  clientOf,
  deliveryChannelsOf,
  logGroupFields,
  metricFilterFields,
  recordersOf,
  trailFields,
  userPoolFields,
} from "./parse.js";
import type { AlarmState, MetricFilterState, TrailState, UserPoolState } from "./types.js";

/** Internal (not check-facing) resource kinds the aggregates are built from. */
export const TRAIL_SHADOWS = "cloudtrail_shadow";
export const METRIC_FILTERS = "logs_metric_filter";
export const ALARMS = "cloudwatch_alarm";

/** Resource kinds each snapshot collector reports on (its error records make them ERROR). */
export const SNAPSHOT_KINDS: Record<string, Kind[]> = {
  cognito_user_pools: ["cognito_user_pool", "cognito_user_pool_client"],
  cloudtrail_trails: ["cloudtrail_trail", TRAIL_SHADOWS],
  logs_log_groups: ["logs_log_group", METRIC_FILTERS],
  cloudwatch_alarms: [ALARMS],
  config_recorder: ["config_service"],
  config_rule_compliance: ["config_rule_evaluation"],
};

export interface SnapshotContext {
  ref: EvidenceRef;
  /** How long a snapshot stands for the state (the collection interval plus slack), in ms. */
  holdMs: number;
}

/**
 * Adapter from collector snapshots (docs/EVIDENCE.md payloads) to observations. A snapshot is the
 * full set at its time: resources it omits are absent then; an error record makes them ERROR.
 */
export function addSnapshot(builder: HistoryBuilder, record: EvidenceRecord, ctx: SnapshotContext): void {
  const at = Date.parse(record.collectedAt);
  const until = at + ctx.holdMs;
  const { account, region } = record;
  const evidence = [ctx.ref];
  const base = { account, region, observedAt: record.collectedAt, evidence };
  const marker = (type: Kind, keys?: Iterable<string>) =>
    builder.mark(type, account, region, {
      at,
      until,
      kind: record.error ? "error" : "state",
      error: record.error ? { code: record.error.code, message: record.error.message } : undefined,
      keys: keys ? new Set(keys) : undefined,
      evidence,
    });
  const payload = record.payload;

  if (record.error) {
    for (const type of SNAPSHOT_KINDS[record.collector] ?? []) marker(type);
    return;
  }

  // Every state observed is remembered by kind: the snapshot's marker for a kind lists exactly those keys.
  const seen = new Map<Kind, string[]>();
  const observe = <S>(type: Kind, key: string, state: S): void => {
    builder.observe<S>(type, account, region, key, { at, until, kind: "state", state, evidence });
    const keys = seen.get(type);
    if (keys) keys.push(key);
    else seen.set(type, [key]);
  };

  switch (record.collector) {
    case "cognito_user_pools": {
      for (const entry of arr(payload, "userPools")) {
        const pool = (entry as { userPool?: unknown }).userPool;
        const raw = userPoolFields(pool, {
          mfaConfig: (entry as { mfaConfig?: unknown }).mfaConfig,
          clients: arr(entry, "clients"),
        });
        const f = withDescribeUserPoolDefaults(pool, raw);
        if (!f.id) continue;
        const state: UserPoolState = {
          ...base,
          ...f,
          id: f.id,
          name: f.name ?? f.id,
          clients: f.clients ?? [],
        };
        observe("cognito_user_pool", state.id, state);
        for (const raw of arr(entry, "clients")) {
          const client = clientOf(raw);
          const key = `${state.id}/${client.clientId}`;
          observe("cognito_user_pool_client", key, {
            ...base,
            id: key,
            name: `${client.clientName ?? client.clientId} (${client.clientId}) of user pool ${state.name}`,
            userPoolId: state.id,
            userPoolName: state.name,
            client,
          });
        }
      }
      break;
    }
    case "cloudtrail_trails": {
      for (const entry of arr(payload, "trails")) {
        const e = entry as { trail?: unknown; status?: unknown; eventSelectors?: unknown };
        const f = trailFields(e.trail, { status: e.status, selectors: e.eventSelectors });
        if (!f.name && !f.arn) continue;
        const arn = trailArn(account, f.homeRegion ?? region, f.arn ?? f.name!);
        const state: TrailState = { ...base, ...f, id: arn, arn, name: f.name ?? arn };
        if (state.delivery) state.delivery = { ...state.delivery, statusAt: record.collectedAt };
        const isShadow = f.homeRegion !== undefined && f.homeRegion !== region;
        if (f.isLogging !== undefined)
          builder.signal(account, region, arn, { at, kind: "status", isLogging: f.isLogging });
        observe(isShadow ? TRAIL_SHADOWS : "cloudtrail_trail", arn, state);
      }
      break;
    }
    case "logs_log_groups": {
      for (const g of arr(payload, "logGroups")) {
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
      for (const mf of arr(payload, "metricFilters")) {
        const f = metricFilterFields(mf);
        const key = `${f.logGroupName}:${f.name}`;
        observe<MetricFilterState>(METRIC_FILTERS, key, { ...base, id: key, ...f });
      }
      break;
    }
    case "cloudwatch_alarms": {
      for (const a of arr(payload, "metricAlarms")) {
        const f = alarmFields(a);
        observe<AlarmState>(ALARMS, f.name, { ...base, id: f.name, ...f });
      }
      break;
    }
    case "config_recorder": {
      const key = `${account}/${region}`;
      observe("config_service", key, {
        ...base,
        id: key,
        name: `AWS Config in ${account}/${region}`,
        recorders: recordersOf(payload),
        deliveryChannels: deliveryChannelsOf(payload),
      });
      break;
    }
    case "config_rule_compliance": {
      const rules = arr(payload, "rules");
      const evaluations = ((payload as { evaluations?: Record<string, unknown[]> })?.evaluations ??
        {}) as Record<string, unknown[]>;
      for (const [ruleName, results] of Object.entries(evaluations)) {
        const rule = rules.find((r) => str(r, "ConfigRuleName") === ruleName);
        for (const result of results ?? []) {
          const q = ["EvaluationResultIdentifier", "EvaluationResultQualifier"];
          const resourceType = str(result, ...q, "ResourceType") ?? "(unknown type)";
          const resourceId = str(result, ...q, "ResourceId") ?? "(unknown resource)";
          const key = `${ruleName}|${resourceType}|${resourceId}`;
          observe("config_rule_evaluation", key, {
            ...base,
            id: key,
            name: `${resourceType} ${resourceId} (rule ${ruleName})`,
            ruleName,
            sourceIdentifier: str(rule, "Source", "SourceIdentifier"),
            resourceType,
            resourceId,
            complianceType: str(result, "ComplianceType") ?? "INSUFFICIENT_DATA",
            annotation: str(result, "Annotation"),
          });
        }
      }
      break;
    }
  }
  // A kind with nothing observed is still marked: the snapshot says none exist then.
  for (const type of SNAPSHOT_KINDS[record.collector] ?? []) marker(type, seen.get(type) ?? []);
}
