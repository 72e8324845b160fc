import type { EstateSpec, MetricFilterSpec, RegionSpec } from "./model.js";

/** The `demo` estate at the START of 2026-Q3 (drift.ts changes it inside the quarter). */

export const PROD = "111122223333";
export const STAGING = "444455556666";
export const EU = "eu-west-1";
export const US = "us-east-1";

export const CUSTOMER_POOL_ID = "eu-west-1_Kq7PmC2xR";
export const WORKFORCE_POOL_ID = "eu-west-1_Wf3NbT8vL";
export const PROD_TRAIL = "payments-org-audit";
export const PROD_TRAIL_LOG_GROUP = "/aws/cloudtrail/payments-org-audit";
export const SECURITY_GROUP_ALARM = "cis-security-group-changes";
export const AUTH_FAILURE_ALARM = "cis-console-auth-failures";

const ALL_CIS = [
  "unauthorized-api-calls",
  "console-signin-without-mfa",
  "root-account-usage",
  "iam-policy-changes",
  "cloudtrail-config-changes",
  "console-auth-failures",
  "disable-or-delete-cmk",
  "s3-bucket-policy-changes",
  "config-changes",
  "security-group-changes",
  "nacl-changes",
  "network-gateway-changes",
  "route-table-changes",
  "vpc-changes",
  "organizations-changes",
];

function cisFilters(logGroup: string, keys: string[], created: string): MetricFilterSpec[] {
  return keys.map((cis) => ({ cis, logGroup, created }));
}

