import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import { defineCollector } from "../define.js";
import { DAILY } from "../types.js";
import { CallLog, toEvidence } from "../util.js";
import { state } from "./cloudtrail_trails.state.js";

/**
 * CloudTrail trails seen from this region, shadow trails (multi-region and organization trails homed
 * elsewhere) included, with logging status and event and insight selectors.
 */
export const collector = defineCollector({
  id: "cloudtrail_trails",
  service: "cloudtrail",
  title: "CloudTrail trails, logging status and selectors",
  operations: ["DescribeTrails", "GetTrailStatus", "GetEventSelectors", "GetInsightSelectors"],
  cadence: "snapshot",
  schedule: DAILY,
  resourceTypes: ["cloudtrail_trail", "cloudtrail_trails", "logs_log_group"],
  state,
  async collect(ctx) {
    const client = ctx.client(CloudTrailClient);
    const log = new CallLog("cloudtrail", ctx.signal);
    const described = await log.send(client, new DescribeTrailsCommand({ includeShadowTrails: true }));
    const trailList = described.trailList ?? [];

    const trails = [];
    for (const [index, trail] of trailList.entries()) {
      // The ARN (not the name) is what lets this region answer for a shadow trail homed elsewhere.
      const arn = trail.TrailARN ?? trail.Name!;
      const status = await log.send(client, new GetTrailStatusCommand({ Name: arn }));
      const eventSelectors = await log.send(client, new GetEventSelectorsCommand({ TrailName: arn }));
      const entry: Record<string, unknown> = {
        trail: toEvidence(trail),
        status: toEvidence(status),
        eventSelectors: toEvidence(eventSelectors),
      };
      if (trail.HasInsightSelectors) {
        entry.insightSelectors = toEvidence(
          await log.send(client, new GetInsightSelectorsCommand({ TrailName: arn })),
        );
      }
      trails.push(entry);
      ctx.progress(index + 1, trailList.length);
    }
    await ctx.emit({ payload: { trails }, calls: log.calls });
  },
});
