import { arr, trailArn } from "../../state/fields.js";
import { trailFields } from "../../state/parse.js";
import { snapshotAdapter, TRAIL_SHADOWS } from "../../state/snapshots.js";
import { addTrailStatusTimes } from "../../state/status-times.js";
import type { TrailState } from "../../state/types.js";

/**
 * Each trail this region sees. A multi-region trail homed elsewhere is a shadow here (the aggregate
 * uses it only when its home region was not collected); GetTrailStatus gives a logging signal.
 */
export const state = snapshotAdapter(["cloudtrail_trail", TRAIL_SHADOWS], (r) => {
  const { base, observe, builder, at } = r;
  const { account, region } = r.record;
  for (const entry of arr(r.record.payload, "trails")) {
    const e = entry as { trail?: unknown; status?: unknown; eventSelectors?: unknown };
    const f = trailFields(e.trail, { status: e.status, selectors: e.eventSelectors });
    if (!f.name && !f.arn) continue;
    const arn = trailArn(account, f.homeRegion ?? region, f.arn ?? f.name!);
    const trail: TrailState = { ...base, ...f, id: arn, arn, name: f.name ?? arn };
    // Delivery ages are judged at the moment GetTrailStatus answered.
    if (trail.delivery) trail.delivery = { ...trail.delivery, statusAt: r.record.collectedAt };
    const isShadow = f.homeRegion !== undefined && f.homeRegion !== region;
    if (f.isLogging !== undefined)
      builder.signal(account, region, arn, { at, kind: "status", isLogging: f.isLogging });
    observe(isShadow ? TRAIL_SHADOWS : "cloudtrail_trail", arn, trail);
  }
  // GetTrailStatus's StartLoggingTime / StopLoggingTime are observations of their own (issue 10).
  addTrailStatusTimes(builder, r.record, r.base.evidence[0]!);
});
