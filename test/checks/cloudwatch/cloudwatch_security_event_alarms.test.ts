import { describe, expect, it } from "vitest";
import { check } from "../../../src/checks/cloudwatch/cloudwatch_security_event_alarms.js";
import type { SECURITY_EVENTS } from "../../../src/checks/cloudwatch/security-events.js";
import type { AlarmState, MetricFilterState, SecurityMonitoringState } from "../../../src/state/types.js";
import { base, compliantTrail, standardCases } from "../harness.js";

const GROUP = "/aws/cloudtrail/org-audit";
const filter = (name: string, pattern: string, logGroupName = GROUP): MetricFilterState => ({
  ...base(`${logGroupName}:${name}`, name),
  logGroupName,
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
const trailChanges = filter(
  "trail-changes",
  "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
);
/** compliantTrail delivers to /aws/cloudtrail/org-audit in 111122223333/eu-west-1. */
const monitoring = (
  filters: MetricFilterState[],
  alarms: AlarmState[],
  trails = [compliantTrail()],
): SecurityMonitoringState => ({
  ...base("111122223333/eu-west-1", "CloudWatch alarms in 111122223333/eu-west-1"),
  metricFilters: filters,
  alarms,
  trails,
});
/** One filter with an armed alarm, judged for one event class. */
const judge = (event: keyof typeof SECURITY_EVENTS, pattern: string, logGroupName = GROUP) =>
  check.evaluate(
    monitoring([filter("f", pattern, logGroupName)], [alarm("f")]),
    check.paramsSchema.parse({ events: [event] }),
  );

describe("cloudwatch_security_event_alarms", () => {
  it("is registered under its file name", () => expect(check.id).toBe("cloudwatch_security_event_alarms"));
  standardCases(check, {
    params: { events: ["root_usage", "cloudtrail_changes"] },
    pass: [monitoring([root, trailChanges], [alarm("root-usage"), alarm("trail-changes")])],
    fail: [
      monitoring([root, trailChanges], [alarm("root-usage"), alarm("trail-changes", false)]),
      monitoring([root], [alarm("root-usage")]),
    ],
    failReason: /cloudtrail_changes: (alarm trail-changes has actions disabled|no metric filter)/,
    noneStatus: "FAIL",
  });
});

describe("a filter counts when its parsed pattern matches the event class, whatever its style", () => {
  it.each([
    // CIS v1.2 style, v1.4+ style, no spaces and quotes, reordered, one || chain without parentheses.
    ['{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'],
    [
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    ],
    ["{($.eventName=ConsoleLogin)&&($.additionalEventData.MFAUsed!=Yes)}"],
    ['{ $.additionalEventData.MFAUsed = "No" && $.eventName = "ConsoleLogin" }'],
  ])("console sign-in without MFA: %s", (pattern) =>
    expect(judge("console_signin_without_mfa", pattern).status).toBe("PASS"),
  );

  it.each([
    [
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    ],
    [
      '{ $.eventName = "AuthorizeSecurityGroup*" || $.eventName = "RevokeSecurityGroup*" || $.eventName = "CreateSecurityGroup" || $.eventName = "DeleteSecurityGroup" }',
    ],
    [
      "{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = %^(Authorize|Revoke)SecurityGroup(Ingress|Egress)$|^(Create|Delete)SecurityGroup$%) }",
    ],
  ])("security group changes: %s", (pattern) =>
    expect(judge("security_group_changes", pattern).status).toBe("PASS"),
  );

  it.each([
    ['{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'],
    [
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    ],
  ])("unauthorized API calls: %s", (pattern) =>
    expect(judge("unauthorized_api_calls", pattern).status).toBe("PASS"),
  );

  it("passes the CIS filters for every event class at once", () => {
    const cis: Record<keyof typeof SECURITY_EVENTS, string> = {
      unauthorized_api_calls:
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      console_signin_without_mfa:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      root_usage:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      iam_policy_changes:
        "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
      cloudtrail_changes: trailChanges.filterPattern,
      signin_failures: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
      kms_key_disable_or_delete:
        "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
      s3_bucket_policy_changes:
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
      config_changes:
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }",
      security_group_changes:
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
      nacl_changes:
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
      network_gateway_changes:
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
      route_table_changes:
        "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
      vpc_changes:
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    };
    const names = Object.keys(cis) as Array<keyof typeof cis>;
    const out = check.evaluate(
      monitoring(
        names.map((n) => filter(n, cis[n])),
        names.map((n) => alarm(n)),
      ),
      check.paramsSchema.parse({}),
    );
    expect(out.status, out.reason).toBe("PASS");
  });
});

describe("filters that look right and are wrong do not count", () => {
  it("an inverted MFA condition (counts sign-ins WITH MFA)", () => {
    const out = judge(
      "console_signin_without_mfa",
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "Yes") }',
    );
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain("filter f misses ConsoleLogin (MFAUsed No, Success)");
  });

  it("a filter that counts every console sign-in, with MFA or without", () => {
    const out = judge(
      "console_signin_without_mfa",
      "{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed = * }",
    );
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain("also matches ConsoleLogin (MFAUsed Yes, Success)");
  });

  it("a term pattern that mentions the right words", () => {
    expect(judge("console_signin_without_mfa", "ConsoleLogin MFAUsed").status).toBe("FAIL");
  });

  it("CreateSecurityGroup alone is one event of six", () => {
    const out = judge("security_group_changes", "{ $.eventName = CreateSecurityGroup }");
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain("misses AuthorizeSecurityGroupIngress");
  });

  it("a VPC peering filter is not VPC change coverage", () => {
    expect(judge("vpc_changes", "{ $.eventName = CreateVpcPeeringConnection }").status).toBe("FAIL");
  });

  it("an unauthorized-call filter that also counts throttling", () => {
    expect(judge("unauthorized_api_calls", '{ $.errorCode = "*" }').status).toBe("FAIL");
  });

  it("a correct filter on a log group no trail delivers to", () => {
    const out = judge("root_usage", root.filterPattern, "/app/payments");
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain(
      "is on log group /app/payments, which no trail recording 111122223333/eu-west-1 delivers to",
    );
  });

  it("a filter the parser cannot read is reported, not passed", () => {
    const out = judge("root_usage", '{ $.userIdentity.type = "Root" ');
    expect(out.status).toBe("ERROR");
    expect(out.reason).toContain('filter f could not be read (expected "}"');
  });

  it("an unreadable filter on a log group no trail delivers to does not make the class unknown", () => {
    const out = judge("root_usage", '{ $.userIdentity.type = "Root" ', "/app/payments");
    expect(out.status).toBe("FAIL");
    expect(out.reason).toContain("root_usage: no metric filter matches it");
  });

  it("is ERROR when no trail evidence says which log group receives the events", () => {
    const out = check.evaluate(
      { ...monitoring([root], [alarm("root-usage")]), trails: undefined },
      check.paramsSchema.parse({ events: ["root_usage"] }),
    );
    expect(out.status).toBe("ERROR");
  });
});

describe("a trail homed elsewhere brings its log group's filters and alarms with it", () => {
  it("counts a filter in the trail's home region, with the alarm there", () => {
    const home = compliantTrail({
      cloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/org-audit:*",
    });
    const f = { ...filter("root-usage", root.filterPattern), region: "us-east-1" };
    const a = { ...alarm("root-usage"), region: "us-east-1" };
    const params = check.paramsSchema.parse({ events: ["root_usage"] });
    expect(check.evaluate(monitoring([f], [a], [home]), params).status).toBe("PASS");
    // The alarm must watch the metric where it is: one of the same name in another region does not.
    expect(check.evaluate(monitoring([f], [alarm("root-usage")], [home]), params).status).toBe("FAIL");
  });
});
