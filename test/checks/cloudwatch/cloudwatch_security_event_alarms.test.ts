import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudwatch/cloudwatch_security_event_alarms.js";
import type { AlarmState, MetricFilterState, SecurityMonitoringState } from "../../../src/state/types.js";
import { base, standardCases } from "../harness.js";

const filter = (name: string, pattern: string): MetricFilterState => ({
  ...base(`/aws/cloudtrail/org-audit:${name}`, name),
  logGroupName: "/aws/cloudtrail/org-audit",
  filterPattern: pattern,
  metrics: [{ name, namespace: "CIS" }],
});
const alarm = (name: string, actionsEnabled = true): AlarmState => ({
  ...base(name),
  actionsEnabled,
  alarmActions: ["arn:aws:sns:eu-west-1:111122223333:security"],
  metricName: name,
  namespace: "CIS",
});
const root = filter("root-usage", '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }');
const stop = filter(
  "trail-changes",
  "{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) }",
);
const monitoring = (filters: MetricFilterState[], alarms: AlarmState[]): SecurityMonitoringState => ({
  ...base("111122223333/eu-west-1", "CloudWatch alarms in 111122223333/eu-west-1"),
  metricFilters: filters,
  alarms,
});

describe("cloudwatch_security_event_alarms", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cloudwatch_security_event_alarms"));
  standardCases(check, {
    params: { events: ["root_usage", "cloudtrail_changes"] },
    pass: [monitoring([root, stop], [alarm("root-usage"), alarm("trail-changes")])],
    fail: [
      monitoring([root, stop], [alarm("root-usage"), alarm("trail-changes", false)]),
      monitoring([root], [alarm("root-usage")]),
    ],
    failReason: /cloudtrail_changes: (alarm trail-changes has actions disabled|no metric filter)/,
    noneStatus: "FAIL",
  });
});

describe("cloudwatch_security_event_alarms: network changes are the five CIS filters", () => {
  const sg = filter(
    "security-group-changes",
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) }",
  );
  const nacl = filter(
    "nacl-changes",
    "{ ($.eventName = CreateNetworkAcl) || ($.eventName = ReplaceNetworkAclEntry) }",
  );
  const routes = filter(
    "route-table-changes",
    "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) }",
  );
  const params = check.paramsSchema.parse({
    events: ["security_group_changes", "nacl_changes", "route_table_changes"],
  });

  it("passes when each has its own armed alarm", () => {
    const state = monitoring(
      [sg, nacl, routes],
      [alarm("security-group-changes"), alarm("nacl-changes"), alarm("route-table-changes")],
    );
    expect(check.evaluate(state, params).status).toBe("PASS");
  });

  it("fails when the security-group alarm is deleted, even though the NACL alarm still watches network changes", () => {
    const outcome = check.evaluate(
      monitoring([sg, nacl, routes], [alarm("nacl-changes"), alarm("route-table-changes")]),
      params,
    );
    expect(outcome.status).toBe("FAIL");
    expect(outcome.reason).toMatch(/security_group_changes: filter security-group-changes has no alarm/);
    expect(outcome.reason).not.toMatch(/nacl_changes|route_table_changes/);
  });

  it("does not count a VPC peering filter as route-table or VPC coverage by name prefix alone", () => {
    const peering = filter("peering", "{ $.eventName = CreateVpcPeeringConnection }");
    const outcome = check.evaluate(
      monitoring([peering], [alarm("peering")]),
      check.paramsSchema.parse({ events: ["vpc_changes"] }),
    );
    expect(outcome.status).toBe("FAIL");
    expect(outcome.reason).toMatch(/vpc_changes: no metric filter/);
  });
});
