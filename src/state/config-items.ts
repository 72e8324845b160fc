import type { EvidenceRecord } from "../evidence/record.js";
import type { EvidenceRef } from "../evidence/ref.js";
import { arr, defined, jsonObject, str, trailArn } from "./fields.js";
import type { HistoryBuilder, Kind } from "./history.js";
import { alarmFields, logGroupFields, trailFields, userPoolFields } from "./parse.js";
import { ALARMS } from "./snapshots.js";
import type {
  AlarmState,
  ConfigRuleEvaluationState,
  LogGroupState,
  StateBase,
  TrailState,
  UserPoolState,
} from "./types.js";
import { withKnown } from "./unknown.js";

const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

/**
 * Adapter from AWS Config configuration items (the Config timeline collector's records). Config records
 * every change, so an item holds until the next one: its coverage runs to the end of the window
 * the record read. An item adds what its configuration holds to the state known before it. The
 * record's `baseline` item (captured before the window) is the configuration in effect at the
 * window start, so it holds from the window start; without one the window opens unknown.
 */
export function addConfigTimeline(builder: HistoryBuilder, record: EvidenceRecord, ref: EvidenceRef): void {
  if (record.error) return; // the runner's error records for this collector are handled by the caller
  const payload = record.payload as { resourceType?: string; resourceId?: string; resourceName?: string };
  const windowStart = record.period ? Date.parse(record.period.start) : undefined;
  const context: TimelineContext = {
    builder,
    payload,
    account: record.account,
    region: record.region,
    until: Date.parse(record.period?.end ?? record.collectedAt),
    evidence: [ref],
  };
  const baseline = jsonObject((record.payload as { baseline?: unknown }).baseline);
  if (baseline) {
    const captured = Date.parse(str(baseline, "configurationItemCaptureTime") ?? "");
    if (!Number.isNaN(captured))
      addItem(context, baseline, Math.max(captured, windowStart ?? captured), captured);
  }
  arr(record.payload, "items").forEach((item, index) => {
    const at = Date.parse(str(item, "configurationItemCaptureTime") ?? "");
    if (Number.isNaN(at)) return;
    // A resource Config first discovered inside the window did not exist before it.
    const absentFrom =
      !baseline && index === 0 && str(item, "configurationItemStatus") === "ResourceDiscovered"
        ? windowStart
        : undefined;
    addItem(context, item, at, at, absentFrom);
  });
}

interface TimelineContext {
  builder: HistoryBuilder;
  payload: { resourceType?: string; resourceId?: string; resourceName?: string };
  account: string;
  region: string;
  /** End of the record's coverage (epoch ms, exclusive). */
  until: number;
  evidence: EvidenceRef[];
}

/**
 * One configuration item, in effect from `at` (epoch ms) and captured at `captured`. With
 * `absentFrom`, the resource is absent from then until `at`.
 */
function addItem(c: TimelineContext, item: unknown, at: number, captured: number, absentFrom?: number): void {
  const { builder, payload, account, region, until, evidence } = c;
  if (at >= until) return;
  const status = str(item, "configurationItemStatus") ?? "OK";
  const type = str(item, "resourceType") ?? payload.resourceType ?? "";
  const configuration = jsonObject((item as { configuration?: unknown }).configuration) ?? {};
  const supplementary = supplementaryOf(item);
  const resourceId = str(item, "resourceId") ?? payload.resourceId ?? "";
  const resourceName = str(item, "resourceName") ?? payload.resourceName;
  const observedAt = new Date(captured).toISOString();
  const base: StateBase = { account, region, id: "", name: "", observedAt, evidence };
  if (type === "AWS::Config::ResourceCompliance") {
    addRuleCompliance(builder, { account, region, at, until, evidence, observedAt, status, configuration });
    return;
  }
  const target = mapItem(type, {
    configuration,
    supplementary,
    resourceId,
    resourceName,
    arn: str(item, "arn"),
    account,
    region,
  });
  if (!target) return;
  if (absentFrom !== undefined && absentFrom < at) {
    builder.observe(target.kind, account, region, target.key, {
      at: absentFrom,
      until: at,
      kind: "absent",
      evidence,
    });
  }
  if (DELETED.has(status)) {
    builder.observe(target.kind, account, region, target.key, { at, until, kind: "absent", evidence });
    return;
  }
  builder.observe<StateBase>(target.kind, account, region, target.key, {
    at,
    until,
    kind: "state",
    evidence,
    // What the item holds is known from then on, even where an event had left it unknown.
    patch: (previous) =>
      withKnown(
        {
          ...base,
          ...target.empty,
          ...(previous ?? {}),
          ...target.fields,
          id: target.key,
          observedAt,
          evidence,
        },
        Object.keys(target.fields),
      ),
  });
}

/**
 * AWS::Config::ResourceCompliance items record, per evaluated resource, each Config rule's verdict
 * over time: one config_rule_evaluation observation per rule listed.
 */
