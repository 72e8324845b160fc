import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * A fixture scenario (the `empty` account, eu-west-1 only) with secrets planted where issue 17 found
 * them leaking: nested JSON strings in CloudTrail requestParameters, Config rule InputParameters,
 * {Key: password, Value} tags, custom:api_key user attributes, and access keys, JWTs, PEM keys and URL
 * passwords in names, filter patterns and descriptions. Every canary contains "CANARY", so one search
 * for that word over any output proves none survived.
 */
export const CANARY_MARK = "CANARY";

const AKIA = (n: number) => `AKIACANARY${String(n).padStart(10, "0")}`; // AKIA + 16 characters
const SECRET_KEY = (n: number) => `wJalrXUtnFEMIK7MDENGbPxRfiCYCANARY${String(n).padStart(6, "0")}`; // 40
const JWT = (n: number) =>
  `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtY2FuYXJ5In0.CANARY${n}sig_Zm9vYmFyYmF6`;
const PEM = (n: number) =>
  `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAuCANARY${n}xyz0123456789abcdef\nQWERTYUIOPasdfghjkl\n-----END RSA PRIVATE KEY-----`;

/** Each planted secret and where it is (for the report; the test searches for CANARY_MARK). */
export const CANARIES: Record<string, string> = {};
const plant = (where: string, value: string): string => {
  CANARIES[where] = value;
  return value;
};

function event(id: number, name: string, requestParameters: unknown, extra: Record<string, unknown> = {}) {
  const time = Date.parse("2026-09-29T10:00:00Z") / 1000 + id * 60;
  const cloudTrailEvent = {
    eventVersion: "1.11",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::777788889999:user/ops", accountId: "777788889999" },
    eventTime: new Date(time * 1000).toISOString().replace(/\.000Z$/, "Z"),
    eventSource: "cognito-idp.amazonaws.com",
    eventName: name,
    awsRegion: "eu-west-1",
    requestParameters,
    responseElements: null,
    eventID: `00000000-0000-4000-8000-0000000000${String(id).padStart(2, "0")}`,
    readOnly: false,
    ...extra,
  };
  return {
    EventId: cloudTrailEvent.eventID,
    EventName: name,
    ReadOnly: "false",
    EventTime: time,
    EventSource: cloudTrailEvent.eventSource,
    Username: "ops",
    Resources: [],
    CloudTrailEvent: JSON.stringify(cloudTrailEvent),
  };
}

