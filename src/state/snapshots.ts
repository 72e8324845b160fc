import type { EvidenceRef } from "../evaluate/types.js";
import type { EvidenceRecord } from "../evidence/record.js";
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

/** Resource types each snapshot collector reports on (its error records make them ERROR). */
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

  switch (record.collector) {
    case "cognito_user_pools": {
      const pools: string[] = [];
      const clients: string[] = [];
      for (const entry of arr(payload, "userPools")) {
        const f = userPoolFields((entry as { userPool?: unknown }).userPool, {
          mfaConfig: (entry as { mfaConfig?: unknown }).mfaConfig,
          clients: arr(entry, "clients"),
        });
        if (!f.id) continue;
        const state: UserPoolState = {
          ...base,
          ...f,
          id: f.id,
          name: f.name ?? f.id,
          clients: f.clients ?? [],
        };
        pools.push(state.id);
        builder.observe("cognito_user_pool", account, region, state.id, {
          at,
          until,
          kind: "state",
          state,
          evidence,
        });
        for (const raw of arr(entry, "clients")) {
          const client = clientOf(raw);
          const key = `${state.id}/${client.clientId}`;
          clients.push(key);
          builder.observe("cognito_user_pool_client", account, region, key, {
            at,
            until,
            kind: "state",
            evidence,
            state: {
              ...base,
              id: key,
              name: `${client.clientName ?? client.clientId} (${client.clientId}) of user pool ${state.name}`,
              userPoolId: state.id,
              userPoolName: state.name,
              client,
            },
          });
        }
      }
      marker("cognito_user_pool", pools);
      marker("cognito_user_pool_client", clients);
      return;
    }
    case "cloudtrail_trails": {
      const home: string[] = [];
      const shadows: string[] = [];
      for (const entry of arr(payload, "trails")) {
        const e = entry as { trail?: unknown; status?: unknown; eventSelectors?: unknown };
        const f = trailFields(e.trail, { status: e.status, selectors: e.eventSelectors });
        if (!f.name && !f.arn) continue;
        const arn = trailArn(account, f.homeRegion ?? region, f.arn ?? f.name!);
        const state: TrailState = { ...base, ...f, id: arn, arn, name: f.name ?? arn };
        const isShadow = f.homeRegion !== undefined && f.homeRegion !== region;
        (isShadow ? shadows : home).push(arn);
        if (f.isLogging !== undefined)
          builder.signal(account, region, arn, { at, kind: "status", isLogging: f.isLogging });
        builder.observe(isShadow ? TRAIL_SHADOWS : "cloudtrail_trail", account, region, arn, {
          at,
          until,
          kind: "state",
          state,
          evidence,
        });
      }
      marker("cloudtrail_trail", home);
      marker(TRAIL_SHADOWS, shadows);
      return;
    }
    case "logs_log_groups": {
      const groups: string[] = [];
      for (const g of arr(payload, "logGroups")) {
        const f = logGroupFields(g);
        if (!f.name) continue;
        groups.push(f.name);
        builder.observe("logs_log_group", account, region, f.name, {
          at,
          until,
          kind: "state",
          evidence,
          state: {
            ...base,
            id: f.name,
            name: f.name,
            arn: f.arn,
            retentionInDays: f.retentionInDays,
            kmsKeyId: f.kmsKeyId,
            deliveredBy: [],
          },
        });
      }
      const filters: string[] = [];
      for (const mf of arr(payload, "metricFilters")) {
        const f = metricFilterFields(mf);
        const key = `${f.logGroupName}:${f.name}`;
        filters.push(key);
        builder.observe<MetricFilterState>(METRIC_FILTERS, account, region, key, {
          at,
          until,
          kind: "state",
          evidence,
          state: { ...base, id: key, ...f },
        });
      }
      marker("logs_log_group", groups);
      marker(METRIC_FILTERS, filters);
      return;
    }
    case "cloudwatch_alarms": {
      const alarms: string[] = [];
      for (const a of arr(payload, "metricAlarms")) {
        const f = alarmFields(a);
        alarms.push(f.name);
        builder.observe<AlarmState>(ALARMS, account, region, f.name, {
          at,
          until,
          kind: "state",
          evidence,
          state: { ...base, id: f.name, ...f },
        });
      }
      marker(ALARMS, alarms);
      return;
    }
    case "config_recorder": {
      const key = `${account}/${region}`;
      builder.observe("config_service", account, region, key, {
        at,
        until,
        kind: "state",
        evidence,
        state: {
          ...base,
          id: key,
          name: `AWS Config in ${account}/${region}`,
          recorders: recordersOf(payload),
          deliveryChannels: deliveryChannelsOf(payload),
        },
      });
      marker("config_service", [key]);
      return;
    }
    case "config_rule_compliance": {
      const keys: string[] = [];
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
          keys.push(key);
          builder.observe("config_rule_evaluation", account, region, key, {
            at,
            until,
            kind: "state",
            evidence,
            state: {
              ...base,
              id: key,
              name: `${resourceType} ${resourceId} (rule ${ruleName})`,
              ruleName,
              sourceIdentifier: str(rule, "Source", "SourceIdentifier"),
              resourceType,
              resourceId,
              complianceType: str(result, "ComplianceType") ?? "INSUFFICIENT_DATA",
              annotation: str(result, "Annotation"),
            },
          });
        }
      }
      marker("config_rule_evaluation", keys);
      return;
    }
  }
}
