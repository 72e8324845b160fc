import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_multi_region_trail_logging.js";
import type { TrailState, TrailsState } from "../../../src/state/types.js";
import { base, compliantTrail, standardCases } from "../harness.js";

const trails = (...t: TrailState[]): TrailsState => ({
  ...base("111122223333/eu-west-1", "CloudTrail in 111122223333/eu-west-1"),
  trails: t,
});

describe("cloudtrail_multi_region_trail_logging", () => {
  it("is registered under its file name", () =>
    expect(check.id).toBe("cloudtrail_multi_region_trail_logging"));
  standardCases(check, {
    pass: [trails(compliantTrail({ isMultiRegion: false, name: "local" }), compliantTrail())],
    fail: [
      trails(compliantTrail({ isLogging: false })),
      trails(
        compliantTrail({
          managementEvents: { read: false, write: true, excludedSources: ["kms.amazonaws.com"] },
        }),
      ),
    ],
    failReason: /org-audit (not logging|management events write only, excludes kms.amazonaws.com)/,
    noneStatus: "FAIL",
  });
  it("is ERROR when the only candidate's logging status is unknown", () => {
    expect(check.evaluate(trails(compliantTrail({ isLogging: undefined })), {}).status).toBe("ERROR");
  });
});
