import { describe, expect, it } from "vitest";
import { isSecretName, pseudonym, REDACTED, redact } from "../../src/evidence/redact.js";

describe("redact", () => {
  it("redacts Cognito client secrets and keeps token validity settings", () => {
    const client = {
      ClientId: "abc",
      ClientSecret: "s3cr3t-value",
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
      EnableTokenRevocation: true,
      ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
    };
    const out = redact({ userPools: [{ clients: [client, { ...client, ClientSecret: undefined }] }] });
    expect(out.value.userPools[0]!.clients[0]).toEqual({ ...client, ClientSecret: REDACTED });
    expect(out.redactions).toEqual(["userPools[0].clients[0].ClientSecret (secret-name)"]);
    expect(client.ClientSecret).toBe("s3cr3t-value"); // input untouched
  });

  it("keeps password policy settings and lambda trigger ARNs, and pagination tokens", () => {
    const pool = {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
          PasswordHistorySize: 4,
        },
      },
      LambdaConfig: { PreTokenGeneration: "arn:aws:lambda:eu-west-1:111122223333:function:pre" },
      NextToken: "page-2",
    };
    const out = redact(pool);
    expect(out.value).toEqual(pool);
    expect(out.redactions).toEqual([]);
  });

  it("redacts any secret-, password-, token- or credential-named string, at any depth and in lists", () => {
    const out = redact({
      a: { password: "p", SessionToken: "t", dbCredentials: "c", privateKey: "k", apiKey: "x" },
      b: [{ secretValue: "v" }],
      tokens: ["t1", "t2"],
      emptySecret: "",
    });
    expect(out.value).toEqual({
      a: {
        password: REDACTED,
        SessionToken: REDACTED,
        dbCredentials: REDACTED,
        privateKey: REDACTED,
        apiKey: REDACTED,
      },
      b: [{ secretValue: REDACTED }],
      tokens: REDACTED,
      emptySecret: "",
    });
    expect(out.redactions).toEqual([
      "a.password (secret-name)",
      "a.SessionToken (secret-name)",
      "a.dbCredentials (secret-name)",
      "a.privateKey (secret-name)",
      "a.apiKey (secret-name)",
      "b[0].secretValue (secret-name)",
      "tokens (secret-name)",
    ]);
  });

  it("redacts inside CloudTrailEvent JSON strings and leaves untouched events byte-identical", () => {
    const secretEvent = JSON.stringify({
      eventName: "AssumeRole",
      requestParameters: { roleArn: "arn:aws:iam::1:role/x", clientSecret: "cs" },
      responseElements: { credentials: { accessKeyId: "ASIA1", sessionToken: "st", secretAccessKey: "sk" } },
    });
    const plain = '{ "eventName": "ConsoleLogin",  "responseElements": {"ConsoleLogin": "Success"} }';
    const out = redact({ events: [{ CloudTrailEvent: secretEvent }, { CloudTrailEvent: plain }] });
    const parsed = JSON.parse(out.value.events[0]!.CloudTrailEvent);
    expect(parsed.requestParameters).toEqual({ roleArn: "arn:aws:iam::1:role/x", clientSecret: REDACTED });
    expect(parsed.responseElements.credentials).toEqual({
      accessKeyId: "ASIA1",
      sessionToken: REDACTED,
      secretAccessKey: REDACTED,
    });
    expect(out.value.events[1]!.CloudTrailEvent).toBe(plain);
    expect(out.redactions).toEqual([
      "events[0].CloudTrailEvent.requestParameters.clientSecret (secret-name)",
      "events[0].CloudTrailEvent.responseElements.credentials.sessionToken (secret-name)",
      "events[0].CloudTrailEvent.responseElements.credentials.secretAccessKey (secret-name)",
    ]);
  });

  it("redacts inside Config configuration items", () => {
    const item = { configuration: JSON.stringify({ clientId: "c", clientSecret: "s" }), resourceId: "r" };
    const out = redact({ items: [item] });
    expect(JSON.parse(out.value.items[0]!.configuration)).toEqual({ clientId: "c", clientSecret: REDACTED });
    expect(out.redactions).toEqual(["items[0].configuration.clientSecret (secret-name)"]);
  });

  it("pseudonymises user names and user ARNs with a keyed HMAC, only when a key is given", () => {
    const event = JSON.stringify({
      userIdentity: { userName: "bob", arn: "arn:aws:iam::111122223333:user/bob" },
    });
    const input = { Username: "alice", CloudTrailEvent: event, other: "alice" };
    expect(redact(input).value).toEqual(input);
    const out = redact(input, { pseudonymizeKey: "key" });
    const bob = pseudonym("bob", "key");
    expect(out.value.Username).toBe(pseudonym("alice", "key"));
    expect(out.value.other).toBe("alice");
    expect(JSON.parse(out.value.CloudTrailEvent).userIdentity).toEqual({
      userName: bob,
      arn: `arn:aws:iam::111122223333:user/${bob}`,
    });
    expect(out.pseudonymized).toBe(3);
    expect(pseudonym("alice", "key")).toMatch(/^pseudo:[0-9a-f]{16}$/);
    expect(pseudonym("alice", "other-key")).not.toBe(pseudonym("alice", "key"));
  });

  it("copies only what it changes and never modifies the input", () => {
    const input = { clean: { a: [1, { b: "x" }] }, dirty: { list: [{ password: "p" }, { ok: 1 }] } };
    const snapshot = structuredClone(input);
    const out = redact(input);
    expect(input).toEqual(snapshot);
    expect(out.value.clean).toBe(input.clean);
    expect(out.value.dirty.list[1]).toBe(input.dirty.list[1]);
    expect(out.value.dirty.list[0]).toEqual({ password: REDACTED });
    expect(redact(input.clean).value).toBe(input.clean);
  });

  it("classifies names", () => {
    for (const n of ["ClientSecret", "password", "SessionToken", "credentials", "PrivateKey"])
      expect(isSecretName(n)).toBe(true);
    for (const n of ["NextToken", "nextToken", "PaginationToken", "Username", "KmsKeyId"])
      expect(isSecretName(n)).toBe(false);
  });
});
