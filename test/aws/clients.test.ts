import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientFactory, REPLAY_CREDENTIALS } from "../../src/aws/clients.js";
import { loadScenario } from "../../src/aws/fixtures.js";
import { FixtureRecorder } from "../../src/aws/recorder.js";
import { ReplayHandler } from "../../src/aws/replay.js";

const credentials = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test" };

/** A loopback server answering awsJson requests; remembers each request's target and host. */
let server: Server;
let endpoint: string;
const seen: { target: string; host: string; body: string }[] = [];
beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const target = String(req.headers["x-amz-target"] ?? "");
    seen.push({ target, host: String(req.headers.host), body });
    res.setHeader("content-type", "application/x-amz-json-1.1");
    res.setHeader("x-amzn-requestid", "req-1");
    if (target.endsWith("DescribeLogGroups")) {
      const page2 = JSON.parse(body).nextToken === "p2";
      res.end(
        JSON.stringify(
          page2
            ? { logGroups: [{ logGroupName: "/b" }] }
            : { logGroups: [{ logGroupName: "/a" }], nextToken: "p2" },
        ),
      );
    } else if (target.endsWith("DescribeUserPoolClient")) {
      res.end(
        JSON.stringify({
          UserPoolClient: { ClientId: "c1", ClientSecret: "live-secret-xyz", AccessTokenValidity: 60 },
        }),
      );
    } else if (target.endsWith("DescribeTrails") && body.includes("denied")) {
      res.statusCode = 400;
      res.setHeader("x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/");
      res.end(JSON.stringify({ __type: "AccessDeniedException", message: "no" }));
    } else {
      res.end(JSON.stringify({ trailList: [{ Name: "t1", HomeRegion: "eu-west-1" }] }));
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("ClientFactory", () => {
  it("creates one client per service, account and region, and reuses it", async () => {
    const factory = new ClientFactory({ credentials, maxAttempts: 2 });
    const a = factory.client(CloudTrailClient, "111122223333", "eu-west-1");
    expect(factory.client(CloudTrailClient, "111122223333", "eu-west-1")).toBe(a);
    expect(factory.client(CloudTrailClient, "111122223333", "us-east-1")).not.toBe(a);
    expect(factory.client(CloudTrailClient, "444455556666", "eu-west-1")).not.toBe(a);
    expect(await a.config.region()).toBe("eu-west-1");
    expect(await a.config.maxAttempts()).toBe(2);
    expect(a.config.retryMode).toBe("adaptive");
    factory.destroy();
  });

  it("passes no endpoint unless configured, so AWS_ENDPOINT_URL_<SERVICE> keeps working", async () => {
    const before = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
    process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = endpoint;
    try {
      const factory = new ClientFactory({ credentials, maxAttempts: 1 });
      const out = await factory
        .client(CloudTrailClient, "111122223333", "eu-west-1")
        .send(new DescribeTrailsCommand({}));
      expect(out.trailList?.[0]?.Name).toBe("t1");
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
      else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = before;
    }
    const configured = new ClientFactory({ credentials, maxAttempts: 1, endpoint });
    const n = seen.length;
    await configured
      .client(CloudTrailClient, "111122223333", "eu-west-1")
      .send(new DescribeTrailsCommand({}));
    expect(seen.length).toBe(n + 1);
  });

  it("replays with fixed fake credentials and one transport per account, region and service", async () => {
    const made: string[] = [];
    const factory = new ClientFactory({
      replay: (account, region, service) => {
        made.push(`${account}/${region}/${service}`);
        return new ReplayHandler(service, {
          GetCallerIdentity: [
            { response: { Account: account, Arn: `arn:aws:iam::${account}:role/r`, UserId: "U" } },
          ],
          DescribeTrails: [{ response: { trailList: [{ Name: `${account}-${region}` }] } }],
        });
      },
    });
    const client = factory.client(CloudTrailClient, "111122223333", "eu-west-1");
    expect(await client.config.credentials()).toMatchObject(REPLAY_CREDENTIALS);
    expect((await client.send(new DescribeTrailsCommand({}))).trailList?.[0]?.Name).toBe(
      "111122223333-eu-west-1",
    );
    expect(await factory.callerIdentity("444455556666")).toEqual({
      account: "444455556666",
      arn: "arn:aws:iam::444455556666:role/r",
      userId: "U",
    });
    expect(made).toEqual(["111122223333/eu-west-1/cloudtrail", "444455556666/global/sts"]);
  });
});

describe("--record-fixtures (FixtureRecorder)", () => {
  it("records live answers (redacted, errors once) in the fixture format, and replays them identically", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "auditpack-rec-")), "repro");
    FixtureRecorder.check(dir);
    const recorder = new FixtureRecorder(dir);
    const live = new ClientFactory({
      credentials,
      endpoint,
      maxAttempts: 1,
      wrapHandler: (h, s) => recorder.wrap(h, s),
    });
    const account = "111122223333";
    const trails = await live
      .client(CloudTrailClient, account, "eu-west-1")
      .send(new DescribeTrailsCommand({ trailNameList: ["t1"] }));
    const denied = await live
      .client(CloudTrailClient, account, "eu-west-1")
      .send(new DescribeTrailsCommand({ trailNameList: ["denied"] }))
      .catch((e: Error) => e);
    expect((denied as Error).name).toBe("AccessDeniedException");
    const upc = await live
      .client(CognitoIdentityProviderClient, account, "eu-west-1")
      .send(new DescribeUserPoolClientCommand({ UserPoolId: "eu-west-1_A", ClientId: "c1" }));
    expect(upc.UserPoolClient?.ClientSecret).toBe("live-secret-xyz"); // the live caller still sees it
    const groups = async (client: CloudWatchLogsClient) => {
      const names = [];
      for await (const page of paginateDescribeLogGroups({ client }, {}))
        names.push(...(page.logGroups ?? []).map((g) => g.logGroupName));
      return names;
    };
    expect(await groups(live.client(CloudWatchLogsClient, account, "eu-west-1"))).toEqual(["/a", "/b"]);
    recorder.addCallerIdentity(account, { account, arn: `arn:aws:iam::${account}:user/ci`, userId: "AIDA" });
    const window = { start: new Date("2026-09-01T00:00:00Z"), end: new Date("2026-10-01T00:00:00Z") };
    const files = recorder.write({
      description: "repro",
      clock: window.end,
      accounts: [account],
      regions: ["eu-west-1"],
      window,
    });
    expect(files.map((f) => path.relative(dir, f)).sort()).toEqual([
      `${account}/eu-west-1/cloudtrail.json`,
      `${account}/eu-west-1/cognito-idp.json`,
      `${account}/eu-west-1/logs.json`,
      `${account}/global/sts.json`,
      "scenario.json",
    ]);
    expect(() => FixtureRecorder.check(dir)).toThrow(/not empty/);

    const scenario = loadScenario(dir);
    const recorded = scenario.serviceFixture(account, "eu-west-1", "cloudtrail").DescribeTrails!;
    expect(recorded[1]).toEqual({
      params: { trailNameList: ["denied"], NextToken: null, nextToken: null, PaginationToken: null },
      error: { code: "AccessDeniedException", message: "no", status: 400 },
      times: 1,
    });
    expect(JSON.stringify(scenario.serviceFixture(account, "eu-west-1", "cognito-idp"))).not.toContain(
      "live-secret-xyz",
    );

    const replay = new ClientFactory({
      replay: (a, r, s) => new ReplayHandler(s, scenario.serviceFixture(a, r, s)),
    });
    const again = await replay
      .client(CloudTrailClient, account, "eu-west-1")
      .send(new DescribeTrailsCommand({ trailNameList: ["t1"] }));
    expect(again.trailList).toEqual(trails.trailList);
    await expect(
      replay
        .client(CloudTrailClient, account, "eu-west-1")
        .send(new DescribeTrailsCommand({ trailNameList: ["denied"] })),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(await groups(replay.client(CloudWatchLogsClient, account, "eu-west-1"))).toEqual(["/a", "/b"]);
    expect((await replay.callerIdentity(account)).arn).toBe(`arn:aws:iam::${account}:user/ci`);
  });
});
