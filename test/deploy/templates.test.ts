/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation ${Name} syntax in plain strings, on purpose */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify, type YAMLMap, type YAMLSeq } from "yaml";
import { ORGANIZATION_IAM_ACTIONS } from "../../src/aws/organization.js";
import { iamPolicy } from "../../src/collectors/registry.js";
import * as lambda from "../../src/lambda.js";
import { loadLambdaConfig } from "../../src/lambda.js";
import { PACKAGE_ROOT, templatePath } from "../../src/paths.js";

/**
 * The deployment templates (templates/deploy/*.yaml, CloudFormation). Regenerate the member role's
 * policy after changing a collector's iamActions with:
 *   AUDITPACK_UPDATE_TEMPLATES=1 npx vitest run test/deploy/templates.test.ts
 */

// CloudFormation's short-form intrinsics, read into their long form ({"Fn::Sub": ...}).
const INTRINSICS = [
  "Ref",
  "Condition",
  "Sub",
  "GetAtt",
  "Join",
  "Select",
  "Split",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "FindInMap",
  "Base64",
  "Cidr",
  "GetAZs",
  "ImportValue",
];
const longName = (n: string) => (n === "Ref" || n === "Condition" ? n : `Fn::${n}`);
const customTags = INTRINSICS.flatMap((n) => [
  { tag: `!${n}`, resolve: (s: string) => ({ [longName(n)]: n === "GetAtt" ? s.split(".") : s }) },
  { tag: `!${n}`, collection: "seq" as const, resolve: (seq: YAMLSeq) => ({ [longName(n)]: seq.toJSON() }) },
  { tag: `!${n}`, collection: "map" as const, resolve: (map: YAMLMap) => ({ [longName(n)]: map.toJSON() }) },
]);

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;
interface Template {
  Parameters: Record<string, Json>;
  Resources: Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;
  Outputs?: Record<string, Json>;
}

const MEMBER_FILE = templatePath("deploy", "member-role.yaml");
const CENTRAL_FILE = templatePath("deploy", "central.yaml");

function load(file: string): Template {
  return parse(readFileSync(file, "utf8"), { customTags: customTags as never, uniqueKeys: true }) as Template;
}

function resourcesOfType(t: Template, type: string): [string, Json][] {
  return Object.entries(t.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([name, r]) => [name, r.Properties]);
}

function only(t: Template, type: string): [string, Json] {
  const found = resourcesOfType(t, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

/** Every Ref, GetAtt and ${...} in a Sub names a parameter, a resource or a pseudo parameter. */
function danglingReferences(t: Template): string[] {
  const known = new Set([...Object.keys(t.Parameters ?? {}), ...Object.keys(t.Resources)]);
  const bad: string[] = [];
  const check = (name: string, where: string) => {
    if (!name.startsWith("AWS::") && !known.has(name)) bad.push(`${where}: ${name}`);
  };
  const walk = (node: Json, locals: Set<string>): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, locals);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "Ref") check(value as string, "Ref");
      else if (key === "Fn::GetAtt") check((value as string[])[0]!, "GetAtt");
      else if (key === "Fn::Sub") {
        const [text, vars] = Array.isArray(value)
          ? (value as [string, Record<string, Json>])
          : [value as string, {}];
        const scope = new Set([...locals, ...Object.keys(vars)]);
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1]!.split(".")[0]!;
          if (!scope.has(name)) check(name, "Sub");
        }
        walk(vars, locals);
        continue;
      }
      walk(value, locals);
    }
  };
  walk(t.Resources, new Set());
  walk(t.Outputs ?? {}, new Set());
  return bad;
}

/** Fill a Sub string's ${...} with stand-ins: numbers for numeric parameters, ARNs or names otherwise. */
function substitute(text: string, values: Record<string, string>): string {
  return text.replace(
    /\$\{([^}]+)\}/g,
    (_, name: string) => values[name] ?? (name.endsWith(".Arn") ? `arn:aws:x:::${name}` : `stand-in-${name}`),
  );
}

