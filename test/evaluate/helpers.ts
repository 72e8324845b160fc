import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Catalog } from "../../src/catalog/types.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { EVIDENCE_SCHEMA, type EvidenceRecord, encodeRecord } from "../../src/evidence/record.js";
import { Ed25519Signer } from "../../src/signing/ed25519.js";
import type { LoadedRecord } from "../../src/state/build.js";
import { FsStore } from "../../src/store/fs.js";

export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

export function tempStore(): FsStore {
  return new FsStore(mkdtempSync(path.join(os.tmpdir(), "auditpack-eval-")));
}

export function record(
  collector: string,
  collectedAt: string,
  payload: unknown,
  extra: Partial<EvidenceRecord> = {},
): EvidenceRecord {
  return {
    schema: EVIDENCE_SCHEMA,
    collector,
    source: "aws",
    account: ACCOUNT,
    region: REGION,
    collectedAt,
    calls: [],
    payload,
    ...extra,
  };
}

export function loaded(r: EvidenceRecord): LoadedRecord {
  const { key, sha256 } = encodeRecord(r);
  return { record: r, ref: { key, sha256, collectedAt: r.collectedAt, collector: r.collector } };
}

/** One signer for the test files' stores (evaluate reads only records a signed manifest lists). */
export const testSigner = new Ed25519Signer(generateKeyPairSync("ed25519").privateKey);

/** Store the records through the ledger: one run, one signed manifest. */
export async function putAll(store: FsStore, records: EvidenceRecord[]): Promise<string[]> {
  const run = new Ledger(store, testSigner).beginRun({ scope: { test: true } });
  const keys: string[] = [];
  for (const r of records) keys.push((await run.writeRecord(r)).key);
  await run.finish();
  return keys;
}

/** Put records into the store directly, as someone without the signing key would. */
export async function injectUnsigned(store: FsStore, records: EvidenceRecord[]): Promise<string[]> {
  const keys: string[] = [];
  for (const r of records) {
    const { key, bytes, sha256 } = encodeRecord(r);
    await store.put(key, bytes, { sha256 });
    keys.push(key);
  }
  return keys;
}

export function userPool(overrides: Record<string, unknown> = {}, mfa = "ON") {
  return {
    userPool: {
      Id: "eu-west-1_AbC",
      Name: "payments-customers",
      Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/eu-west-1_AbC`,
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 4,
          TemporaryPasswordValidityDays: 7,
        },
      },
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      ...overrides,
    },
    mfaConfig: { MfaConfiguration: mfa, SoftwareTokenMfaConfiguration: { Enabled: true } },
    clients: [
      {
        ClientId: "client1",
        ClientName: "web",
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes" },
      },
    ],
  };
}

/** A catalog with one requirement per given check. */
export function catalogOf(
  checks: Array<{ req: string; id?: string; params?: Record<string, unknown> }>,
): Catalog {
  return {
    framework: {
      id: "pci-dss-4.0.1",
      name: "PCI DSS",
      version: "4.0",
      publisher: "PCI SSC",
      url: "https://example.org",
    },
    requirements: checks.map((c) => ({
      id: c.req,
      title: `requirement ${c.req}`,
      description: "test",
      ...(c.id
        ? { checks: [{ id: c.id, params: c.params }] }
        : { manual: { rationale: "needs a person", evidenceHint: "a scan report" } }),
    })),
  };
}

export const DAY_MS = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** The user pool of `userPool()`, as AWS Config names it. */
export const USER_POOL_ID = "eu-west-1_AbC";

/** An AWS Config configuration item for that pool with this MFA setting (plus any `configuration` fields). */
export function userPoolConfigItem(
  at: string,
  mfa: string,
  options: { status?: string; configuration?: Record<string, unknown> } = {},
) {
  return {
    configurationItemCaptureTime: at,
    configurationItemStatus: options.status ?? "OK",
    configurationStateId: String(Date.parse(at)),
    resourceType: "AWS::Cognito::UserPool",
    resourceId: USER_POOL_ID,
    resourceName: "payments-customers",
    configuration: JSON.stringify({
      UserPoolId: USER_POOL_ID,
      UserPoolName: "payments-customers",
      MfaConfiguration: mfa,
      ...options.configuration,
    }),
  };
}

/** One config_resource_timeline record for that pool over 2026-Q3 (`payload`: baseline, items...). */
export function userPoolTimelineRecord(payload: Record<string, unknown>): EvidenceRecord {
  return record(
    "config_resource_timeline",
    "2026-10-01T06:00:00.000Z",
    { resourceType: "AWS::Cognito::UserPool", resourceId: USER_POOL_ID, ...payload },
    { period: { start: "2026-07-01T00:00:00.000Z", end: "2026-10-01T00:00:00.000Z" } },
  );
}