const prodEu: RegionSpec = {
  userPools: [
    {
      id: CUSTOMER_POOL_ID,
      name: "payments-customers",
      created: "2024-03-11T09:14:52Z",
      lastModified: "2026-05-19T11:02:37Z",
      tier: "PLUS",
      password: {
        minLength: 12,
        upper: true,
        lower: true,
        numbers: true,
        symbols: false,
        history: 4,
        tempValidityDays: 7,
      },
      mfa: "ON",
      totp: true,
      sms: false,
      email: false,
      threatProtection: "ENFORCED",
      estimatedUsers: 48213,
      domain: "auth-payments-prod",
      deletionProtection: true,
      tags: { "cost-center": "payments", "data-classification": "cardholder", "compliance-scope": "pci" },
      clients: [
        {
          name: "checkout-web",
          accessTokenMinutes: 15,
          idTokenMinutes: 15,
          refreshTokenDays: 1,
          flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          callbackUrls: ["https://checkout.payments.example.com/auth/callback"],
          created: "2024-03-11T09:20:03Z",
        },
        {
          name: "settlement-backend",
          secret: "fixture-client-secret-DO-NOT-LEAK-1",
          accessTokenMinutes: 60,
          idTokenMinutes: 60,
          refreshTokenDays: 30,
          flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
          created: "2024-06-02T15:41:19Z",
        },
      ],
    },
    {
      id: WORKFORCE_POOL_ID,
      name: "payments-workforce",
      created: "2023-10-02T07:55:10Z",
      lastModified: "2025-11-24T16:30:44Z",
      tier: "ESSENTIALS",
      password: {
        minLength: 8,
        upper: false,
        lower: true,
        numbers: true,
        symbols: false,
        tempValidityDays: 14,
      },
      mfa: "OPTIONAL",
      totp: false,
      sms: true,
      email: false,
      threatProtection: "OFF",
      estimatedUsers: 187,
      domain: "workforce-payments-prod",
      deletionProtection: false,
      tags: { "cost-center": "operations", "compliance-scope": "pci" },
      clients: [
        {
          name: "ops-admin-portal",
          accessTokenMinutes: 480,
          idTokenMinutes: 480,
          refreshTokenDays: 90,
          flows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          callbackUrls: ["https://ops.payments.example.com/oauth2/idpresponse"],
          created: "2023-10-02T08:03:41Z",
        },
      ],
    },
  ],
  trails: [
    {
      name: "payments-org-audit",
      homeRegion: "eu-west-1",
      multiRegion: true,
      logFileValidation: true,
      kmsKeyAlias: "cloudtrail",
      cloudWatchLogGroup: PROD_TRAIL_LOG_GROUP,
      bucket: "payments-prod-cloudtrail-111122223333",
      dataEventBuckets: ["payments-prod-cardholder-data-111122223333"],
      insights: true,
      created: "2023-09-18T10:02:11Z",
    },
  ],
  logGroups: [
    {
      name: PROD_TRAIL_LOG_GROUP,
      retentionDays: 365,
      kms: true,
      created: "2023-09-18T10:01:40Z",
      storedBytes: 48_318_112_904,
      tags: { "compliance-scope": "pci", purpose: "security-audit" },
    },
    {
      name: "/aws/lambda/payments-authorizer",
      retentionDays: 30,
      kms: false,
      created: "2024-02-07T13:22:05Z",
      storedBytes: 2_184_330_771,
    },
    {
      name: "/aws/lambda/settlement-batch",
      retentionDays: 400,
      kms: true,
      created: "2024-06-02T15:50:31Z",
      storedBytes: 912_004_118,
    },
    {
      name: "/aws/vpc/flow-logs/payments-vpc",
      retentionDays: 731,
      kms: true,
      created: "2023-09-20T08:11:56Z",
      storedBytes: 96_540_221_387,
    },
    {
      name: "/ecs/checkout-api",
      retentionDays: 90,
      kms: false,
      created: "2024-01-15T17:45:12Z",
      storedBytes: 11_772_903_164,
    },
    {
      name: "/aws/cognito/payments-customers/userauth",
      retentionDays: 365,
      kms: true,
      created: "2025-02-03T10:00:09Z",
      storedBytes: 403_118_202,
    },
    {
      name: "/aws/lambda/legacy-reconciler",
      kms: false,
      created: "2022-11-29T12:31:48Z",
      storedBytes: 7_004_561_390,
    },
  ],
  metricFilters: cisFilters(PROD_TRAIL_LOG_GROUP, ALL_CIS, "2023-09-18T11:20:00Z"),
  alarms: [
    ...ALL_CIS.map((cis, i) => ({
      name: `cis-${cis}`,
      cis,
      description: `CIS AWS Foundations: alarm on ${cis.replace(/-/g, " ")} (CloudTrail metric filter)`,
      actionsEnabled: true,
      state: (cis === "unauthorized-api-calls" ? "ALARM" : "OK") as "ALARM" | "OK",
      stateSince:
        cis === "unauthorized-api-calls"
          ? "2026-09-30T22:17:00Z"
          : `2026-0${6 + (i % 3)}-1${i % 10}T0${i % 10}:12:00Z`,
      updated: "2025-04-08T09:30:00Z",
    })),
    {
      name: "checkout-api-5xx-rate",
      metric: {
        namespace: "AWS/ApplicationELB",
        name: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        threshold: 50,
        period: 60,
        dimensions: [{ Name: "LoadBalancer", Value: "app/checkout-alb/5f2a9c0d81e4b7a3" }],
      },
      description: "Checkout API returns server errors",
      actionsEnabled: true,
      state: "OK",
      stateSince: "2026-09-28T03:41:00Z",
      updated: "2025-09-01T12:00:00Z",
    },
  ],
  compositeAlarms: [
    {
      name: "security-critical-activity",
      rule: "ALARM(cis-root-account-usage) OR ALARM(cis-cloudtrail-config-changes) OR ALARM(cis-config-changes)",
      description: "Any critical security signal (root use, audit trail or Config changes)",
      updated: "2025-04-08T09:35:00Z",
    },
  ],
  config: {
    recorder: { allSupported: true, includeGlobal: true, lastStart: "2023-09-18T10:30:12Z" },
    deliveryBucket: "payments-prod-config-111122223333",
    rules: [
      {
        name: "iam-password-policy",
        identifier: "IAM_PASSWORD_POLICY",
        parameters: {
          RequireUppercaseCharacters: "true",
          RequireLowercaseCharacters: "true",
          RequireNumbers: "true",
          MinimumPasswordLength: "12",
          PasswordReusePrevention: "4",
          MaxPasswordAge: "90",
        },
        periodic: true,
        results: [
          ["AWS::::Account", PROD, "NON_COMPLIANT", "MinimumPasswordLength is 8; the rule requires 12."],
        ],
      },
      {
        name: "mfa-enabled-for-iam-console-access",
        identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
        periodic: true,
        results: [
          ["AWS::IAM::User", "AIDAPRODBREAKGLASS01", "COMPLIANT"],
          ["AWS::IAM::User", "AIDAPRODSVCRECON0001", "NOT_APPLICABLE"],
          [
            "AWS::IAM::User",
            "AIDAPRODCONTRACTOR01",
            "NON_COMPLIANT",
            "Console password set without an MFA device.",
          ],
          ["AWS::IAM::User", "AIDAPRODREPORTING001", "COMPLIANT"],
          ["AWS::IAM::User", "AIDAPRODAUDITOR00001", "COMPLIANT"],
        ],
      },
      {
        name: "root-account-mfa-enabled",
        identifier: "ROOT_ACCOUNT_MFA_ENABLED",
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
      {
        name: "cloud-trail-log-file-validation-enabled",
        identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
      {
        name: "cloudtrail-security-trail-enabled",
        identifier: "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
      {
        name: "cw-loggroup-retention-period-check",
        identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        parameters: { MinRetentionTime: "365" },
        periodic: true,
        results: [
          ["AWS::Logs::LogGroup", PROD_TRAIL_LOG_GROUP, "COMPLIANT"],
          [
            "AWS::Logs::LogGroup",
            "/aws/lambda/payments-authorizer",
            "NON_COMPLIANT",
            "Retention 30 days is below 365.",
          ],
          ["AWS::Logs::LogGroup", "/aws/lambda/settlement-batch", "COMPLIANT"],
          ["AWS::Logs::LogGroup", "/aws/vpc/flow-logs/payments-vpc", "COMPLIANT"],
          ["AWS::Logs::LogGroup", "/ecs/checkout-api", "NON_COMPLIANT", "Retention 90 days is below 365."],
          ["AWS::Logs::LogGroup", "/aws/cognito/payments-customers/userauth", "COMPLIANT"],
          ["AWS::Logs::LogGroup", "/aws/lambda/legacy-reconciler", "COMPLIANT"],
        ],
      },
      {
        name: "guardduty-enabled-centralized",
        identifier: "GUARDDUTY_ENABLED_CENTRALIZED",
        parameters: { CentralMonitoringAccount: "999988887777" },
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
      {
        name: "s3-bucket-default-lock-enabled",
        identifier: "S3_BUCKET_DEFAULT_LOCK_ENABLED",
        periodic: false,
        scope: ["AWS::S3::Bucket"],
        results: [
          ["AWS::S3::Bucket", "payments-prod-auditpack-evidence-111122223333", "COMPLIANT"],
          [
            "AWS::S3::Bucket",
            "payments-prod-cloudtrail-111122223333",
            "NON_COMPLIANT",
            "Object Lock is not enabled.",
          ],
          [
            "AWS::S3::Bucket",
            "payments-prod-config-111122223333",
            "NON_COMPLIANT",
            "Object Lock is not enabled.",
          ],
          [
            "AWS::S3::Bucket",
            "payments-prod-cardholder-data-111122223333",
            "NON_COMPLIANT",
            "Object Lock is not enabled.",
          ],
        ],
      },
      {
        name: "cloudwatch-alarm-action-check-conformance-pack-p4c1dss7q",
        identifier: "CLOUDWATCH_ALARM_ACTION_CHECK",
        parameters: {
          alarmActionRequired: "true",
          insufficientDataActionRequired: "false",
          okActionRequired: "false",
        },
        periodic: false,
        scope: ["AWS::CloudWatch::Alarm"],
        conformancePack: "Operational-Best-Practices-for-PCI-DSS-4",
        results: [["AWS::CloudWatch::Alarm", "checkout-api-5xx-rate", "COMPLIANT"]],
      },
      {
        name: "multi-region-cloudtrail-enabled-conformance-pack-p4c1dss7q",
        identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        periodic: true,
        conformancePack: "Operational-Best-Practices-for-PCI-DSS-4",
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
    ],
    conformancePacks: [{ name: "Operational-Best-Practices-for-PCI-DSS-4", created: "2025-03-04T14:22:31Z" }],
  },
};

const prodUs: RegionSpec = {
  userPools: [
    {
      id: "us-east-1_Dr9XcV4hP",
      name: "payments-customers-dr",
      created: "2025-01-20T10:11:05Z",
      lastModified: "2026-05-19T11:09:58Z",
      tier: "PLUS",
      password: {
        minLength: 12,
        upper: true,
        lower: true,
        numbers: true,
        symbols: true,
        history: 4,
        tempValidityDays: 7,
      },
      mfa: "ON",
      totp: true,
      sms: false,
      email: false,
      threatProtection: "AUDIT",
      estimatedUsers: 0,
      deletionProtection: true,
      tags: { "cost-center": "payments", "compliance-scope": "pci", role: "disaster-recovery" },
      clients: [
        {
          name: "checkout-web-dr",
          accessTokenMinutes: 15,
          idTokenMinutes: 15,
          refreshTokenDays: 1,
          flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          callbackUrls: ["https://checkout-dr.payments.example.com/auth/callback"],
          created: "2025-01-20T10:15:44Z",
        },
      ],
    },
  ],
  trails: [],
  logGroups: [
    {
      name: "/aws/lambda/edge-auth-viewer-request",
      retentionDays: 14,
      kms: false,
      created: "2024-08-12T09:40:18Z",
      storedBytes: 58_120_004,
    },
    {
      name: "/aws/lambda/payments-authorizer-dr",
      retentionDays: 365,
      kms: true,
      created: "2025-01-20T10:30:55Z",
      storedBytes: 1_048_576,
    },
    {
      name: "aws-waf-logs-checkout",
      retentionDays: 90,
      kms: false,
      created: "2024-05-30T18:02:41Z",
      storedBytes: 5_930_118_446,
    },
  ],
  metricFilters: [],
  alarms: [
    {
      name: "billing-estimated-charges",
      metric: {
        namespace: "AWS/Billing",
        name: "EstimatedCharges",
        statistic: "Maximum",
        threshold: 25000,
        period: 21600,
        dimensions: [{ Name: "Currency", Value: "USD" }],
      },
      description: "Monthly AWS spend above budget",
      actionsEnabled: true,
      state: "OK",
      stateSince: "2026-09-01T06:00:00Z",
      updated: "2024-01-03T10:00:00Z",
    },
  ],
  compositeAlarms: [],
  config: {
    // Global types (IAM) are recorded in eu-west-1 only, as AWS recommends.
    recorder: { allSupported: true, includeGlobal: false, lastStart: "2023-09-18T10:34:40Z" },
    deliveryBucket: "payments-prod-config-111122223333",
    deliveryFailingSince: "2026-09-12T06:00:41Z",
    rules: [
      {
        name: "cw-loggroup-retention-period-check",
        identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        parameters: { MinRetentionTime: "365" },
        periodic: true,
        results: [
          [
            "AWS::Logs::LogGroup",
            "/aws/lambda/edge-auth-viewer-request",
            "NON_COMPLIANT",
            "Retention 14 days is below 365.",
          ],
          ["AWS::Logs::LogGroup", "/aws/lambda/payments-authorizer-dr", "COMPLIANT"],
          [
            "AWS::Logs::LogGroup",
            "aws-waf-logs-checkout",
            "NON_COMPLIANT",
            "Retention 90 days is below 365.",
          ],
        ],
      },
      {
        name: "cloudtrail-security-trail-enabled",
        identifier: "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
      {
        name: "guardduty-enabled-centralized",
        identifier: "GUARDDUTY_ENABLED_CENTRALIZED",
        parameters: { CentralMonitoringAccount: "999988887777" },
        periodic: true,
        results: [["AWS::::Account", PROD, "COMPLIANT"]],
      },
    ],
    conformancePacks: [],
  },
};

const stagingEu: RegionSpec = {
  userPools: [
    {
      id: "eu-west-1_St4gQa9Zm",
      name: "payments-staging-customers",
      created: "2024-03-12T08:40:27Z",
      lastModified: "2026-04-02T13:18:06Z",
      tier: "ESSENTIALS",
      password: {
        minLength: 8,
        upper: true,
        lower: true,
        numbers: true,
        symbols: false,
        tempValidityDays: 7,
      },
      mfa: "OFF",
      totp: false,
      sms: false,
      email: false,
      threatProtection: "OFF",
      estimatedUsers: 1204,
      domain: "auth-payments-staging",
      deletionProtection: false,
      tags: { "cost-center": "payments", environment: "staging" },
      clients: [
        {
          name: "checkout-web-staging",
          accessTokenMinutes: 60,
          idTokenMinutes: 60,
          refreshTokenDays: 30,
          flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          callbackUrls: [
            "https://checkout.staging.payments.example.com/auth/callback",
            "http://localhost:3000/auth/callback",
          ],
          created: "2024-03-12T08:45:10Z",
        },
        {
          name: "e2e-test-runner",
          secret: "fixture-client-secret-DO-NOT-LEAK-2",
          accessTokenMinutes: 1440,
          idTokenMinutes: 1440,
          refreshTokenDays: 3650,
          flows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          created: "2024-09-30T12:12:12Z",
        },
      ],
    },
  ],
  trails: [
    {
      name: "payments-staging-trail",
      homeRegion: "eu-west-1",
      multiRegion: false,
      logFileValidation: false,
      cloudWatchLogGroup: "/aws/cloudtrail/payments-staging-trail",
      bucket: "payments-staging-cloudtrail-444455556666",
      insights: false,
      created: "2024-03-12T09:01:00Z",
    },
  ],
  logGroups: [
    {
      name: "/aws/cloudtrail/payments-staging-trail",
      retentionDays: 30,
      kms: false,
      created: "2024-03-12T09:00:31Z",
      storedBytes: 3_201_455_120,
    },
    {
      name: "/aws/lambda/payments-staging-api",
      retentionDays: 7,
      kms: false,
      created: "2024-03-12T10:14:02Z",
      storedBytes: 88_004_310,
    },
    {
      name: "/aws/lambda/payments-staging-tmp-migration",
      kms: false,
      created: "2026-06-22T15:03:44Z",
      storedBytes: 1_220_410,
    },
  ],
  metricFilters: cisFilters(
    "/aws/cloudtrail/payments-staging-trail",
    ["root-account-usage", "unauthorized-api-calls"],
    "2024-03-12T09:30:00Z",
  ),
  alarms: [
    {
      name: "cis-root-account-usage",
      cis: "root-account-usage",
      description: "Root account used in staging",
      actionsEnabled: true,
      state: "OK",
      stateSince: "2026-05-02T10:00:00Z",
      updated: "2024-03-12T09:31:00Z",
    },
  ],
  compositeAlarms: [],
  config: {
    recorder: {
      allSupported: false,
      includeGlobal: false,
      resourceTypes: [
        "AWS::EC2::Instance",
        "AWS::EC2::SecurityGroup",
        "AWS::S3::Bucket",
        "AWS::Cognito::UserPool",
        "AWS::Logs::LogGroup",
      ],
      lastStart: "2024-03-12T09:40:05Z",
    },
    deliveryBucket: "payments-staging-config-444455556666",
    rules: [
      {
        name: "iam-password-policy",
        identifier: "IAM_PASSWORD_POLICY",
        parameters: { MinimumPasswordLength: "12", RequireNumbers: "true" },
        periodic: true,
        results: [["AWS::::Account", STAGING, "NON_COMPLIANT", "No account password policy is set."]],
      },
      {
        name: "root-account-mfa-enabled",
        identifier: "ROOT_ACCOUNT_MFA_ENABLED",
        periodic: true,
        results: [["AWS::::Account", STAGING, "COMPLIANT"]],
      },
      {
        name: "cloud-trail-log-file-validation-enabled",
        identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        periodic: true,
        results: [
          [
            "AWS::::Account",
            STAGING,
            "NON_COMPLIANT",
            "payments-staging-trail has log file validation disabled.",
          ],
        ],
      },
      {
        name: "cw-loggroup-retention-period-check",
        identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
        parameters: { MinRetentionTime: "365" },
        periodic: true,
        results: [
          [
            "AWS::Logs::LogGroup",
            "/aws/cloudtrail/payments-staging-trail",
            "NON_COMPLIANT",
            "Retention 30 days is below 365.",
          ],
          [
            "AWS::Logs::LogGroup",
            "/aws/lambda/payments-staging-api",
            "NON_COMPLIANT",
            "Retention 7 days is below 365.",
          ],
        ],
      },
    ],
    conformancePacks: [],
  },
  deletedResources: [],
};

/** A second region nobody set up: no recorder, no trail homed here, one stray log group. */
const stagingUs: RegionSpec = {
  userPools: [],
  trails: [],
  logGroups: [
    {
      name: "/aws/lambda/staging-edge-test",
      kms: false,
      created: "2025-07-07T07:07:07Z",
      storedBytes: 20_480,
    },
  ],
  metricFilters: [],
  alarms: [],
  compositeAlarms: [],
  config: { rules: [], conformancePacks: [] },
};

export function demoEstate(): EstateSpec {
  return structuredClone({
    accounts: [
      { id: PROD, alias: "payments-prod", env: "prod" },
      { id: STAGING, alias: "payments-staging", env: "staging" },
    ],
    regions: [EU, US],
    estate: {
      [PROD]: { [EU]: prodEu, [US]: prodUs },
      [STAGING]: { [EU]: stagingEu, [US]: stagingUs },
    },
  });
}
