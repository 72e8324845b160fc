import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { discoverAccounts } from "./aws/organization.js";
import { timeoutConfig } from "./aws/timeouts.js";
import { type CollectSummary, collect } from "./collectors/run.js";
import type { AccountConfig, AuditpackConfig } from "./config/schema.js";
import { UsageError } from "./errors.js";
import { Ledger } from "./evidence/ledger.js";
import { runtime } from "./lambda-runtime.js";

/**
 * AWS Lambda handlers (templates/deploy/central.yaml). They run the same code as the CLI: the
 * config comes from AUDITPACK_CONFIG (a file path, or inline YAML/JSON), evidence goes to the S3
 * store it names. A failure throws, so the Step Functions state that invoked the handler can
 * Retry or Catch it by error name (UsageError, StoreError, ...). A run in which some collectors
 * wrote error records is not a failure: it returns status "partial".
 *
 * Environment:
 *   AUDITPACK_CONFIG       the config (required); its store must be type s3
 *   AUDITPACK_MEMBER_ROLE  role name in member accounts (the StackSet's), for accounts not listed
 *                          in scope.accounts: arn:aws:iam::<account>:role/<name>
 *   AUDITPACK_WORK_BUCKET  bucket for the plan handler's item list (not the evidence bucket)
 *   AUDITPACK_FIXTURES     replay a fixture scenario instead of calling AWS (demos and tests)
 */

export { evaluateAccountHandler, evaluatePlanHandler, mergeHandler } from "./lambda-evaluate.js";
export { CONFIG_ENV, loadLambdaConfig } from "./lambda-runtime.js";

export const MEMBER_ROLE_ENV = "AUDITPACK_MEMBER_ROLE";
export const WORK_BUCKET_ENV = "AUDITPACK_WORK_BUCKET";
export const FIXTURES_ENV = "AUDITPACK_FIXTURES";

/** What Step Functions passes: one Distributed Map item ({account, region}) or lists. */
export interface CollectEvent {
  account?: string;
  region?: string;
  accounts?: string[];
  regions?: string[];
  collectors?: string[];
}

export interface CollectResult {
  status: CollectSummary["status"];
  runId: string;
  source: CollectSummary["source"];
  accounts: string[];
  regions: string[];
  collectors: string[];
  totals: CollectSummary["totals"];
  manifests: CollectSummary["manifests"];
  /** One entry per collector, account and region that wrote an error record. */
  errors: { collector: string; account: string; region: string; code?: string; message?: string }[];
}

/** Accounts not configured in scope.accounts are reached through the member role, when one is named. */
function withMemberRoles(
  config: AuditpackConfig,
  accounts: readonly string[],
  roleName: string | undefined,
): AuditpackConfig {
  if (!roleName) return config;
  const known = new Set(config.scope.accounts.map((a) => a.id));
  const added: AccountConfig[] = accounts
    .filter((id) => !known.has(id))
    .map((id) => ({ id, roleArn: `arn:aws:iam::${id}:role/${roleName}` }));
  return added.length === 0
    ? config
    : { ...config, scope: { ...config.scope, accounts: [...config.scope.accounts, ...added] } };
}

function listOf(one: string | undefined, many: string[] | undefined, field: string): string[] | undefined {
  if (many !== undefined && (!Array.isArray(many) || many.some((v) => typeof v !== "string"))) {
    throw new UsageError(`event.${field}s must be a list of strings`);
  }
  if (one !== undefined && typeof one !== "string") throw new UsageError(`event.${field} must be a string`);
  if (one !== undefined && many !== undefined)
    throw new UsageError(`event: give ${field} or ${field}s, not both`);
  return one !== undefined ? [one] : many;
}

