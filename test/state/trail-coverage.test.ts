import { describe, expect, it } from "vitest";
import { check as cwl } from "../../src/checks/cloudtrail/cloudtrail_trail_cloudwatch_logs_delivery.js";
import { check as kms } from "../../src/checks/cloudtrail/cloudtrail_trail_kms_encrypted.js";
import { check as validation } from "../../src/checks/cloudtrail/cloudtrail_trail_log_file_validation_enabled.js";
import type { AnyCheck } from "../../src/checks/types.js";
import { stateAdapters } from "../../src/collectors/registry.js";
import { evaluateCheck } from "../../src/evaluate/evaluate.js";
import { buildHistories } from "../../src/state/build.js";
import { loaded, record } from "../evaluate/helpers.js";

const MEMBER = "111122223333";
const MANAGEMENT = "999988887777";
const WINDOW = { start: Date.parse("2026-08-01T00:00:00Z"), end: Date.parse("2026-08-02T00:00:00Z") };

/** A DescribeTrails trail (CloudTrail API reference, Trail type) with its GetTrailStatus answer. */
function trailEntry(opts: {
  account: string;
  home: string;
  name: string;
  org?: boolean;
  validation?: boolean;
}) {
  const arn = `arn:aws:cloudtrail:${opts.home}:${opts.account}:trail/${opts.name}`;
  return {
    trail: {
      Name: opts.name,
      S3BucketName: "audit-logs",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: opts.home,
      TrailARN: arn,
      LogFileValidationEnabled: opts.validation ?? true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${opts.home}:${opts.account}:log-group:/aws/cloudtrail/${opts.name}:*`,
      KmsKeyId: `arn:aws:kms:${opts.home}:${opts.account}:key/0b0c5f6e-aaaa-bbbb-cccc-1234567890ab`,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: opts.org ?? false,
    },
    status: {
      IsLogging: true,
      LatestDeliveryTime: "2026-08-01T05:58:00.000Z",
      LatestCloudWatchLogsDeliveryTime: "2026-08-01T05:59:00.000Z",
    },
    eventSelectors: {
      TrailARN: arn,
      EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
    },
  };
}

function trails(account: string, region: string, entries: unknown[]) {
  return ["2026-07-31T06:00:00.000Z", "2026-08-01T06:00:00.000Z"].map((at) =>
    record("cloudtrail_trails", at, { trails: entries }, { account, region }),
  );
}

function run(check: AnyCheck, records: ReturnType<typeof record>[], accounts: string[], regions: string[]) {
  const histories = buildHistories(records.map(loaded), {
    holdMs: () => 26 * 3_600_000,
    window: WINDOW,
    adapters: stateAdapters,
  });
  return evaluateCheck(
    { check, params: check.paramsSchema.parse({}) },
    histories,
    { accounts, regions },
    WINDOW,
    false,
  );
}

describe("a multi-region trail counts for every region it records", () => {
  const homed = trailEntry({ account: MEMBER, home: "us-east-1", name: "org-audit", validation: false });

  it("judges a shadow trail in eu-west-1 (home region out of scope) from its copy, never 'no trails here'", () => {
    const result = run(validation, trails(MEMBER, "eu-west-1", [homed]), [MEMBER], ["eu-west-1"]);
    expect(result.status).toBe("FAIL");
    const f = result.findings[0]!;
    expect(f.region).toBe("eu-west-1");
    expect(f.resource).toBe("arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit");
    expect(f.reason).toContain(
      "trail org-audit (homed in us-east-1, judged from its copy here) has log file validation disabled",
    );
  });

  it("judges it once at its home when the home region is collected, listing a finding for each region", () => {
    const good = trailEntry({ account: MEMBER, home: "us-east-1", name: "org-audit" });
    // The shadow copy says disabled; the home says enabled: the home's evidence decides.
    const records = [...trails(MEMBER, "us-east-1", [good]), ...trails(MEMBER, "eu-west-1", [homed])];
    const result = run(validation, records, [MEMBER], ["eu-west-1", "us-east-1"]);
    expect(result.findings.map((f) => [f.region, f.status])).toEqual([
      ["eu-west-1", "PASS"],
      ["us-east-1", "PASS"],
    ]);
    expect(result.findings[0]!.reason).toContain("homed in us-east-1, judged there");
    expect(result.findings[0]!.evidence.every((e) => e.key.includes("/us-east-1/"))).toBe(true);
  });

  it("gives KMS and CloudWatch Logs delivery findings for the covered region too", () => {
    for (const c of [kms, cwl]) {
      const result = run(c, trails(MEMBER, "eu-west-1", [homed]), [MEMBER], ["eu-west-1"]);
      expect(result.findings[0]!.status, c.id).toBe("PASS");
    }
  });

  it("still says NOT_APPLICABLE where no trail at all records the region", () => {
    const result = run(validation, trails(MEMBER, "eu-west-1", []), [MEMBER], ["eu-west-1"]);
    expect(result.findings[0]!.status).toBe("NOT_APPLICABLE");
  });
});

describe("an organisation trail seen from a member account", () => {
  const org = trailEntry({
    account: MANAGEMENT,
    home: "us-east-1",
    name: "org-trail",
    org: true,
    validation: false,
  });

  it("is a stated limitation when the management account is not in scope: neither FAIL nor NOT_APPLICABLE", () => {
    const result = run(validation, trails(MEMBER, "eu-west-1", [org]), [MEMBER], ["eu-west-1"]);
    const f = result.findings[0]!;
    expect(f.status).toBe("MANUAL");
    expect(f.reason).toContain(`an organisation trail of account ${MANAGEMENT}`);
    expect(f.reason).toContain(`add ${MANAGEMENT} to scope.accounts`);
  });

  it("is judged from the management account's evidence when that is in scope", () => {
    const good = trailEntry({ account: MANAGEMENT, home: "us-east-1", name: "org-trail", org: true });
    const records = [...trails(MANAGEMENT, "us-east-1", [good]), ...trails(MEMBER, "eu-west-1", [org])];
    const result = run(validation, records, [MEMBER, MANAGEMENT], ["eu-west-1", "us-east-1"]);
    const member = result.findings.find((f) => f.account === MEMBER && f.region === "eu-west-1")!;
    expect(member.status).toBe("PASS");
    expect(member.reason).toContain(`homed in ${MANAGEMENT}/us-east-1, judged there`);
  });
});

describe("security monitoring follows the trail to its home region's log group", () => {
  it("counts the filter and alarm in us-east-1 for eu-west-1, which a trail homed in us-east-1 records", async () => {
    const { check: alarms } = await import("../../src/checks/cloudwatch/cloudwatch_security_event_alarms.js");
    const homed = trailEntry({ account: MEMBER, home: "us-east-1", name: "org-audit" });
    const pattern = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }';
    const at = ["2026-07-31T06:00:00.000Z", "2026-08-01T06:00:00.000Z"];
    const logs = (region: string, filters: unknown[]) =>
      at.map((t) =>
        record("logs_log_groups", t, { logGroups: [], metricFilters: filters }, { account: MEMBER, region }),
      );
    const alarmsIn = (region: string, list: unknown[]) =>
      at.map((t) =>
        record(
          "cloudwatch_alarms",
          t,
          { metricAlarms: list, compositeAlarms: [] },
          { account: MEMBER, region },
        ),
      );
    const filter = {
      filterName: "root-usage",
      logGroupName: "/aws/cloudtrail/org-audit",
      filterPattern: pattern,
      metricTransformations: [{ metricName: "RootUsage", metricNamespace: "CIS", metricValue: "1" }],
    };
    const alarm = {
      AlarmName: "root-usage",
      ActionsEnabled: true,
      AlarmActions: ["arn:aws:sns:us-east-1:111122223333:security"],
      MetricName: "RootUsage",
      Namespace: "CIS",
    };
    const records = [
      ...trails(MEMBER, "us-east-1", [homed]),
      ...trails(MEMBER, "eu-west-1", [homed]),
      ...logs("us-east-1", [filter]),
      ...logs("eu-west-1", []),
      ...alarmsIn("us-east-1", [alarm]),
      ...alarmsIn("eu-west-1", []),
    ];
    const histories = buildHistories(records.map(loaded), {
      holdMs: () => 26 * 3_600_000,
      window: WINDOW,
      adapters: stateAdapters,
    });
    const result = evaluateCheck(
      { check: alarms, params: alarms.paramsSchema.parse({ events: ["root_usage"] }) },
      histories,
      { accounts: [MEMBER], regions: ["eu-west-1"] },
      WINDOW,
      false,
    );
    expect(result.findings[0]!.status, result.findings[0]!.reason).toBe("PASS");
  });
});
