import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_multi_region_trail_logging.js";
import type { TrailState, TrailsState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const trail = (over: Partial<TrailState> = {}): TrailState => ({
  ...base("arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-audit", "org-audit"),
  isMultiRegion: true,
  includeGlobalServiceEvents: true,
  isLogging: true,
  logFileValidation: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k1",
  cloudWatchLogsLogGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/org-audit:*",
  managementEvents: { read: true, write: true, excludedSources: [] },
  ...over,
});
const trails = (...t: TrailState[]): TrailsState => ({
  ...base("111122223333/eu-west-1", "CloudTrail in 111122223333/eu-west-1"),
  trails: t,
});

describe("cloudtrail_multi_region_trail_logging", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_multi_region_trail_logging"));
  standardCases(check, {
    pass: [trails(trail({ isMultiRegion: false, name: "local" }), trail())],
    fail: [
      trails(trail({ isLogging: false })),
      trails(
        trail({ managementEvents: { read: false, write: true, excludedSources: ["kms.amazonaws.com"] } }),
      ),
    ],
    failReason: /org-audit (not logging|management events write only, excludes kms.amazonaws.com)/,
    noneStatus: "FAIL",
  });
  it("is ERROR when the only candidate's logging status is unknown", () => {
    expect(check.evaluate(trails(trail({ isLogging: undefined })), {}).status).toBe("ERROR");
  });
});
