/**
 * The security events a metric filter must count, each as example CloudTrail events it must match
 * and counter-examples it must not (CloudTrail User Guide, "CloudTrail record contents" and
 * "AWS Management Console sign-in events"; event sets after the CIS AWS Foundations Benchmark
 * monitoring filters). A filter watches an event class when it matches every example and no
 * counter-example, so a filter on one event of several, or with an inverted condition, does not.
 */
type Event = Record<string, unknown>;

const ACCOUNT = "123456789012";

const iamUser = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEUSER00001",
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: "ASIAEXAMPLEKEY000001",
  userName: "alice",
};
const root = {
  type: "Root",
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
  accessKeyId: "ASIAEXAMPLEKEY000002",
};

/** A management-event record as CloudTrail writes it to CloudWatch Logs. */
export function apiCall(eventSource: string, eventName: string, extra: Event = {}): Event {
  return {
    eventVersion: "1.09",
    userIdentity: iamUser,
    eventTime: "2026-08-01T12:00:00Z",
    eventSource,
    eventName,
    awsRegion: "eu-west-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/2.15.0",
    requestParameters: {},
    responseElements: null,
    requestID: "11111111-2222-3333-4444-555555555555",
    eventID: "66666666-7777-8888-9999-000000000000",
    readOnly: /^(Describe|Get|List|Lookup|Head)/.test(eventName),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    ...extra,
  };
}

/** A console sign-in record (eventSource signin.amazonaws.com, eventType AwsConsoleSignIn). */
export function consoleLogin(opts: { ok: boolean; mfa: "Yes" | "No"; identity?: Event }): Event {
  return apiCall("signin.amazonaws.com", "ConsoleLogin", {
    userIdentity: opts.identity ?? {
      type: "IAMUser",
      principalId: iamUser.principalId,
      arn: iamUser.arn,
      accountId: ACCOUNT,
      userName: "alice",
    },
    eventType: "AwsConsoleSignIn",
    readOnly: false,
    requestParameters: null,
    responseElements: { ConsoleLogin: opts.ok ? "Success" : "Failure" },
    additionalEventData: {
      LoginTo: "https://console.aws.amazon.com/console/home",
      MobileVersion: "No",
      MFAUsed: opts.mfa,
    },
    ...(opts.ok ? {} : { errorMessage: "Failed authentication" }),
  });
}

const calls = (source: string, names: string[]): Event[] => names.map((n) => apiCall(source, n));

export interface SecurityEventClass {
  title: string;
  examples: Event[];
  counterExamples: Event[];
}

