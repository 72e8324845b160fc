import { trailType } from "./cloudtrail.js";
import { metricAlarmType } from "./cloudwatch.js";
import { ruleArn } from "./config.js";
import type { Change } from "./drift.js";
import { eventId } from "./events.js";
import { configRuleId, hexId } from "./ids.js";
import { logGroupType } from "./logs.js";
import type { EstateSpec, RegionSpec } from "./model.js";
import { arn } from "./model.js";
import type { Random } from "./prng.js";
import { addSeconds, DAY_MS, epoch, ms } from "./time.js";
import { type Answer, paged } from "./types.js";

/**
 * AWS Config timelines: configuration items for the recorded resources of one account and region,
 * built by replaying the estate's changes in time order, and the ListDiscoveredResources /
 * GetResourceConfigHistory answers that serve them.
 */

export const TIMELINE_TYPES = [
  "AWS::Cognito::UserPool",
  "AWS::CloudTrail::Trail",
  "AWS::Logs::LogGroup",
  "AWS::CloudWatch::Alarm",
  "AWS::Config::ResourceCompliance",
] as const;

/**
 * Every resource's last change before the quarter (the month's `audit-quarter` tagging run) falls in
 * the 29 days from this time, at a time derived from its id: the baseline item of its timeline, which
 * the collector reads with one Reverse request ending at the window start.
 */
const BASELINE_FROM = "2026-06-01T00:00:00Z";
const BASELINE_SPREAD_S = 29 * 24 * 3600;

/** When Config captured a resource's baseline item: in June 2026, and never before its creation. */
function baselineAt(resource: Resource, created: string | undefined): string {
  const offset = Number.parseInt(hexId(`baseline:${resource.resourceType}/${resource.resourceId}`, 8), 16);
  const at = addSeconds(BASELINE_FROM, offset % BASELINE_SPREAD_S);
  // Config records a resource about a minute after it is created.
  return created && ms(created) + 60_000 > ms(at) ? addSeconds(created, 53) : at;
}

/** GetResourceConfigHistory spans at most seven days; the collector cuts the window from its start. */
export const HISTORY_SPAN_MS = 7 * DAY_MS;

interface Resource {
  resourceType: string;
  resourceId: string;
  resourceName: string;
}

interface Item {
  resource: Resource;
  at: string;
  status: "OK" | "ResourceDiscovered" | "ResourceDeleted";
  relatedEvent?: string;
}

type Rendered = {
  arn: string;
  created: string;
  configuration: unknown;
  tags: Record<string, string>;
  relationships: unknown[];
};

function recorded(spec: RegionSpec, type: string): boolean {
  const rec = spec.config.recorder;
  if (!rec) return false;
  return rec.allSupported || (rec.resourceTypes ?? []).includes(type);
}

function complianceId(resourceType: string, resourceId: string): string {
  return `${resourceType}/${resourceId}`;
}

/** The resources of the timeline types that exist in `spec` right now. */
function resourcesOf(spec: RegionSpec): Resource[] {
  const out: Resource[] = [];
  const add = (resourceType: string, resourceId: string, resourceName: string) => {
    if (recorded(spec, resourceType)) out.push({ resourceType, resourceId, resourceName });
  };
  for (const p of spec.userPools) add("AWS::Cognito::UserPool", p.id, p.name);
  for (const t of spec.trails) add("AWS::CloudTrail::Trail", t.name, t.name);
  for (const g of spec.logGroups) add("AWS::Logs::LogGroup", g.name, g.name);
  for (const a of spec.alarms) add("AWS::CloudWatch::Alarm", a.name, a.name);
  const seen = new Set<string>();
  for (const rule of spec.config.rules) {
    for (const [type, id] of rule.results) {
      const cid = complianceId(type, id);
      if (seen.has(cid)) continue;
      seen.add(cid);
      add("AWS::Config::ResourceCompliance", cid, cid);
    }
  }
  return out;
}