/** Collect for the accounts, regions and collectors the event names (defaults: the config's scope). */
export async function collectHandler(
  event: CollectEvent = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<CollectResult> {
  const { loaded, store, signer } = await runtime(env);
  const fixtures = env[FIXTURES_ENV] || undefined;
  let accounts = listOf(event.account, event.accounts, "account");
  const regions = listOf(event.region, event.regions, "region");
  const roleName = env[MEMBER_ROLE_ENV] || undefined;
  let config = loaded.config;
  if (!accounts && !fixtures && config.scope.organization) {
    const discovered = await discoverAccounts(config, { memberRoleName: roleName });
    accounts = discovered.map((a) => a.id);
    config = { ...config, scope: { ...config.scope, accounts: discovered } };
  }
  if (accounts && !fixtures) config = withMemberRoles(config, accounts, roleName);
  const summary = await collect({
    store,
    signer,
    config,
    ...(event.collectors ? { collectors: event.collectors } : {}),
    ...(accounts ? { accounts } : {}),
    ...(regions ? { regions } : {}),
    ...(fixtures ? { fixtures } : {}),
    // One Map item per account and region: an unreachable member account is recorded as error
    // records (evidence of the gap) and a partial result, not a failed item.
    unreachableAccounts: "record",
  });
  return {
    status: summary.status,
    runId: summary.runId,
    source: summary.source,
    accounts: summary.accounts,
    regions: summary.regions,
    collectors: summary.collectors,
    totals: summary.totals,
    manifests: summary.manifests,
    errors: summary.results
      .filter((r) => r.status === "error")
      .map((r) => ({
        collector: r.collector,
        account: r.account,
        region: r.region,
        code: r.error?.code,
        message: r.error?.message,
      })),
  };
}

/** Seal every manifest not sealed yet (after the Distributed Map, and daily). */
export async function sealHandler(_event: unknown = {}, env: NodeJS.ProcessEnv = process.env) {
  const { store, signer } = await runtime(env);
  const sealed = await new Ledger(store, signer).seal({ now: new Date() });
  return { sealed: sealed ?? null };
}

export interface PlanEvent {
  regions?: string[];
  collectors?: string[];
  accounts?: string[];
}

export interface PlanItem {
  account: string;
  region: string;
  collectors?: string[];
}

/**
 * The Distributed Map's item list: every ACTIVE organisation account (or the configured accounts)
 * times every region, written as one JSON array to the work bucket, because 500 accounts x 16
 * regions is far beyond what a state's input can carry (256 KiB). Returns where it is.
 */
export async function planHandler(event: PlanEvent = {}, env: NodeJS.ProcessEnv = process.env) {
  const { loaded } = await runtime(env);
  const config = loaded.config;
  const bucket = env[WORK_BUCKET_ENV];
  if (!bucket)
    throw new UsageError(`${WORK_BUCKET_ENV} is not set`, {
      hint: "name the bucket for run plans (the central stack's WorkBucket)",
    });
  const accounts =
    listOf(undefined, event.accounts, "account") ??
    (config.scope.organization
      ? (await discoverAccounts(config)).map((a) => a.id)
      : config.scope.accounts.map((a) => a.id));
  const regions = listOf(undefined, event.regions, "region") ?? config.scope.regions;
  if (accounts.length === 0)
    throw new UsageError("no accounts to collect", {
      hint: "set scope.organization: true or list scope.accounts",
    });
  if (regions.length === 0)
    throw new UsageError("no regions to collect", { hint: "list scope.regions in the config" });
  const items: PlanItem[] = accounts.flatMap((account) =>
    regions.map((region) => ({
      account,
      region,
      ...(event.collectors ? { collectors: event.collectors } : {}),
    })),
  );
  const key = `plans/${new Date().toISOString().replace(/:/g, "")}-${Math.random().toString(16).slice(2, 10)}.json`;
  const s3 = new S3Client({
    ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
    ...(config.store.type === "s3" ? { forcePathStyle: config.store.forcePathStyle } : {}),
    maxAttempts: config.aws.maxAttempts,
    ...timeoutConfig(config.aws.timeouts),
  });
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(items),
        ContentType: "application/json",
      }),
    );
  } finally {
    s3.destroy();
  }
  return { bucket, key, items: items.length, accounts: accounts.length, regions: regions.length };
}
