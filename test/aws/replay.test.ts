import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  paginateLookupEvents,
  TrailNotFoundException,
} from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmsCommand, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  paginateListUserPools,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  GetResourceConfigHistoryCommand,
} from "@aws-sdk/client-config-service";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import {
  type ReplayCall,
  ReplayHandler,
  ReplayMismatchError,
  type ServiceFixture,
} from "../../src/aws/replay.js";
import type { ServiceName } from "../../src/aws/services.js";

const credentials = { accessKeyId: "AKIDREPLAYTEST", secretAccessKey: "replay-test-secret" };

function clientOf<C>(
  Ctor: new (config: Record<string, unknown>) => C,
  service: ServiceName,
  fixture: ServiceFixture,
  options: ConstructorParameters<typeof ReplayHandler>[2] = {},
): { client: C; handler: ReplayHandler } {
  const handler = new ReplayHandler(service, fixture, options);
  const client = new Ctor({ region: "eu-west-1", credentials, requestHandler: handler, maxAttempts: 3 });
  return { client, handler };
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("ReplayHandler through the real SDK clients", () => {
  it("answers awsJson 1.1 (config) and records the call with its params", async () => {
    const onCall: ReplayCall[] = [];
    const { client, handler } = clientOf(
      ConfigServiceClient,
      "config",
      {
        DescribeConfigurationRecorders: [
          {
            response: {
              ConfigurationRecorders: [{ name: "default", roleARN: "arn:aws:iam::111122223333:role/c" }],
            },
          },
        ],
      },
      { onCall: (operation, params) => onCall.push({ operation, params }) },
    );
    const out = await client.send(
      new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ["default"] }),
    );
    expect(out.ConfigurationRecorders?.[0]?.name).toBe("default");
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(handler.calls).toEqual([
      { operation: "DescribeConfigurationRecorders", params: { ConfigurationRecorderNames: ["default"] } },
    ]);
    expect(onCall).toEqual(handler.calls);
  });

  it("gives the same request ids on every run, so fixture records hash the same", async () => {
    const fixture = { DescribeTrails: [{ response: { trailList: [] } }] };
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const { client } = clientOf(CloudTrailClient, "cloudtrail", fixture);
      ids.push((await client.send(new DescribeTrailsCommand({}))).$metadata.requestId);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it("converts ISO timestamps at timestamp members only and leaves string members alone", async () => {
    const { client } = clientOf(CloudTrailClient, "cloudtrail", {
      GetTrailStatus: [
        {
          response: {
            IsLogging: true,
            StartLoggingTime: "2026-07-01T00:00:00Z",
            LatestDeliveryTime: 1788000000,
            LatestDeliveryAttemptTime: "2026-09-30T22:00:00Z",
          },
        },
      ],
    });
    const out = await client.send(new GetTrailStatusCommand({ Name: "main" }));
    expect(out.StartLoggingTime).toEqual(new Date("2026-07-01T00:00:00Z"));
    expect(out.LatestDeliveryTime).toEqual(new Date(1788000000 * 1000));
    expect(out.LatestDeliveryAttemptTime).toBe("2026-09-30T22:00:00Z");
  });

  it("converts timestamps nested in lists (Config history items)", async () => {
    const { client } = clientOf(ConfigServiceClient, "config", {
      GetResourceConfigHistory: [
        {
          response: {
            configurationItems: [
              {
                resourceId: "a",
                configurationItemCaptureTime: "2026-08-01T10:00:00.000Z",
                configuration: "{}",
              },
            ],
          },
        },
      ],
    });
    const out = await client.send(
      new GetResourceConfigHistoryCommand({ resourceType: "AWS::CloudTrail::Trail", resourceId: "a" }),
    );
    expect(out.configurationItems?.[0]?.configurationItemCaptureTime).toEqual(
      new Date("2026-08-01T10:00:00Z"),
    );
    expect(out.configurationItems?.[0]?.configuration).toBe("{}");
  });

  it("serves pages to the SDK paginator by NextToken (CloudTrail LookupEvents, 3 pages)", async () => {
    const page = (id: string) => ({
      EventId: id,
      EventName: "ConsoleLogin",
      EventTime: "2026-08-01T00:00:00Z",
    });
    const { client, handler } = clientOf(CloudTrailClient, "cloudtrail", {
      LookupEvents: [
        { params: { NextToken: null }, response: { Events: [page("e1")], NextToken: "p2" } },
        { params: { NextToken: "p2" }, response: { Events: [page("e2")], NextToken: "p3" } },
        { params: { NextToken: "p3" }, response: { Events: [page("e3")] } },
      ],
    });
    const pages = await collect(paginateLookupEvents({ client }, { MaxResults: 50 }));
    expect(pages.flatMap((p) => p.Events?.map((e) => e.EventId))).toEqual(["e1", "e2", "e3"]);
    expect(pages[0]?.Events?.[0]?.EventTime).toEqual(new Date("2026-08-01T00:00:00Z"));
    expect(handler.callsOf("LookupEvents").map((p) => p.NextToken)).toEqual([undefined, "p2", "p3"]);
  });

  it("paginates Logs (nextToken) and Cognito (NextToken, MaxResults)", async () => {
    const { client: logs } = clientOf(CloudWatchLogsClient, "logs", {
      DescribeLogGroups: [
        { params: { nextToken: null }, response: { logGroups: [{ logGroupName: "/a" }], nextToken: "t2" } },
        { params: { nextToken: "t2" }, response: { logGroups: [{ logGroupName: "/b" }], nextToken: "t3" } },
        {
          params: { nextToken: "t3" },
          response: { logGroups: [{ logGroupName: "/c", retentionInDays: 365 }] },
        },
      ],
    });
    const logPages = await collect(paginateDescribeLogGroups({ client: logs }, {}));
    expect(logPages.flatMap((p) => p.logGroups?.map((g) => g.logGroupName))).toEqual(["/a", "/b", "/c"]);

    const { client: cognito } = clientOf(CognitoIdentityProviderClient, "cognito-idp", {
      ListUserPools: [
        {
          params: { NextToken: null, MaxResults: 60 },
          response: { UserPools: [{ Id: "eu-west-1_A" }], NextToken: "n" },
        },
        { params: { NextToken: "n" }, response: { UserPools: [{ Id: "eu-west-1_B" }] } },
      ],
    });
    const poolPages = await collect(paginateListUserPools({ client: cognito }, { MaxResults: 60 }));
    expect(poolPages.flatMap((p) => p.UserPools?.map((u) => u.Id))).toEqual(["eu-west-1_A", "eu-west-1_B"]);
  });

  it("matches answers by params, so one operation can answer several resources", async () => {
    const { client } = clientOf(CognitoIdentityProviderClient, "cognito-idp", {
      DescribeUserPool: [
        {
          params: { UserPoolId: "eu-west-1_A" },
          response: { UserPool: { Id: "eu-west-1_A", Name: "customers" } },
        },
        {
          params: { UserPoolId: "eu-west-1_B" },
          response: { UserPool: { Id: "eu-west-1_B", Name: "staff" } },
        },
      ],
    });
    const b = await client.send(new DescribeUserPoolCommand({ UserPoolId: "eu-west-1_B" }));
    const a = await client.send(new DescribeUserPoolCommand({ UserPoolId: "eu-west-1_A" }));
    expect([a.UserPool?.Name, b.UserPool?.Name]).toEqual(["customers", "staff"]);
  });

  it("awsQueryCompatible CloudWatch: paginates and reports errors by their query code", async () => {
    const { client } = clientOf(CloudWatchClient, "monitoring", {
      DescribeAlarms: [
        { params: { NextToken: null }, response: { MetricAlarms: [{ AlarmName: "a1" }], NextToken: "x" } },
        {
          params: { NextToken: "x" },
          response: { CompositeAlarms: [{ AlarmName: "c1" }], MetricAlarms: [] },
        },
      ],
    });
    const pages = await collect(paginateDescribeAlarms({ client }, {}));
    expect(pages[0]?.MetricAlarms?.[0]?.AlarmName).toBe("a1");
    expect(pages[1]?.CompositeAlarms?.[0]?.AlarmName).toBe("c1");

    const { client: denied } = clientOf(CloudWatchClient, "monitoring", {
      DescribeAlarms: [{ error: { code: "AccessDenied", status: 403, message: "not authorized" } }],
    });
    const error = await denied.send(new DescribeAlarmsCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AccessDenied", message: "not authorized" });
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(403);
  });

  it("gives errors the SDK narrows by name and class, with status and request id", async () => {
    const { client } = clientOf(CloudTrailClient, "cloudtrail", {
      GetTrailStatus: [{ error: { code: "TrailNotFoundException", message: "Unknown trail" } }],
    });
    const error = await client.send(new GetTrailStatusCommand({ Name: "gone" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrailNotFoundException);
    const e = error as TrailNotFoundException;
    expect(e.name).toBe("TrailNotFoundException");
    expect(e.message).toBe("Unknown trail");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.requestId).toBeTruthy();
  });

  it("lets the SDK retry throttling, then succeed (times)", async () => {
    const { client, handler } = clientOf(CloudWatchLogsClient, "logs", {
      DescribeLogGroups: [
        { error: { code: "ThrottlingException", message: "Rate exceeded" }, times: 2 },
        { response: { logGroups: [{ logGroupName: "/ok" }] } },
      ],
    });
    const pages = await collect(paginateDescribeLogGroups({ client }, {}));
    expect(pages[0]?.logGroups?.[0]?.logGroupName).toBe("/ok");
    expect(handler.calls).toHaveLength(3);
  });

  it("surfaces throttling that outlasts the retries", async () => {
    const { client, handler } = clientOf(CloudTrailClient, "cloudtrail", {
      DescribeTrails: [{ error: { code: "ThrottlingException", message: "Rate exceeded" } }],
    });
    const error = await client.send(new DescribeTrailsCommand({})).catch((e: unknown) => e);
    expect((error as Error).name).toBe("ThrottlingException");
    expect(handler.calls).toHaveLength(3);
  });

  it("answers awsQuery STS in XML: GetCallerIdentity, AssumeRole and ErrorResponse", async () => {
    const { client, handler } = clientOf(STSClient, "sts", {
      GetCallerIdentity: [
        {
          response: {
            Account: "111122223333",
            Arn: "arn:aws:iam::111122223333:user/ci",
            UserId: "AIDAEXAMPLE",
          },
        },
      ],
      AssumeRole: [
        {
          params: { RoleArn: "arn:aws:iam::444455556666:role/Audit" },
          response: {
            Credentials: {
              AccessKeyId: "ASIAEXAMPLE",
              SecretAccessKey: "s",
              SessionToken: "t",
              Expiration: "2026-09-30T23:00:00Z",
            },
            AssumedRoleUser: {
              AssumedRoleId: "AROA:x",
              Arn: "arn:aws:sts::444455556666:assumed-role/Audit/x",
            },
          },
        },
        { error: { code: "AccessDenied", status: 403, message: "not allowed to assume <role>" } },
      ],
    });
    const me = await client.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: "111122223333", UserId: "AIDAEXAMPLE" });
    expect(me.$metadata.requestId).toBeTruthy();
    const role = await client.send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::444455556666:role/Audit", RoleSessionName: "x" }),
    );
    expect(role.Credentials?.AccessKeyId).toBe("ASIAEXAMPLE");
    expect(role.Credentials?.Expiration).toEqual(new Date("2026-09-30T23:00:00Z"));
    const error = await client
      .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::777788889999:role/Audit", RoleSessionName: "x" }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AccessDenied", message: "not allowed to assume <role>" });
    expect(handler.callsOf("AssumeRole")[0]).toMatchObject({
      RoleArn: "arn:aws:iam::444455556666:role/Audit",
    });
  });

  it("fails loudly on a call the fixture cannot answer, naming service, operation, params and answers", async () => {
    const { client } = clientOf(CognitoIdentityProviderClient, "cognito-idp", {
      DescribeUserPool: [{ params: { UserPoolId: "eu-west-1_A" }, response: { UserPool: {} } }],
    });
    const error = await client
      .send(new DescribeUserPoolCommand({ UserPoolId: "eu-west-1_Z" }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ReplayMismatchError);
    const message = (error as Error).message;
    expect(message).toContain("cognito-idp");
    expect(message).toContain("DescribeUserPool");
    expect(message).toContain('"UserPoolId":"eu-west-1_Z"');
    expect(message).toContain('"UserPoolId":"eu-west-1_A"');

    const { client: other } = clientOf(ConfigServiceClient, "config", {});
    const none = await other.send(new DescribeConfigurationRecordersCommand({})).catch((e) => e);
    expect((none as Error).message).toMatch(/no answers for DescribeConfigurationRecorders/);
  });

  it("uses up answers with times, then fails when nothing else matches", async () => {
    const { client } = clientOf(CloudTrailClient, "cloudtrail", {
      DescribeTrails: [{ response: { trailList: [] }, times: 1 }],
    });
    await client.send(new DescribeTrailsCommand({}));
    await expect(client.send(new DescribeTrailsCommand({}))).rejects.toBeInstanceOf(ReplayMismatchError);
  });

  it("injects latency and honours abort signals", async () => {
    const { client } = clientOf(
      CloudTrailClient,
      "cloudtrail",
      { DescribeTrails: [{ response: { trailList: [] } }] },
      { latencyMs: 60 },
    );
    const started = performance.now();
    await client.send(new DescribeTrailsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);

    const { client: slow } = clientOf(
      CloudTrailClient,
      "cloudtrail",
      { DescribeTrails: [{ response: { trailList: [] } }] },
      { latencyMs: 10_000 },
    );
    const controller = new AbortController();
    const pending = slow.send(new DescribeTrailsCommand({}), { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const t0 = performance.now();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