export function writeCanaryScenario(dir: string): string {
  for (const key of Object.keys(CANARIES)) delete CANARIES[key];
  cpSync(path.join(PACKAGE_ROOT, "evidence-fixtures", "empty"), dir, { recursive: true });
  rmSync(path.join(dir, "777788889999", "us-east-1"), { recursive: true });
  const scenarioFile = path.join(dir, "scenario.json");
  const scenario = JSON.parse(readFileSync(scenarioFile, "utf8"));
  scenario.description = "one account with planted secrets that redaction must remove";
  scenario.regions = ["eu-west-1"];
  writeFileSync(scenarioFile, JSON.stringify(scenario, null, 1));
  const regionDir = path.join(dir, "777788889999", "eu-west-1");
  const edit = (
    service: string,
    change: (fixture: Record<string, { params?: unknown; response?: unknown }[]>) => void,
  ) => {
    const file = path.join(regionDir, `${service}.json`);
    const fixture = JSON.parse(readFileSync(file, "utf8"));
    change(fixture);
    writeFileSync(file, JSON.stringify(fixture, null, 1));
  };

  // CloudTrail: secrets inside the CloudTrailEvent JSON string, some in JSON strings inside that.
  const events = [
    event(1, "UpdateTrail", {
      parameters: JSON.stringify({
        dbPassword: plant("nested JSON string, password member", "CANARY-01-db"),
      }),
    }),
    event(2, "PutRetentionPolicy", {
      templateBody: JSON.stringify({
        connection: `mysql://admin:${plant("nested JSON string, URL password", "CANARY02pw")}@db.internal:3306/app`,
      }),
    }),
    event(3, "AdminCreateUser", {
      userPoolId: "eu-west-1_CanaryPool",
      username: "svc",
      userAttributes: [
        { name: "email", value: "svc@example.com" },
        { name: "custom:api_key", value: plant("custom:api_key user attribute", "CANARY-03-apikey") },
      ],
    }),
    event(4, "UpdateUserPool", {
      tags: [{ key: "password", value: plant("{key: password, value} tag (CloudTrail)", "CANARY-04-tag") }],
    }),
    event(5, "UpdateUserPool", {
      description: `rotated ${plant("access key id in a description", AKIA(5))} last week`,
    }),
    event(6, "DeleteConfigRule", {
      configRule: {
        configRuleName: "api-check",
        inputParameters: JSON.stringify({
          apiToken: plant("Config rule inputParameters in CloudTrail", "CANARY-06-tok"),
        }),
      },
    }),
    event(
      7,
      "CreateAccessKey",
      { userName: "ops" },
      {
        responseElements: {
          accessKey: {
            accessKeyId: "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey: plant("secretAccessKey member", "CANARY-07-sk"),
          },
        },
      },
    ),
    event(8, "CreateUser", {
      Tags: [{ Key: "db_password", Value: plant("{Key: db_password, Value} tag", "CANARY-08-tag") }],
    }),
    event(9, "PutUserPolicy", {
      description: `aws_secret_access_key=${plant("secret key next to a secret-ish word", SECRET_KEY(9))}`,
    }),
  ];
  edit("cloudtrail", (f) => {
    f.LookupEvents = [{ response: { Events: events } }];
  });

  // Config: InputParameters JSON string, a JWT in a description.
  edit("config", (f) => {
    f.DescribeConfigRules = [
      {
        params: { NextToken: null },
        response: {
          ConfigRules: [
            {
              ConfigRuleName: "third-party-scanner",
              ConfigRuleArn: "arn:aws:config:eu-west-1:777788889999:config-rule/config-rule-abc123",
              ConfigRuleId: "config-rule-abc123",
              Description: `calls the scanner with ${plant("JWT in a Config rule description", JWT(10))}`,
              Source: {
                Owner: "CUSTOM_LAMBDA",
                SourceIdentifier: "arn:aws:lambda:eu-west-1:777788889999:function:scan",
              },
              InputParameters: JSON.stringify({
                apiToken: plant("Config rule InputParameters apiToken", "CANARY-11-token"),
                endpoint: `https://scanner:${plant("URL password in InputParameters", "CANARY12pw")}@scan.example.com/v1`,
                maxAgeDays: "90",
              }),
              ConfigRuleState: "ACTIVE",
            },
          ],
        },
      },
    ];
    f.GetComplianceDetailsByConfigRule = [{ response: { EvaluationResults: [] } }];
  });

  // CloudWatch Logs: access keys in a log group name and a filter pattern, a secret key in a filter name.
  const groupName = `/app/${plant("access key id in a log group name", AKIA(13))}/audit`;
  edit("logs", (f) => {
    f.DescribeLogGroups = [
      {
        params: { nextToken: null },
        response: {
          logGroups: [
            {
              logGroupName: groupName,
              arn: `arn:aws:logs:eu-west-1:777788889999:log-group:${groupName}:*`,
              creationTime: 1780000000000,
              retentionInDays: 365,
              storedBytes: 10,
            },
          ],
        },
      },
    ];
    f.DescribeMetricFilters = [
      {
        params: { nextToken: null },
        response: {
          metricFilters: [
            {
              filterName: `leaked-key ${AKIA(99).replace("99", "14")} ${plant("secret key after an access key id in a filter name", SECRET_KEY(14))}`,
              filterPattern: `{ $.userIdentity.accessKeyId = "${plant("access key id in a filter pattern", AKIA(15))}" }`,
              metricTransformations: [
                { metricName: "KeyUse", metricNamespace: "Security", metricValue: "1" },
              ],
              creationTime: 1780000000000,
              logGroupName: groupName,
            },
          ],
        },
      },
    ];
  });

  // CloudWatch alarms: a URL password and a PEM private key in descriptions.
  edit("monitoring", (f) => {
    f.DescribeAlarms = [
      {
        params: { NextToken: null },
        response: {
          MetricAlarms: [
            {
              AlarmName: "key-use",
              AlarmArn: "arn:aws:cloudwatch:eu-west-1:777788889999:alarm:key-use",
              AlarmDescription: `posts to https://ops:${plant("URL password in an alarm description", "CANARY16pw")}@hooks.example.com/alert`,
              ActionsEnabled: true,
              AlarmActions: [],
              StateValue: "OK",
              MetricName: "KeyUse",
              Namespace: "Security",
              Statistic: "Sum",
              Period: 300,
              EvaluationPeriods: 1,
              Threshold: 1,
              ComparisonOperator: "GreaterThanOrEqualToThreshold",
            },
            {
              AlarmName: "signing-key",
              AlarmArn: "arn:aws:cloudwatch:eu-west-1:777788889999:alarm:signing-key",
              AlarmDescription: `runbook key:\n${plant("PEM private key in an alarm description", PEM(17))}`,
              ActionsEnabled: true,
              AlarmActions: [],
              StateValue: "OK",
              MetricName: "KeyUse",
              Namespace: "Security",
              Statistic: "Sum",
              Period: 300,
              EvaluationPeriods: 1,
              Threshold: 1,
              ComparisonOperator: "GreaterThanOrEqualToThreshold",
            },
          ],
          CompositeAlarms: [],
        },
      },
    ];
  });

  // Cognito: a client secret, a secret-named pool tag, a JWT in a message template.
  const pool = "eu-west-1_CanaryPool";
  edit("cognito-idp", (f) => {
    f.ListUserPools = [
      { params: { NextToken: null }, response: { UserPools: [{ Id: pool, Name: "customers" }] } },
    ];
    f.DescribeUserPool = [
      {
        params: { UserPoolId: pool },
        response: {
          UserPool: {
            Id: pool,
            Name: "customers",
            Arn: `arn:aws:cognito-idp:eu-west-1:777788889999:userpool/${pool}`,
            Policies: { PasswordPolicy: { MinimumLength: 14, RequireSymbols: true } },
            MfaConfiguration: "ON",
            UserPoolTags: { api_key: plant("secret-named user pool tag", "CANARY-18-tag") },
            EmailVerificationMessage: `Your code is {####}. Debug: ${plant("JWT in a message template", JWT(19))}`,
            SchemaAttributes: [{ Name: "custom:api_key", AttributeDataType: "String", Mutable: true }],
          },
        },
      },
    ];
    f.GetUserPoolMfaConfig = [{ params: { UserPoolId: pool }, response: { MfaConfiguration: "ON" } }];
    f.ListUserPoolClients = [
      {
        params: { UserPoolId: pool, NextToken: null },
        response: {
          UserPoolClients: [{ ClientId: "canaryclient1", UserPoolId: pool, ClientName: "backend" }],
        },
      },
    ];
    f.DescribeUserPoolClient = [
      {
        params: { UserPoolId: pool, ClientId: "canaryclient1" },
        response: {
          UserPoolClient: {
            ClientId: "canaryclient1",
            UserPoolId: pool,
            ClientName: "backend",
            ClientSecret: plant("Cognito client secret", "CANARY-20-secret"),
          },
        },
      },
    ];
    f.DescribeRiskConfiguration = [
      { params: { UserPoolId: pool }, response: { RiskConfiguration: { UserPoolId: pool } } },
    ];
  });
  return dir;
}
