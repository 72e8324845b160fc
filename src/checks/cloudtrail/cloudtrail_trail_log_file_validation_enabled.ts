import { z } from "zod";
import type { TrailState } from "../../state/types.js";
import type { Check } from "../types.js";
import { trailLabel } from "../util.js";
import { coverageVerdict } from "./coverage.js";

const params = z.strictObject({});

export const check: Check<TrailState, z.infer<typeof params>> = {
  id: "cloudtrail_trail_log_file_validation_enabled",
  title: "Trail log file integrity validation is on",
  service: "cloudtrail",
  severity: "high",
  resourceType: "cloudtrail_trail",
  description: "CloudTrail writes signed digest files so that altered or deleted log files can be detected.",
  remediation: "UpdateTrail with EnableLogFileValidation true.",
  paramsSchema: params,
  evaluate(state) {
    const limited = coverageVerdict(state);
    if (limited) return limited;
    if (state.logFileValidation === undefined)
      return { status: "ERROR", reason: `${trailLabel(state)}: log file validation not in the evidence` };
    return {
      status: state.logFileValidation ? "PASS" : "FAIL",
      reason: `${trailLabel(state)} has log file validation ${state.logFileValidation ? "enabled" : "disabled"}`,
    };
  },
};
