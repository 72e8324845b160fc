import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudtrail/cloudtrail_logging_continuous.js";
import type { TrailState } from "../../../src/state/types.js";
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

describe("cloudtrail_logging_continuous", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cloudtrail_logging_continuous"));
  standardCases(check, {
    pass: [trail()],
    fail: [trail({ isLogging: false, loggingSource: "event" })],
    failReason: /org-audit was not logging \(per CloudTrail event\)/,
  });
});
