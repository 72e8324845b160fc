import {
  ConfigServiceClient,
  type ConfigurationItem,
  GetResourceConfigHistoryCommand,
  paginateGetResourceConfigHistory,
  paginateListDiscoveredResources,
  type ResourceType,
} from "@aws-sdk/client-config-service";
import { z } from "zod";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./config_resource_timeline.state.js";

export const DEFAULT_RESOURCE_TYPES = [
  "AWS::Cognito::UserPool",
  "AWS::CloudTrail::Trail",
  "AWS::Logs::LogGroup",
  "AWS::CloudWatch::Alarm",
  "AWS::Config::ResourceCompliance",
];

const options = z
  .strictObject({
    resourceTypes: z
      .array(
        z.string().regex(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/, "expected a type like AWS::Logs::LogGroup"),
      )
      .min(1)
      .default(DEFAULT_RESOURCE_TYPES),
  })
  .prefault({});
export type ConfigResourceTimelineOptions = z.output<typeof options>;

/** GetResourceConfigHistory spans at most seven days per call. */
export const MAX_HISTORY_SPAN_MS = 7 * 24 * 3600 * 1000;

/** [start, end) cut into consecutive spans of at most `maxMs`. */
export function splitWindow(start: Date, end: Date, maxMs: number): { start: Date; end: Date }[] {
  const spans = [];
  for (let t = start.getTime(); t < end.getTime(); t += maxMs) {
    spans.push({ start: new Date(t), end: new Date(Math.min(t + maxMs, end.getTime())) });
  }
  return spans;
}

/**
 * Configuration timelines from AWS Config, one record per resource of the configured types: the
 * `baseline` item in effect at the window start (the newest one captured before it), if Config has
 * one, and every configuration item captured within the window, oldest first.
 */
export const collector = defineCollector<ConfigResourceTimelineOptions>({
  id: "config_resource_timeline",
  service: "config",
  title: "AWS Config resource configuration timelines",
  operations: ["ListDiscoveredResources", "GetResourceConfigHistory"],
  cadence: "history",
  schedule: DAILY,
  resourceTypes: [
    "cognito_user_pool",
    "cloudtrail_trail",
    "cloudtrail_trails",
    "logs_log_group",
    "cloudwatch_security_monitoring",
    "config_rule_evaluation",
  ],
  state,
  optionsSchema: options,
  async collect(ctx) {
    const client = ctx.client(ConfigServiceClient);
    const log = new CallLog("config", ctx.signal);
    const { start, end } = ctx.window;

    const resources = [];
    for (const resourceType of ctx.options.resourceTypes) {
      const found = await log.all(
        "ListDiscoveredResources",
        // Deleted resources too: a deletion inside the window is part of the timeline.
        { resourceType: resourceType as ResourceType, includeDeletedResources: true, limit: 100 },
        (input, o) => paginateListDiscoveredResources({ client }, input, o),
        (page) => page.resourceIdentifiers,
      );
      resources.push(...found.filter((r) => !r.resourceDeletionTime || r.resourceDeletionTime >= start));
    }
    log.take(); // the listing is not part of any one resource's record

    const spans = splitWindow(start, end, MAX_HISTORY_SPAN_MS);
    for (const [index, resource] of resources.entries()) {
      // The newest item at or before the window start: the configuration in effect when it begins.
      const before = await log.send(
        client,
        new GetResourceConfigHistoryCommand({
          resourceType: resource.resourceType!,
          resourceId: resource.resourceId!,
          laterTime: start,
          chronologicalOrder: "Reverse",
          limit: 1,
        }),
      );
      // laterTime is inclusive: an item captured exactly at the start belongs to the window's items.
      const baseline = before.configurationItems?.find(
        (item) => item.configurationItemCaptureTime && item.configurationItemCaptureTime < start,
      );
      const items: ConfigurationItem[] = [];
      const seen = new Set<string>();
      for (const span of spans) {
        const pages = log.paginate(
          "GetResourceConfigHistory",
          {
            resourceType: resource.resourceType!,
            resourceId: resource.resourceId!,
            earlierTime: span.start,
            laterTime: span.end,
            chronologicalOrder: "Forward" as const,
            limit: 100,
          },
          (input, o) => paginateGetResourceConfigHistory({ client }, input, o),
        );
        for await (const page of pages) {
          for (const item of page.configurationItems ?? []) {
            // Both span ends are inclusive in the API: keep [start, end) and drop the repeat at a seam.
            const at = item.configurationItemCaptureTime;
            if (at && (at < start || at >= end)) continue;
            const identity = `${item.configurationStateId ?? ""}|${at?.toISOString() ?? ""}`;
            if (seen.has(identity)) continue;
            seen.add(identity);
            items.push(item);
          }
        }
      }
      const payload: Record<string, unknown> = {
        resourceType: resource.resourceType,
        resourceId: resource.resourceId,
      };
      if (resource.resourceName !== undefined) payload.resourceName = resource.resourceName;
      if (baseline) payload.baseline = toEvidence(baseline);
      payload.items = toEvidence(items);
      await ctx.emit({
        payload,
        calls: log.take(),
        period: { start: start.toISOString(), end: end.toISOString() },
      });
      ctx.progress(index + 1, resources.length);
    }
    if (resources.length === 0) ctx.progress(0, 0);
  },
});