function addRuleCompliance(
  builder: HistoryBuilder,
  c: {
    account: string;
    region: string;
    at: number;
    until: number;
    evidence: EvidenceRef[];
    observedAt: string;
    status: string;
    configuration: Record<string, unknown>;
  },
): void {
  const resourceType = str(c.configuration, "resourceType") ?? "(unknown type)";
  const resourceId = str(c.configuration, "resourceId") ?? "(unknown resource)";
  for (const rule of arr(c.configuration, "configRuleList")) {
    const ruleName = str(rule, "configRuleName");
    if (!ruleName) continue;
    const key = `${ruleName}|${resourceType}|${resourceId}`;
    if (DELETED.has(c.status)) {
      builder.observe("config_rule_evaluation", c.account, c.region, key, {
        at: c.at,
        until: c.until,
        kind: "absent",
        evidence: c.evidence,
      });
      continue;
    }
    const state: ConfigRuleEvaluationState = {
      account: c.account,
      region: c.region,
      id: key,
      name: `${resourceType} ${resourceId} (rule ${ruleName})`,
      observedAt: c.observedAt,
      evidence: c.evidence,
      ruleName,
      resourceType,
      resourceId,
      complianceType:
        str(rule, "complianceType") ?? str(c.configuration, "complianceType") ?? "INSUFFICIENT_DATA",
    };
    builder.observe("config_rule_evaluation", c.account, c.region, key, {
      at: c.at,
      until: c.until,
      kind: "state",
      state,
      evidence: c.evidence,
    });
  }
}

/**
 * `supplementaryConfiguration`: a map of extra attributes Config records beside the configuration
 * (for a trail, its status and event selectors), each value a JSON string or already an object.
 */
function supplementaryOf(item: unknown): Record<string, unknown> {
  const raw = jsonObject((item as { supplementaryConfiguration?: unknown }).supplementaryConfiguration) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, jsonObject(v) ?? v]));
}

interface ItemContext {
  configuration: Record<string, unknown>;
  supplementary: Record<string, unknown>;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  account: string;
  region: string;
}

interface MappedItem {
  kind: Kind;
  key: string;
  /** Defaults for members a state must have when no earlier state exists. */
  empty: Record<string, unknown>;
  fields: Record<string, unknown>;
}

function mapItem(type: string, c: ItemContext): MappedItem | undefined {
  switch (type) {
    case "AWS::Cognito::UserPool": {
      const f = userPoolFields(c.configuration, {
        mfaConfig: c.supplementary.MfaConfig ?? c.supplementary.UserPoolMfaConfig,
      });
      const key = f.id ?? c.resourceId;
      const fields: Partial<UserPoolState> = defined({
        ...f,
        id: key,
        arn: f.arn ?? c.arn,
        name: f.name ?? c.resourceName,
      });
      delete fields.clients;
      return { kind: "cognito_user_pool", key, empty: { name: c.resourceName ?? key, clients: [] }, fields };
    }
    case "AWS::CloudTrail::Trail": {
      const sup = c.supplementary;
      const selectors = sup.EventSelectors ?? sup.eventSelectors;
      const f = trailFields(c.configuration, {
        status: sup.TrailStatus ?? sup.trailStatus ?? sup.Status,
        selectors: Array.isArray(selectors) ? { EventSelectors: selectors } : selectors,
      });
      const key = trailArn(
        c.account,
        f.homeRegion ?? c.region,
        c.arn ?? f.arn ?? c.resourceName ?? c.resourceId,
      );
      const fields: Partial<TrailState> = defined({ ...f, arn: key, name: f.name ?? c.resourceName });
      return { kind: "cloudtrail_trail", key, empty: { name: c.resourceName ?? key }, fields };
    }
    case "AWS::Logs::LogGroup": {
      const f = logGroupFields(c.configuration);
      const key = f.name ?? c.resourceName ?? c.resourceId;
      // A Config item is the whole configuration: no retentionInDays there means "never expire".
      const fields: Partial<LogGroupState> = {
        ...defined({ name: key, arn: f.arn ?? c.arn, kmsKeyId: f.kmsKeyId }),
        retentionInDays: f.retentionInDays,
        kmsKeyId: f.kmsKeyId,
      };
      return { kind: "logs_log_group", key, empty: { name: key, deliveredBy: [] }, fields };
    }
    case "AWS::CloudWatch::Alarm": {
      const f = alarmFields(c.configuration);
      const key = c.resourceName ?? (f.name !== "(unnamed alarm)" ? f.name : c.resourceId);
      const fields: Partial<AlarmState> = defined({ ...f, name: key, arn: f.arn ?? c.arn });
      return { kind: ALARMS, key, empty: { name: key, alarmActions: [] }, fields };
    }
    default:
      return undefined;
  }
}