describe("templates/deploy", () => {
  it("parse as CloudFormation with short-form intrinsics, and every reference resolves", () => {
    for (const file of [MEMBER_FILE, CENTRAL_FILE]) {
      const t = load(file);
      expect((t as Json).AWSTemplateFormatVersion).toBe("2010-09-09");
      expect(Object.keys(t.Resources).length).toBeGreaterThan(0);
      expect(danglingReferences(t), file).toEqual([]);
    }
  });

  describe("member-role.yaml (StackSet)", () => {
    const t = load(MEMBER_FILE);
    const [, role] = only(t, "AWS::IAM::Role");

    it("has an inline policy that is exactly `auditpack iam-policy`", () => {
      if (process.env.AUDITPACK_UPDATE_TEMPLATES === "1") regenerateMemberPolicy();
      const policies = role.Policies as { PolicyName: string; PolicyDocument: Json }[];
      expect(policies).toHaveLength(1);
      expect(
        load(MEMBER_FILE).Resources.AuditpackReadOnlyRole!.Properties.Policies[0].PolicyDocument,
      ).toEqual(iamPolicy());
      expect(role.ManagedPolicyArns).toBeUndefined();
    });

    it("trusts only the central collector role, and never grants Organizations access", () => {
      const statement = role.AssumeRolePolicyDocument.Statement;
      expect(statement).toHaveLength(1);
      expect(statement[0]).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRole" });
      expect(statement[0].Principal.AWS["Fn::Sub"]).toContain("${CentralAccountId}:root");
      expect(statement[0].Condition.ArnEquals["aws:PrincipalArn"]["Fn::Sub"]).toContain(
        "role/${CollectorRoleName}",
      );
      const actions = role.Policies[0].PolicyDocument.Statement.flatMap((s: Json) => s.Action);
      for (const a of ORGANIZATION_IAM_ACTIONS) expect(actions).not.toContain(a);
      expect(actions.every((a: string) => /:(Describe|Get|List|Lookup)/.test(a))).toBe(true);
    });
  });

  describe("central.yaml", () => {
    const t = load(CENTRAL_FILE);

    it("has every resource the design lists", () => {
      const types = Object.values(t.Resources).map((r) => r.Type);
      for (const type of [
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::KMS::Key",
        "AWS::Lambda::Function",
        "AWS::StepFunctions::StateMachine",
        "AWS::Scheduler::Schedule",
        "AWS::IAM::Role",
      ]) {
        expect(types, type).toContain(type);
      }
      const handlers = resourcesOfType(t, "AWS::Lambda::Function").map(([, p]) => p.Handler);
      expect(handlers).toEqual(
        expect.arrayContaining([
          "dist/lambda.collectHandler",
          "dist/lambda.sealHandler",
          "dist/lambda.planHandler",
        ]),
      );
      for (const [, fn] of resourcesOfType(t, "AWS::Lambda::Function")) {
        expect(fn.Runtime).toBe("nodejs22.x");
        // The handler names an export of src/lambda.ts (built to dist/lambda.js).
        const exported = (fn.Handler as string).replace("dist/lambda.", "");
        expect(typeof (lambda as Record<string, unknown>)[exported], fn.Handler).toBe("function");
      }
    });

    it("asks for Trial first, with no default: GOVERNANCE for 1 day, or COMPLIANCE for RetentionDays", () => {
      expect(Object.keys(t.Parameters)[0]).toBe("Trial");
      expect(t.Parameters.Trial).toMatchObject({ Type: "String", AllowedValues: ["true", "false"] });
      expect(t.Parameters.Trial.Default).toBeUndefined();
      expect((t as Json).Conditions.IsTrial).toEqual({ "Fn::Equals": [{ Ref: "Trial" }, "true"] });
      const retention = t.Resources.EvidenceBucket!.Properties.ObjectLockConfiguration.Rule.DefaultRetention;
      expect(retention).toEqual({
        Mode: { "Fn::If": ["IsTrial", "GOVERNANCE", "COMPLIANCE"] },
        Days: { "Fn::If": ["IsTrial", 1, { Ref: "RetentionDays" }] },
      });
    });

    it("keeps each function's logs in its own log group, with a retention", () => {
      const functions = resourcesOfType(t, "AWS::Lambda::Function");
      expect(functions.length).toBe(6);
      expect(t.Parameters.LogRetentionDays).toMatchObject({ Type: "Number", Default: 90 });
      for (const [name, fn] of functions) {
        const groupName = fn.LoggingConfig?.LogGroup?.Ref;
        expect(groupName, name).toBeDefined();
        const group = t.Resources[groupName]!;
        expect(group.Type).toBe("AWS::Logs::LogGroup");
        expect(group.Properties.RetentionInDays).toEqual({ Ref: "LogRetentionDays" });
        // The group Lambda would otherwise create itself, without retention.
        expect(group.Properties.LogGroupName["Fn::Sub"]).toBe(`/aws/lambda/${fn.FunctionName["Fn::Sub"]}`);
      }
    });

    it("says the code bucket must be in the stack's region", () => {
      expect(t.Parameters.CodeBucket.Description).toMatch(/same region as this stack/);
    });

    it("locks the evidence bucket in COMPLIANCE mode for the configured days, versioned, SSE-KMS", () => {
      const bucket = t.Resources.EvidenceBucket!;
      expect(bucket.Type).toBe("AWS::S3::Bucket");
      expect(bucket.DeletionPolicy).toBe("Retain");
      const p = bucket.Properties;
      expect(p.ObjectLockEnabled).toBe(true);
      expect(p.ObjectLockConfiguration.ObjectLockEnabled).toBe("Enabled");
      expect(p.ObjectLockConfiguration.Rule.DefaultRetention.Mode["Fn::If"][2]).toBe("COMPLIANCE");
      expect(p.ObjectLockConfiguration.Rule.DefaultRetention.Days["Fn::If"][2]).toEqual({
        Ref: "RetentionDays",
      });
      expect(t.Parameters.RetentionDays).toMatchObject({ Type: "Number", MinValue: 1 });
      expect(p.VersioningConfiguration).toEqual({ Status: "Enabled" });
      const sse = p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
      expect(sse.SSEAlgorithm).toBe("aws:kms");
      const keyName = sse.KMSMasterKeyID["Fn::GetAtt"][0];
      expect(t.Resources[keyName]!.Type).toBe("AWS::KMS::Key");
      expect(Object.values(p.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    });

    it("denies non-TLS access, deletion and lock changes on the evidence bucket, for everyone", () => {
      const [, policy] = resourcesOfType(t, "AWS::S3::BucketPolicy").find(
        ([, p]) => p.Bucket.Ref === "EvidenceBucket",
      )!;
      const denies = policy.PolicyDocument.Statement.filter((s: Json) => s.Effect === "Deny");
      const tls = denies.find((s: Json) => s.Condition?.Bool?.["aws:SecureTransport"] === "false");
      expect(tls).toMatchObject({ Principal: "*", Action: "s3:*" });
      const deletion = denies.find(
        (s: Json) => Array.isArray(s.Action) && s.Action.includes("s3:DeleteObject"),
      );
      expect(deletion.Principal).toBe("*");
      expect(deletion.Action).toEqual(
        expect.arrayContaining([
          "s3:DeleteObject",
          "s3:DeleteObjectVersion",
          "s3:PutBucketObjectLockConfiguration",
        ]),
      );
      expect(deletion.Condition).toBeUndefined();
      for (const s of [tls, deletion]) {
        expect(s.Resource).toEqual([
          { "Fn::GetAtt": ["EvidenceBucket", "Arn"] },
          { "Fn::Sub": "${EvidenceBucket.Arn}/*" },
        ]);
      }
    });

    it("has an ECC P-256 signing key", () => {
      expect(t.Resources.SigningKey!.Properties).toMatchObject({
        KeySpec: "ECC_NIST_P256",
        KeyUsage: "SIGN_VERIFY",
      });
    });

    it("gives the Lambda functions a config the loader accepts: the S3 store with Object Lock, the KMS signer, the organisation", () => {
      for (const [, fn] of resourcesOfType(t, "AWS::Lambda::Function")) {
        const [text, vars] = fn.Environment.Variables.AUDITPACK_CONFIG["Fn::Sub"] as [string, Json];
        // The store's Object Lock follows Trial, like the bucket's default retention.
        expect(vars.LockMode).toEqual({ "Fn::If": ["IsTrial", "GOVERNANCE", "COMPLIANCE"] });
        expect(vars.LockDays).toEqual({ "Fn::If": ["IsTrial", "1", { Ref: "RetentionDays" }] });
        for (const [mode, days] of [
          ["COMPLIANCE", "400"],
          ["GOVERNANCE", "1"],
        ] as const) {
          const json = substitute(text, {
            RegionList: 'eu-west-1","us-east-1',
            LockMode: mode,
            LockDays: days,
            EvidenceBucket: "auditpack-evidence-example",
          });
          const { config } = loadLambdaConfig(json);
          expect(config.store).toMatchObject({
            type: "s3",
            bucket: "auditpack-evidence-example",
            objectLock: { mode, days: Number(days) },
          });
        }
        const { config } = loadLambdaConfig(
          substitute(text, {
            RegionList: 'eu-west-1","us-east-1',
            LockMode: "COMPLIANCE",
            LockDays: "400",
            EvidenceBucket: "auditpack-evidence-example",
          }),
        );
        expect(config.signing.type).toBe("kms");
        expect(config.scope).toMatchObject({ organization: true, regions: ["eu-west-1", "us-east-1"] });
      }
      const role = t.Resources.CollectorRole!.Properties;
      const actions = role.Policies[0].PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat());
      // organizations:ListAccounts belongs to the central account only.
      expect(actions).toEqual(
        expect.arrayContaining([
          ...ORGANIZATION_IAM_ACTIONS,
          "sts:AssumeRole",
          "s3:PutObject",
          "s3:PutObjectRetention",
          "kms:Sign",
        ]),
      );
      expect(actions).not.toContain("s3:DeleteObject");
    });

    it("fans out with a Distributed Map over accounts x regions at bounded concurrency, then seals", () => {
      const [, machine] = only(t, "AWS::StepFunctions::StateMachine");
      const text = machine.DefinitionString["Fn::Sub"] as string;
      const asl = JSON.parse(
        substitute(text, {
          MaxConcurrency: "40",
          ToleratedFailurePercentage: "5",
          EvaluateConcurrency: "20",
          WorkBucket: "work",
        }),
      );
      const states = asl.States as Record<string, Json>;
      expect(states[asl.StartAt]).toBeDefined();
      for (const [name, state] of Object.entries(states)) {
        if (state.Next) expect(states[state.Next], `${name}.Next`).toBeDefined();
        for (const c of state.Catch ?? []) expect(states[c.Next], `${name}.Catch`).toBeDefined();
      }
      const plan = states[asl.StartAt];
      expect(plan.Parameters.FunctionName).toContain("PlanFunction.Arn");
      const map = states[plan.Next];
      expect(map.Type).toBe("Map");
      expect(map.ItemProcessor.ProcessorConfig.Mode).toBe("DISTRIBUTED");
      expect(map.ItemReader).toMatchObject({
        Resource: expect.stringContaining(":states:::s3:getObject"),
        ReaderConfig: { InputType: "JSON" },
      });
      expect(map.MaxConcurrency).toBe(40);
      expect(text).toContain('"MaxConcurrency": ${MaxConcurrency}');
      expect(t.Parameters.MaxConcurrency.Type).toBe("Number");
      const inner = map.ItemProcessor.States[map.ItemProcessor.StartAt];
      expect(inner.Parameters.FunctionName).toContain("CollectFunction.Arn");
      expect(inner.Parameters["Payload.$"]).toBe("$");
      expect(map.ResultWriter).toBeDefined();
      const seal = states[map.Next];
      expect(seal.Parameters.FunctionName).toContain("SealFunction.Arn");
      expect(states[map.Catch[0].Next].Parameters.FunctionName).toContain("SealFunction.Arn");

      // Then, when asked: one evaluation per account at bounded concurrency, and one merge.
      const choice = states[seal.Next];
      expect(choice.Type).toBe("Choice");
      expect(choice.Choices[0]).toMatchObject({ Variable: "$.evaluate", IsPresent: true });
      expect(states[choice.Default].Type).toBe("Succeed");
      const evalPlan = states[choice.Choices[0].Next];
      expect(evalPlan.Parameters.FunctionName).toContain("EvaluatePlanFunction.Arn");
      expect(evalPlan.Retry.length).toBeGreaterThan(0);
      const evalMap = states[evalPlan.Next];
      expect(evalMap.Type).toBe("Map");
      expect(evalMap.ItemProcessor.ProcessorConfig.Mode).toBe("DISTRIBUTED");
      expect(evalMap.MaxConcurrency).toBe(20);
      expect(text).toContain('"MaxConcurrency": ${EvaluateConcurrency}');
      expect(t.Parameters.EvaluateConcurrency).toMatchObject({ Type: "Number", MinValue: 1 });
      expect(evalMap.ItemSelector).toMatchObject({
        "evaluation.$": "$.evaluatePlan.evaluation",
        "account.$": "$$.Map.Item.Value.account",
      });
      const evalTask = evalMap.ItemProcessor.States[evalMap.ItemProcessor.StartAt];
      expect(evalTask.Parameters.FunctionName).toContain("EvaluateFunction.Arn");
      expect(evalTask.Retry.flatMap((r: Json) => r.ErrorEquals)).toEqual(
        expect.arrayContaining(["Lambda.TooManyRequestsException", "StoreError"]),
      );
      const merge = states[evalMap.Next];
      expect(merge.Parameters.FunctionName).toContain("MergeFunction.Arn");
      expect(merge.Parameters.Payload["evaluationId.$"]).toBe("$.evaluatePlan.evaluationId");
      expect(merge.Retry.length).toBeGreaterThan(0);
      expect(merge.End).toBe(true);
      for (const [name, handler] of [
        ["EvaluatePlanFunction", "dist/lambda.evaluatePlanHandler"],
        ["EvaluateFunction", "dist/lambda.evaluateAccountHandler"],
        ["MergeFunction", "dist/lambda.mergeHandler"],
      ])
        expect(t.Resources[name!]!.Properties.Handler).toBe(handler);
      // The merge spills the partials' findings and writes the package in /tmp: sized by a parameter.
      expect(t.Resources.MergeFunction?.Properties.EphemeralStorage).toEqual({
        Size: { Ref: "MergeEphemeralStorageMB" },
      });
      expect(t.Parameters.MergeEphemeralStorageMB).toMatchObject({
        Type: "Number",
        MinValue: 512,
        MaxValue: 10240,
      });
    });

    it("starts the state machine from EventBridge Scheduler", () => {
      const schedules = resourcesOfType(t, "AWS::Scheduler::Schedule");
      expect(schedules.length).toBeGreaterThanOrEqual(1);
      for (const [, s] of schedules) {
        expect(s.Target.Arn).toEqual({ Ref: "CollectionStateMachine" });
        expect(s.FlexibleTimeWindow.Mode).toBe("OFF");
        expect(() => JSON.parse(s.Target.Input)).not.toThrow();
      }
    });
  });
});

/** Rewrite the member role's PolicyDocument block from iamPolicy(), keeping the rest of the file. */
function regenerateMemberPolicy(): void {
  const lines = readFileSync(MEMBER_FILE, "utf8").split("\n");
  const start = lines.findIndex((l) => l.trim() === "PolicyDocument:");
  const indent = lines[start]!.indexOf("PolicyDocument:") + 2;
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === "" ? false : lines[end]!.search(/\S/) >= indent))
    end++;
  const body = stringify(iamPolicy(), { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    // A date-like version must stay a string for every YAML reader.
    .map((l) => `${" ".repeat(indent)}${l.replace(/^(\s*)Version: (\S+)$/, '$1Version: "$2"')}`);
  writeFileSync(MEMBER_FILE, [...lines.slice(0, start + 1), ...body, ...lines.slice(end)].join("\n"));
}

describe("docs/DEPLOY.md", () => {
  const text = readFileSync(path.join(PACKAGE_ROOT, "docs/DEPLOY.md"), "utf8");
  const central = text.slice(text.indexOf("### `central.yaml`"));

  it("shows the Trial choice first, and deploys with Trial=true", () => {
    expect(central.indexOf("Trial")).toBeLessThan(central.indexOf("| Resource |"));
    const deploy = central.slice(central.indexOf("aws cloudformation deploy"));
    expect(deploy.split("\n").slice(0, 4).join("\n")).toContain("Trial=true");
  });

  it("states the code bucket's region and builds the zip with the npm script", () => {
    expect(central).toMatch(/same region as the stack/);
    expect(central).toContain("npm run lambda:zip");
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
    expect(pkg.scripts["lambda:zip"]).toBe("node scripts/lambda-zip.mjs");
  });
});