export const SECURITY_EVENTS = {
  unauthorized_api_calls: {
    title: "unauthorized API calls",
    examples: [
      apiCall("ec2.amazonaws.com", "RunInstances", {
        errorCode: "Client.UnauthorizedOperation",
        errorMessage: "You are not authorized to perform this operation.",
      }),
      apiCall("s3.amazonaws.com", "ListBuckets", {
        errorCode: "AccessDenied",
        errorMessage: "Access Denied",
      }),
      apiCall("iam.amazonaws.com", "ListUsers", {
        errorCode: "AccessDenied",
        errorMessage: "User is not authorized to perform: iam:ListUsers",
      }),
    ],
    counterExamples: [
      apiCall("ec2.amazonaws.com", "DescribeInstances"),
      apiCall("ec2.amazonaws.com", "DescribeInstances", {
        errorCode: "Client.RequestLimitExceeded",
        errorMessage: "Request limit exceeded.",
      }),
    ],
  },
  console_signin_without_mfa: {
    title: "console sign-in without MFA",
    examples: [consoleLogin({ ok: true, mfa: "No" })],
    counterExamples: [consoleLogin({ ok: true, mfa: "Yes" }), apiCall("s3.amazonaws.com", "ListBuckets")],
  },
  root_usage: {
    title: "use of the root user",
    examples: [
      apiCall("s3.amazonaws.com", "ListBuckets", { userIdentity: root }),
      consoleLogin({
        ok: true,
        mfa: "Yes",
        identity: { type: "Root", principalId: ACCOUNT, arn: root.arn, accountId: ACCOUNT },
      }),
    ],
    counterExamples: [apiCall("s3.amazonaws.com", "ListBuckets")],
  },
  iam_policy_changes: {
    title: "IAM policy changes",
    examples: calls("iam.amazonaws.com", [
      "DeleteGroupPolicy",
      "DeleteRolePolicy",
      "DeleteUserPolicy",
      "PutGroupPolicy",
      "PutRolePolicy",
      "PutUserPolicy",
      "CreatePolicy",
      "DeletePolicy",
      "CreatePolicyVersion",
      "DeletePolicyVersion",
      "AttachRolePolicy",
      "DetachRolePolicy",
      "AttachUserPolicy",
      "DetachUserPolicy",
      "AttachGroupPolicy",
      "DetachGroupPolicy",
    ]),
    counterExamples: calls("iam.amazonaws.com", ["GetPolicy", "ListPolicies", "CreateUser"]),
  },
  cloudtrail_changes: {
    title: "CloudTrail configuration changes",
    examples: calls("cloudtrail.amazonaws.com", [
      "CreateTrail",
      "UpdateTrail",
      "DeleteTrail",
      "StartLogging",
      "StopLogging",
    ]),
    counterExamples: calls("cloudtrail.amazonaws.com", ["DescribeTrails", "GetTrailStatus", "LookupEvents"]),
  },
  signin_failures: {
    title: "console sign-in failures",
    examples: [consoleLogin({ ok: false, mfa: "No" })],
    counterExamples: [consoleLogin({ ok: true, mfa: "No" }), consoleLogin({ ok: true, mfa: "Yes" })],
  },
  kms_key_disable_or_delete: {
    title: "disabling or scheduled deletion of KMS keys",
    examples: calls("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion"]),
    counterExamples: calls("kms.amazonaws.com", ["EnableKey", "Decrypt", "CancelKeyDeletion"]),
  },
  s3_bucket_policy_changes: {
    title: "S3 bucket policy changes",
    examples: calls("s3.amazonaws.com", [
      "PutBucketAcl",
      "PutBucketPolicy",
      "PutBucketCors",
      "PutBucketLifecycle",
      "PutBucketReplication",
      "DeleteBucketPolicy",
      "DeleteBucketCors",
      "DeleteBucketLifecycle",
      "DeleteBucketReplication",
    ]),
    counterExamples: calls("s3.amazonaws.com", ["GetBucketPolicy", "ListBuckets", "GetBucketAcl"]),
  },
  config_changes: {
    title: "AWS Config configuration changes",
    examples: calls("config.amazonaws.com", [
      "StopConfigurationRecorder",
      "DeleteDeliveryChannel",
      "PutDeliveryChannel",
      "PutConfigurationRecorder",
    ]),
    counterExamples: calls("config.amazonaws.com", [
      "DescribeConfigurationRecorders",
      "DescribeDeliveryChannelStatus",
    ]),
  },
  security_group_changes: {
    title: "security group changes",
    examples: calls("ec2.amazonaws.com", [
      "AuthorizeSecurityGroupIngress",
      "AuthorizeSecurityGroupEgress",
      "RevokeSecurityGroupIngress",
      "RevokeSecurityGroupEgress",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
    ]),
    counterExamples: calls("ec2.amazonaws.com", ["DescribeSecurityGroups", "DescribeSecurityGroupRules"]),
  },
  nacl_changes: {
    title: "network ACL changes",
    examples: calls("ec2.amazonaws.com", [
      "CreateNetworkAcl",
      "CreateNetworkAclEntry",
      "DeleteNetworkAcl",
      "DeleteNetworkAclEntry",
      "ReplaceNetworkAclEntry",
      "ReplaceNetworkAclAssociation",
    ]),
    counterExamples: calls("ec2.amazonaws.com", ["DescribeNetworkAcls"]),
  },
  network_gateway_changes: {
    title: "network gateway changes",
    examples: calls("ec2.amazonaws.com", [
      "CreateCustomerGateway",
      "DeleteCustomerGateway",
      "AttachInternetGateway",
      "CreateInternetGateway",
      "DeleteInternetGateway",
      "DetachInternetGateway",
    ]),
    counterExamples: calls("ec2.amazonaws.com", ["DescribeInternetGateways", "DescribeCustomerGateways"]),
  },
  route_table_changes: {
    title: "route table changes",
    examples: calls("ec2.amazonaws.com", [
      "CreateRoute",
      "CreateRouteTable",
      "ReplaceRoute",
      "ReplaceRouteTableAssociation",
      "DeleteRouteTable",
      "DeleteRoute",
      "DisassociateRouteTable",
    ]),
    counterExamples: calls("ec2.amazonaws.com", ["DescribeRouteTables"]),
  },
  vpc_changes: {
    title: "VPC changes",
    // EC2-Classic and ClassicLink were retired in 2022; the CIS filter's ClassicLink events are optional.
    examples: calls("ec2.amazonaws.com", [
      "CreateVpc",
      "DeleteVpc",
      "ModifyVpcAttribute",
      "AcceptVpcPeeringConnection",
      "CreateVpcPeeringConnection",
      "DeleteVpcPeeringConnection",
      "RejectVpcPeeringConnection",
    ]),
    counterExamples: calls("ec2.amazonaws.com", ["DescribeVpcs", "DescribeVpcPeeringConnections"]),
  },
} satisfies Record<string, SecurityEventClass>;

export type SecurityEvent = keyof typeof SECURITY_EVENTS;
