import net from "node:net";
import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { describe, expect, it } from "vitest";
import { ClientFactory } from "../../src/aws/clients.js";
import {
  describeAccessFailure,
  describeNetworkFailure,
  failureHint,
  failureKind,
} from "../../src/aws/errors.js";
import { DEFAULT_TIMEOUTS, parseTimeoutSeconds, timeoutHandler } from "../../src/aws/timeouts.js";

const credentials = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test" };

/** The options a NodeHttpHandler was built with (it resolves them lazily, on its first request). */
function settings(handler: NodeHttpHandler): Promise<Record<string, unknown>> {
  return (handler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;
}

describe("SDK timeouts", () => {
  it("default to 5 s to connect and 60 s per request, thrown as errors (not logged warnings)", async () => {
    expect(DEFAULT_TIMEOUTS).toEqual({ connect: 5, request: 60 });
    expect(await settings(timeoutHandler())).toMatchObject({
      connectionTimeout: 5000,
      requestTimeout: 60000,
      throwOnRequestTimeout: true,
    });
  });

  it("are set on every client the factory creates, and a silent endpoint fails with a TimeoutError", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const factory = new ClientFactory({
      credentials,
      endpoint,
      maxAttempts: 1,
      timeouts: { connect: 2, request: 0.3 },
    });
    try {
      const client = factory.client(CloudTrailClient, "111122223333", "eu-west-1");
      const handler = client.config.requestHandler as NodeHttpHandler;
      expect(handler).toBeInstanceOf(NodeHttpHandler);
      expect(await settings(handler)).toMatchObject({ connectionTimeout: 2000, requestTimeout: 300 });
      const started = performance.now();
      await expect(client.send(new DescribeTrailsCommand({}))).rejects.toMatchObject({
        name: "TimeoutError",
      });
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      factory.destroy();
      silent.close();
    }
  });

  it("parse --connect-timeout / --read-timeout as seconds, refusing anything else", () => {
    expect(parseTimeoutSeconds("--read-timeout", "20")).toBe(20);
    expect(parseTimeoutSeconds("--read-timeout", "0.5")).toBe(0.5);
    for (const bad of ["0", "-1", "abc", "5s", "", "3601"]) {
      expect(() => parseTimeoutSeconds("--read-timeout", bad)).toThrow(
        /--read-timeout: .* is not a number of seconds/,
      );
    }
  });
});

describe("failure classification", () => {
  const timeout = Object.assign(
    new Error(
      "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 400 ms requestTimeout.",
    ),
    { name: "TimeoutError", code: "ETIMEDOUT", $metadata: { attempts: 3 } },
  );
  const connectTimeout = Object.assign(
    new Error(
      "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.",
    ),
    { name: "TimeoutError" },
  );
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
  const credentialsError = Object.assign(new Error("Could not load credentials from any providers"), {
    name: "CredentialsProviderError",
  });

  it("names the timeout that fired, its length and the attempts", () => {
    expect(failureKind(timeout)).toBe("timeout");
    expect(describeNetworkFailure(timeout)).toEqual({
      code: "TimeoutError",
      message: expect.stringMatching(
        /^network: the endpoint did not answer within the request timeout \(aws\.timeouts\.request, --read-timeout\) of 0\.4 s after 3 attempts: /,
      ),
    });
    expect(describeNetworkFailure(connectTimeout)?.message).toMatch(
      /connect timeout \(aws\.timeouts\.connect, --connect-timeout\) of 5 s:/,
    );
  });

  it("says network for refused connections and unknown hosts, and leaves other errors alone", () => {
    expect(describeNetworkFailure(refused)).toEqual({
      code: "ECONNREFUSED",
      message: "network: cannot reach the AWS endpoint: connect ECONNREFUSED 127.0.0.1:1",
    });
    expect(failureKind(Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }))).toBe(
      "network",
    );
    expect(describeNetworkFailure(new Error("AccessDenied"))).toBeUndefined();
    expect(failureKind(credentialsError)).toBe("credentials");
    expect(failureHint("network")).toMatch(/network path/);
    expect(failureHint("credentials")).not.toMatch(/network/);
  });

  it("explains a credential chain failure without a profile", async () => {
    const info = await describeAccessFailure(credentialsError, undefined);
    expect(info).toMatchObject({ kind: "credentials", code: "CredentialsProviderError" });
    expect(info.message).toMatch(/^no AWS credentials found/);
  });
});
