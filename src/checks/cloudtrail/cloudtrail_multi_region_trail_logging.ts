import { z } from "zod";
import type { TrailState, TrailsState } from "../../state/types.js";
import type { Check } from "../types.js";

const params = z.strictObject({});

/** Why a trail does not qualify; empty when it does, undefined when its logging status is unknown. */
export function trailShortfalls(t: TrailState): string[] | undefined {
  const gaps: string[] = [];
  if (t.isMultiRegion !== true) gaps.push("not multi-region");
  if (t.isLogging === false) gaps.push("not logging");
  if (t.includeGlobalServiceEvents === false) gaps.push("global service events excluded");
  const m = t.managementEvents;
  if (m) {
    if (!m.read || !m.write)
      gaps.push(`management events ${m.read ? "read only" : m.write ? "write only" : "not captured"}`);
    if (m.excludedSources.length) gaps.push(`excludes ${m.excludedSources.join(", ")}`);
  }
  if (gaps.length === 0 && t.isLogging === undefined) return undefined;
  return gaps;
}

export const check: Check<TrailsState, z.infer<typeof params>> = {
  id: "cloudtrail_multi_region_trail_logging",
  title: "A logging multi-region trail captures all management events",
  service: "cloudtrail",
  severity: "critical",
  resourceType: "cloudtrail_trails",
  description:
    "At least one multi-region trail is logging, includes global service events, and captures management events, read and write, with no event source excluded.",
  remediation:
    "Create or update a trail with IsMultiRegionTrail and IncludeGlobalServiceEvents, event selectors ReadWriteType All with management events, and StartLogging.",
  paramsSchema: params,
  evaluate(state) {
    const where = `${state.account}/${state.region}`;
    if (state.trails.length === 0) return { status: "FAIL", reason: `no CloudTrail trail records ${where}` };
    const verdicts = state.trails.map((t) => ({ t, gaps: trailShortfalls(t) }));
    const good = verdicts.find((v) => v.gaps?.length === 0);
    if (good) {
      return {
        status: "PASS",
        reason: `trail ${good.t.name} is multi-region, logging and captures all management events in ${where}`,
      };
    }
    const unknown = verdicts.filter((v) => v.gaps === undefined);
    if (unknown.length) {
      return {
        status: "ERROR",
        reason: `logging status of trail ${unknown.map((v) => v.t.name).join(", ")} in ${where} is not in the evidence`,
      };
    }
    return {
      status: "FAIL",
      reason: `no qualifying trail in ${where}: ${verdicts.map((v) => `${v.t.name} ${v.gaps!.join(", ")}`).join("; ")}`,
    };
  },
};
