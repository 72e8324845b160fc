import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";

const params = z.strictObject({});

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_logging_continuous",
  title: "Trail logging was never stopped",
  service: "cloudtrail",
  severity: "critical",
  resourceType: "cloudtrail_trail",
  description:
    "Across the whole period, the trail was logging: StopLogging/StartLogging events and trail status pair up into the intervals in which it was stopped.",
  remediation:
    "StartLogging, find who called StopLogging (the interval's evidence names the event), and restrict cloudtrail:StopLogging.",
  paramsSchema: params,
  evaluate(state) {
    if (state.isLogging === undefined) {
      return {
        status: "ERROR",
        reason: `${trailLabel(state)}: logging status not in the evidence (no trail status or Start/StopLogging event)`,
      };
    }
    const how =
      state.loggingSource === "event"
        ? " (per CloudTrail event)"
        : state.loggingSource === "inferred"
          ? " (inferred from the next event or status)"
          : "";
    return state.isLogging
      ? { status: "PASS", reason: `${trailLabel(state)} is logging${how}` }
      : { status: "FAIL", reason: `${trailLabel(state)} was not logging${how}` };
  },
};
