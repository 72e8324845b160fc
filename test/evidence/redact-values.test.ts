import { describe, expect, it } from "vitest";
import { describeError } from "../../src/collectors/run.js";
import { REDACTED, redact, redactText } from "../../src/evidence/redact.js";

/** Redaction by value and by pair (issue 17): what each rule catches, and what it must leave alone. */

const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

describe("redaction by value", () => {
  it.each([
    ["an access key id", `rotated ${KEY_ID} today`, `rotated ${REDACTED} today`, "aws-access-key-id"],
    ["a temporary access key id", "ASIAY34FZKBOKMUTVV7A", REDACTED, "aws-access-key-id"],
    [
      "a secret key after a secret-ish word",
      `aws_secret_access_key=${SECRET_KEY}`,
      `aws_secret_access_key=${REDACTED}`,
      "aws-secret-key",
    ],
    ["a JWT", `Bearer ${JWT}`, `Bearer ${REDACTED}`, "jwt"],
    ["a PEM private key", `key:\n${PEM}\nend`, `key:\n${REDACTED}\nend`, "private-key"],
    [
      "a password in a URL",
      "postgres://app:hunter2@db:5432/x",
      `postgres://app:${REDACTED}@db:5432/x`,
      "url-password",
    ],
  ])("finds %s anywhere in a string, keeping the rest", (_what, input, output, rule) => {
    const out = redact({ Description: input });
    expect(out.value.Description).toBe(output);
    expect(out.redactions).toEqual([`Description (${rule})`]);
  });

  it("finds a secret key next to its access key id, and both are listed", () => {
    const out = redact({ filterName: `${KEY_ID} ${SECRET_KEY}` });
    expect(out.value.filterName).toBe(`${REDACTED} ${REDACTED}`);
    expect(out.redactions).toEqual(["filterName (aws-secret-key)", "filterName (aws-access-key-id)"]);
  });

  it("scans list elements, names and metric filter patterns that look like JSON but are not", () => {
    const out = redact({
      logGroups: [{ logGroupName: `/app/${KEY_ID}` }],
      patterns: [`{ $.userIdentity.accessKeyId = "${KEY_ID}" }`],
    });
    expect(out.value.logGroups[0]!.logGroupName).toBe(`/app/${REDACTED}`);
    expect(out.value.patterns[0]).toBe(`{ $.userIdentity.accessKeyId = "${REDACTED}" }`);
  });

  it("keeps what only looks secret-ish: hashes, ARNs, key ids, URLs without a password, policy settings", () => {
    const input = {
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      KmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      principalId: "AIDAJQABLZS4A3QDU576Q",
      url: "https://user@example.com/path?x=1",
      policy: { PasswordPolicy: { MinimumLength: 14 } },
      message: "The key was rotated by the key owner",
      s3: "s3://bucket/prefix/AWSLogs/",
    };
    const out = redact(input);
    expect(out.value).toBe(input);
    expect(out.redactions).toEqual([]);
  });

  it("lists the path and rule, never the value", () => {
    const out = redact({ a: { b: [`x ${KEY_ID}`] } });
    expect(out.redactions).toEqual(["a.b[0] (aws-access-key-id)"]);
    expect(JSON.stringify(out.redactions)).not.toContain(KEY_ID);
  });
});

describe("redaction by pair", () => {
  it.each([
    ["a {Key, Value} tag", { Key: "password", Value: "p@ss" }, "Value"],
    ["a CloudTrail {key, value} tag", { key: "db_password", value: "p@ss" }, "value"],
    ["a Cognito {Name, Value} user attribute", { Name: "custom:api_key", Value: "k-123" }, "Value"],
    ["a CloudTrail {name, value} user attribute", { name: "custom:api_key", value: "k-123" }, "value"],
    ["a CloudFormation parameter", { ParameterKey: "DbPassword", ParameterValue: "p@ss" }, "ParameterValue"],
  ])("redacts the value of %s whose name names a secret", (_what, pair, member) => {
    const out = redact({ items: [pair] });
    expect((out.value.items[0] as Record<string, unknown>)[member]).toBe(REDACTED);
    expect(out.redactions).toEqual([`items[0].${member} (secret-pair)`]);
  });

  it("keeps pairs whose name is not a secret, and schema entries without a value", () => {
    const input = {
      Tags: [{ Key: "team", Value: "payments" }],
      SchemaAttributes: [{ Name: "custom:api_key", AttributeDataType: "String" }],
    };
    expect(redact(input).value).toBe(input);
  });
});

describe("JSON inside strings", () => {
  it("redacts inside a Config rule's InputParameters and re-serialises only then", () => {
    const rule = { ConfigRuleName: "r", InputParameters: JSON.stringify({ apiToken: "t-1", maxAge: "90" }) };
    const out = redact({ rules: [rule] });
    expect(JSON.parse(out.value.rules[0]!.InputParameters)).toEqual({ apiToken: REDACTED, maxAge: "90" });
    expect(out.redactions).toEqual(["rules[0].InputParameters.apiToken (secret-name)"]);
    const clean = { InputParameters: '{"maxAge": "90"}' };
    expect(redact(clean).value).toBe(clean);
  });

  it("recurses through JSON strings nested in CloudTrail requestParameters", () => {
    const event = JSON.stringify({
      requestParameters: {
        parameters: JSON.stringify({ dbPassword: "p-1", conn: "mysql://u:p-2@h/db" }),
        configRule: { inputParameters: JSON.stringify({ apiToken: "p-3" }) },
      },
    });
    const out = redact({ events: [{ CloudTrailEvent: event }] });
    const text = out.value.events[0]!.CloudTrailEvent;
    for (const secret of ["p-1", "p-2", "p-3"]) expect(text).not.toContain(secret);
    expect(out.redactions).toEqual([
      "events[0].CloudTrailEvent.requestParameters.parameters.dbPassword (secret-name)",
      "events[0].CloudTrailEvent.requestParameters.parameters.conn (url-password)",
      "events[0].CloudTrailEvent.requestParameters.configRule.inputParameters.apiToken (secret-name)",
    ]);
  });
});

describe("free text", () => {
  it("redactText applies the value rules to a message", () => {
    expect(redactText(`denied for ${KEY_ID} at https://u:pw@h/x`)).toBe(
      `denied for ${REDACTED} at https://u:${REDACTED}@h/x`,
    );
    expect(redactText("nothing to see")).toBe("nothing to see");
  });

  it("collector error messages (stored in error records and printed) are redacted", () => {
    const error = Object.assign(new Error(`The log group /app/${KEY_ID} does not exist`), {
      name: "ResourceNotFoundException",
      $metadata: { requestId: "r-1" },
    });
    const info = describeError(error);
    expect(info.message).toBe(`The log group /app/${REDACTED} does not exist`);
    expect(info).toMatchObject({ code: "ResourceNotFoundException", requestId: "r-1" });
  });
});