function renderResource(
  resource: Resource,
  spec: RegionSpec,
  account: string,
  region: string,
): Rendered | undefined {
  switch (resource.resourceType) {
    case "AWS::Cognito::UserPool": {
      const p = spec.userPools.find((x) => x.id === resource.resourceId);
      if (!p) return undefined;
      const pw = p.password;
      const policy: Record<string, unknown> = {
        MinimumLength: pw.minLength,
        RequireUppercase: pw.upper,
        RequireLowercase: pw.lower,
        RequireNumbers: pw.numbers,
        RequireSymbols: pw.symbols,
        TemporaryPasswordValidityDays: pw.tempValidityDays,
      };
      if (pw.history !== undefined) policy.PasswordHistorySize = pw.history;
      const enabled = [...(p.sms ? ["SMS_MFA"] : []), ...(p.totp ? ["SOFTWARE_TOKEN_MFA"] : [])];
      const poolArn = arn("cognito-idp", region, account, `userpool/${p.id}`);
      return {
        arn: poolArn,
        created: p.created,
        tags: { ...p.tags, "audit-quarter": "2026-Q3" },
        relationships: [],
        configuration: {
          UserPoolId: p.id,
          UserPoolName: p.name,
          Arn: poolArn,
          ProviderName: `cognito-idp.${region}.amazonaws.com/${p.id}`,
          ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${p.id}`,
          Policies: { PasswordPolicy: policy },
          MfaConfiguration: p.mfa,
          EnabledMfas: enabled,
          UserPoolAddOns: { AdvancedSecurityMode: p.threatProtection },
          UserPoolTier: p.tier,
          DeletionProtection: p.deletionProtection ? "ACTIVE" : "INACTIVE",
          UsernameAttributes: ["email"],
          AutoVerifiedAttributes: ["email"],
          AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: "verified_email" }] },
          UserPoolTags: { ...p.tags, "audit-quarter": "2026-Q3" },
        },
      };
    }
    case "AWS::CloudTrail::Trail": {
      const t = spec.trails.find((x) => x.name === resource.resourceId);
      if (!t) return undefined;
      const wire = trailType(t, account);
      const configuration: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(wire)) configuration[k[0]!.toLowerCase() + k.slice(1)] = v;
      configuration.isLogging = t.logging ?? true;
      return {
        arn: String(wire.TrailARN),
        created: t.created,
        tags: { "compliance-scope": "pci", "audit-quarter": "2026-Q3" },
        relationships: [
          {
            resourceType: "AWS::S3::Bucket",
            resourceId: t.bucket,
            resourceName: t.bucket,
            relationshipName: "Is associated with ",
          },
        ],
        configuration,
      };
    }
    case "AWS::Logs::LogGroup": {
      const g = spec.logGroups.find((x) => x.name === resource.resourceId);
      if (!g) return undefined;
      const wire = logGroupType(g, account, region, 0);
      const configuration: Record<string, unknown> = {
        LogGroupName: g.name,
        Arn: wire.arn,
        LogGroupClass: "STANDARD",
      };
      if (g.retentionDays !== undefined) configuration.RetentionInDays = g.retentionDays;
      if (wire.kmsKeyId) configuration.KmsKeyId = wire.kmsKeyId;
      const tags = { ...(g.tags ?? {}), "audit-quarter": "2026-Q3" };
      configuration.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      return { arn: String(wire.arn), created: g.created, tags, relationships: [], configuration };
    }
    case "AWS::CloudWatch::Alarm": {
      const a = spec.alarms.find((x) => x.name === resource.resourceId);
      if (!a) return undefined;
      const wire = metricAlarmType(a, account, region);
      const configuration: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(wire)) {
        const key = k === "OKActions" ? "okActions" : k[0]!.toLowerCase() + k.slice(1);
        configuration[key] = /Timestamp$/.test(k) ? new Date((v as number) * 1000).toISOString() : v;
      }
      return {
        arn: String(wire.AlarmArn),
        created: a.cis ? "2025-04-08T09:30:00Z" : a.updated,
        tags: { "audit-quarter": "2026-Q3" },
        relationships: [],
        configuration,
      };
    }
    case "AWS::Config::ResourceCompliance": {
      const [targetType, ...rest] = resource.resourceId.split("/");
      const targetId = rest.join("/");
      const rules = spec.config.rules.filter((r) =>
        r.results.some((x) => x[0] === targetType && x[1] === targetId),
      );
      if (rules.length === 0) return undefined;
      const list = rules.map((r) => {
        const result = r.results.find((x) => x[0] === targetType && x[1] === targetId)!;
        return {
          configRuleArn: ruleArn(account, region, r),
          configRuleId: configRuleId(`${account}/${region}/${r.name}`),
          configRuleName: r.name,
          complianceType: result[2],
        };
      });
      const overall = list.some((x) => x.complianceType === "NON_COMPLIANT")
        ? "NON_COMPLIANT"
        : list.some((x) => x.complianceType === "COMPLIANT")
          ? "COMPLIANT"
          : "NOT_APPLICABLE";
      return {
        arn: arn("config", region, account, `resource-compliance/${resource.resourceId}`),
        created: "2023-09-18T10:40:00Z",
        tags: {},
        relationships: [
          { resourceType: targetType, resourceId: targetId, relationshipName: "Is associated with " },
        ],
        configuration: {
          configRuleList: list,
          complianceType: overall,
          resourceId: targetId,
          resourceType: targetType,
        },
      };
    }
    default:
      throw new Error(`no renderer for ${resource.resourceType}`);
  }
}

function toWire(
  item: Item,
  rendered: Rendered | undefined,
  account: string,
  region: string,
  seq: number,
): Record<string, unknown> {
  const captured = ms(item.at);
  const out: Record<string, unknown> = {
    version: "1.3",
    accountId: account,
    configurationItemCaptureTime: epoch(item.at),
    configurationItemStatus: item.status,
    configurationStateId: String(captured + seq),
    arn: rendered?.arn ?? "",
    resourceType: item.resource.resourceType,
    resourceId: item.resource.resourceId,
    resourceName: item.resource.resourceName,
    awsRegion: region,
    availabilityZone: "Regional",
  };
  if (rendered) out.resourceCreationTime = epoch(rendered.created);
  out.tags = rendered?.tags ?? {};
  out.relatedEvents = item.relatedEvent ? [item.relatedEvent] : [];
  out.relationships = rendered?.relationships ?? [];
  if (rendered) out.configuration = JSON.stringify(rendered.configuration);
  out.supplementaryConfiguration = {};
  out.recordingFrequency = "CONTINUOUS";
  out.configurationItemDeliveryTime = epoch(addSeconds(item.at, 97 + (seq % 180)));
  return out;
}

export interface Timeline {
  resource: Resource;
  items: Record<string, unknown>[];
  deletedAt?: string;
}

/**
 * Replays `changes` over a copy of `initial` and returns every recorded resource's items for one
 * account and region. The estate at the end is the caller's "current" estate.
 */
export function buildTimelines(
  initial: EstateSpec,
  changes: Change[],
  account: string,
  region: string,
): Timeline[] {
  const estate = structuredClone(initial);
  const spec = () => estate.estate[account]![region]!;
  const items = new Map<string, Item[]>();
  const rendered = new Map<Item, Rendered | undefined>();
  const key = (r: { resourceType: string; resourceId: string }) => `${r.resourceType}|${r.resourceId}`;
  const push = (item: Item) => {
    const list = items.get(key(item.resource)) ?? [];
    list.push(item);
    items.set(key(item.resource), list);
    rendered.set(
      item,
      item.status === "ResourceDeleted" ? undefined : renderResource(item.resource, spec(), account, region),
    );
  };

  for (const resource of resourcesOf(spec())) {
    const created = renderResource(resource, spec(), account, region)?.created;
    const at = baselineAt(resource, created);
    // A resource created shortly before the quarter was last recorded when Config discovered it.
    const status = created && ms(at) - ms(created) < 120_000 ? "ResourceDiscovered" : "OK";
    push({ resource, at, status });
  }

  const deleted = new Map<string, string>();
  for (const change of [...changes].sort((a, b) => ms(a.event.time) - ms(b.event.time))) {
    change.apply(estate);
    if (change.event.account !== account || change.event.region !== region) continue;
    const related = eventId({ ...change.event, key: `change:${change.id}` });
    if (change.recorded && recorded(spec(), change.recorded.resourceType)) {
      const r = change.recorded;
      const resource = {
        resourceType: r.resourceType,
        resourceId: r.resourceId,
        resourceName: r.resourceName,
      };
      push({ resource, at: r.at, status: r.deleted ? "ResourceDeleted" : "OK", relatedEvent: related });
      if (r.deleted) deleted.set(key(resource), r.at);
    }
    if (change.compliance && recorded(spec(), "AWS::Config::ResourceCompliance")) {
      const c = change.compliance;
      const id = complianceId(c.resourceType, c.resourceId);
      push({
        resource: { resourceType: "AWS::Config::ResourceCompliance", resourceId: id, resourceName: id },
        at: c.at,
        status: "OK",
      });
    }
  }

  const out: Timeline[] = [];
  for (const list of items.values()) {
    list.sort((a, b) => ms(a.at) - ms(b.at));
    const resource = list[0]!.resource;
    out.push({
      resource,
      items: list.map((item, seq) => toWire(item, rendered.get(item), account, region, seq)),
      deletedAt: deleted.get(key(resource)),
    });
  }
  return out.sort((a, b) => key(a.resource).localeCompare(key(b.resource)));
}

/** ListDiscoveredResources and GetResourceConfigHistory answers for the timelines. */
export function historyAnswers(
  timelines: Timeline[],
  window: { start: string; end: string },
  recorder: boolean,
  rng: Random,
  /** Serve this resource's spans one item per page, so history paging is exercised. */
  paginateResource?: string,
): { ListDiscoveredResources: Answer[]; GetResourceConfigHistory: Answer[] } {
  const list: Answer[] = [];
  const history: Answer[] = [];
  const tokens = () => rng.token();
  for (const type of TIMELINE_TYPES) {
    const ofType = timelines.filter((t) => t.resource.resourceType === type);
    const identifiers = ofType.map((t) => ({
      resourceType: type,
      resourceId: t.resource.resourceId,
      resourceName: t.resource.resourceName,
      ...(t.deletedAt ? { resourceDeletionTime: epoch(t.deletedAt) } : {}),
    }));
    const pageSize = type === "AWS::Config::ResourceCompliance" ? 8 : 100;
    const render = (slice: unknown[], next: string | undefined) => ({
      resourceIdentifiers: slice,
      ...(next ? { nextToken: next } : {}),
    });
    if (ofType.some((t) => t.deletedAt)) {
      list.push(
        ...paged(identifiers, pageSize, tokens, render, {
          params: { resourceType: type, includeDeletedResources: true },
          tokenParam: "nextToken",
        }),
      );
      list.push(
        ...paged(
          identifiers.filter((i) => !("resourceDeletionTime" in i)),
          pageSize,
          tokens,
          render,
          { params: { resourceType: type }, tokenParam: "nextToken" },
        ),
      );
    } else {
      list.push(
        ...paged(identifiers, pageSize, tokens, render, {
          params: { resourceType: type },
          tokenParam: "nextToken",
        }),
      );
    }
  }
  if (!recorder) return { ListDiscoveredResources: list, GetResourceConfigHistory: history };

  for (const t of timelines) {
    const id = { resourceType: t.resource.resourceType, resourceId: t.resource.resourceId };
    // The item in effect at the window start: keyed so that no span request can match it.
    const before = t.items.filter(
      (i) => (i.configurationItemCaptureTime as number) * 1000 < ms(window.start),
    );
    if (before.length > 0) {
      history.push({
        params: { ...id, laterTime: epoch(window.start), chronologicalOrder: "Reverse", limit: 1 },
        response: { configurationItems: [before.at(-1)] },
      });
    }
    for (let start = ms(window.start); start < ms(window.end); start += HISTORY_SPAN_MS) {
      const end = Math.min(start + HISTORY_SPAN_MS, ms(window.end));
      const inSpan = t.items.filter((i) => {
        const at = (i.configurationItemCaptureTime as number) * 1000;
        return at >= start && at < end;
      });
      if (inSpan.length === 0) continue;
      const span = { ...id, earlierTime: start / 1000, laterTime: end / 1000 };
      const pageSize = paginateResource === t.resource.resourceId ? 1 : 100;
      history.push(
        ...paged(
          inSpan,
          pageSize,
          tokens,
          (slice, next) => ({ configurationItems: slice, ...(next ? { nextToken: next } : {}) }),
          {
            params: span,
            tokenParam: "nextToken",
          },
        ),
      );
    }
    // Every other request for this resource (a span, or the baseline of one created in the window): nothing recorded.
    history.push({ params: id, response: { configurationItems: [] } });
  }
  return { ListDiscoveredResources: list, GetResourceConfigHistory: history };
}
