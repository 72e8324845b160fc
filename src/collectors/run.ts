import { createHash } from "node:crypto";
import path from "node:path";
import type { HttpHandler } from "@smithy/protocol-http";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { ClientFactory, DEFAULT_STS_REGION } from "../aws/clients.js";
import { describeAccessFailure, describeNetworkFailure, failureHint } from "../aws/errors.js";
import { type FixtureScenario, loadScenario } from "../aws/fixtures.js";
import { discoverAccounts } from "../aws/organization.js";
import { RateLimiter } from "../aws/rate-limit.js";
import { FixtureRecorder } from "../aws/recorder.js";
import { type DefaultRegion, defaultRegion } from "../aws/region.js";
import { ReplayHandler } from "../aws/replay.js";
import { runBounded } from "../concurrency.js";
import { describeIssues } from "../config/load.js";
import type { AuditpackConfig } from "../config/schema.js";
import {
  describeError as describeErrorInfo,
  type ErrorInfo,
  ObjectExistsError,
  UsageError,
} from "../errors.js";
import { Ledger, type RunWriter } from "../evidence/ledger.js";
import type { CallerIdentity } from "../evidence/ledger-format.js";
import { lastManifestedPeriodEnd, vouchedBySigner } from "../evidence/positions.js";
import {
  EVIDENCE_SCHEMA,
  type EvidenceCall,
  type EvidencePeriod,
  type EvidenceRecord,
  type EvidenceSource,
  GLOBAL_REGION,
} from "../evidence/record.js";
import { redact, redactText } from "../evidence/redact.js";
import type { VouchedRecords } from "../evidence/vouched.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import { didYouMean } from "../suggest.js";
import { type AnyCollector, collectors as allCollectors, collectorIds, getCollector } from "./registry.js";
import type { ClientConstructor, CollectContext, CollectWindow, ServiceName } from "./types.js";

/** Environment variable holding the key for pseudonymising user names (never in the config file). */
export const PSEUDONYMIZE_KEY_ENV = "AUDITPACK_PSEUDONYMIZE_KEY";
/** Runner-level option accepted in `collectors.<id>` beside the collector's own options. */
const PSEUDONYMIZE_OPTION = "pseudonymizeUsers";
/** LookupEvents reaches back 90 days; live runs default to that window. */
const DEFAULT_LOOKBACK_MS = 90 * 24 * 3600 * 1000;

export interface CollectOptions {
  store: EvidenceStore;
  signer: Signer;
  config: AuditpackConfig;
  /** Collector ids (default: all), or collector objects (embedding, tests). */
  collectors?: readonly (string | AnyCollector)[];
  accounts?: readonly string[];
  regions?: readonly string[];
  /** Start of the history window (default: the scenario's window, or the earlier of the quarter's start and 90 days back). */
  since?: Date;
  /** Base credentials profile (overrides aws.profile). */
  profile?: string;
  /** Replay this fixture scenario (a name under evidence-fixtures/, or a directory path). */
  fixtures?: string | FixtureScenario;
  fixturesRoot?: string;
  /** Save what this live run saw, redacted, as a fixture scenario in this directory. */
  recordFixtures?: string;
  /** Pseudonymise user names in every collector (also per collector: collectors.<id>.pseudonymizeUsers). */
  pseudonymizeUsers?: boolean;
  /** Key for pseudonymisation (default: $AUDITPACK_PSEUDONYMIZE_KEY). */
  pseudonymizeKey?: string;
  onProgress?: (event: CollectProgress) => void;
  signal?: AbortSignal;
  /** Replay only: latency injected into every call (benchmarks), and a tap on every call sent. */
  replay?: {
    latencyMs?: number;
    onCall?: (call: { account: string; region: string; service: ServiceName; operation: string }) => void;
  };
  /**
   * Apply AWS's documented rate limits (default: on for live runs, off for replay, which has no
   * quota; benchmarks turn it on to model a real account).
   */
  rateLimits?: boolean;
  /** Base credentials instead of the default chain (tests, embedding). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * When no account in scope can be reached: "fail" (default) throws a UsageError (exit 2) before
   * anything is written; "record" writes each collector's error records and returns a partial run.
   */
  unreachableAccounts?: "fail" | "record";
  /** Wall clock for live runs (tests); for fixture runs, the clock to replay (default: the scenario's). */
  now?: () => Date;
}

export interface CollectorResult {
  collector: string;
  account: string;
  region: string;
  status: "ok" | "error";
  records: number;
  bytes: number;
  /** Error records written (0 or 1). */
  errors: number;
  durationMs: number;
  error?: ErrorInfo;
}

export type { ErrorInfo };

export interface CollectSummary {
  status: "ok" | "partial";
  runId: string;
  source: EvidenceSource;
  scenario?: string;
  accounts: string[];
  regions: string[];
  collectors: string[];
  window: { start: string; end: string };
  callerIdentities: CallerIdentity[];
  manifests: { key: string; sha256: string }[];
  results: CollectorResult[];
  totals: { records: number; bytes: number; errors: number; durationMs: number };
  /** Files written by --record-fixtures. */
  recordedFixtures?: string[];
}

export type CollectProgress =
  | { type: "start"; collector: string; account: string; region: string }
  | { type: "progress"; collector: string; account: string; region: string; done: number; total?: number }
  | { type: "record"; collector: string; account: string; region: string; key: string; size: number }
  | { type: "finish"; result: CollectorResult };

interface Plan {
  collectors: { collector: AnyCollector; options: unknown; pseudonymize: boolean }[];
  accounts: string[];
  regions: string[];
  window: CollectWindow;
  now: () => Date;
  source: EvidenceSource;
  scenario?: FixtureScenario;
  pseudonymizeKey?: string;
}

/**
 * Run collectors over every account and region in scope and write their records through the ledger:
 * the library entry behind `auditpack collect`, the scheduler and the Lambda handler. A failure of one
 * collector in one account and region becomes an error record there, and the run goes on.
 */
export async function collect(options: CollectOptions): Promise<CollectSummary> {
  const started = performance.now();
  const needsRegion = !options.fixtures && !options.regions?.length && !options.config.scope.regions.length;
  const plan = planRun(options, needsRegion ? await defaultRegion(baseProfile(options)) : undefined);
  const recorder = options.recordFixtures
    ? new FixtureRecorder(path.resolve(options.recordFixtures))
    : undefined;
  if (recorder) {
    checkRecordFixtures(plan.scenario, recorder.dir);
    FixtureRecorder.check(recorder.dir);
  }
  const limiter = new RateLimiter({ signal: options.signal });
  // scope.organization: the organisation's ACTIVE accounts (explicit --accounts still win).
  let accountConfigs = options.config.scope.accounts;
  if (!plan.scenario && options.accounts === undefined && options.config.scope.organization) {
    accountConfigs = await discoverAccounts(options.config, {
      credentials: options.credentials,
      profile: options.profile,
      memberRoleName: options.config.scope.organizationRole,
      signal: options.signal,
    });
    plan.accounts = accountConfigs.map((a) => a.id);
  }
  const factory = createFactory(options, plan, limiter, recorder, accountConfigs);
  try {
    const access = await resolveAccounts(options, plan, factory);
    if (recorder)
      for (const [account, identity] of access.identities) recorder.addCallerIdentity(account, identity);
    plan.accounts = access.accounts;

    const ledger = new Ledger(options.store, options.signer, { now: plan.now });
    const runOptions = {
      scope: {
        accounts: plan.accounts,
        regions: plan.regions,
        collectors: plan.collectors.map((c) => c.collector.id),
        source: plan.source,
        ...(plan.scenario ? { scenario: plan.scenario.name } : {}),
        window: { start: plan.window.start.toISOString(), end: plan.window.end.toISOString() },
      },
      callerIdentities: [...access.identities.values()],
    };
    const writer = plan.scenario
      ? await beginReplayRun(ledger, runOptions, plan)
      : ledger.beginRun(runOptions);

    const vouched = vouchedBySigner(options.store, options.signer);
    const pairs = plan.accounts.flatMap((account) => plan.regions.map((region) => ({ account, region })));
    const concurrency = options.config.aws.concurrency;
    const settled = await runBounded(pairs, concurrency, ({ account, region }) =>
      Promise.all(
        plan.collectors.map((entry) =>
          runCollector(entry, {
            account,
            region,
            plan,
            factory,
            writer,
            options,
            failure: access.failures.get(account),
            vouched,
          }),
        ),
      ),
    );
    const results: CollectorResult[] = [];
    for (const s of settled) {
      if (s.status === "rejected") throw s.reason;
      results.push(...s.value);
    }
    const run = await writer.finish();

    let recordedFixtures: string[] | undefined;
    if (recorder) {
      recordedFixtures = recorder.write({
        description: `recorded by auditpack collect (${plan.collectors.map((c) => c.collector.id).join(", ")})`,
        clock: plan.now(),
        accounts: plan.accounts,
        regions: plan.regions,
        window: plan.window,
      });
    }
    const totals = {
      records: sum(results, (r) => r.records),
      bytes: sum(results, (r) => r.bytes),
      errors: sum(results, (r) => r.errors),
      durationMs: Math.round(performance.now() - started),
    };
    return {
      status: results.some((r) => r.status === "error") ? "partial" : "ok",
      runId: run.runId,
      source: plan.source,
      ...(plan.scenario ? { scenario: plan.scenario.name } : {}),
      accounts: plan.accounts,
      regions: plan.regions,
      collectors: plan.collectors.map((c) => c.collector.id),
      window: { start: plan.window.start.toISOString(), end: plan.window.end.toISOString() },
      callerIdentities: [...access.identities.values()],
      manifests: run.manifests,
      results,
      totals,
      ...(recordedFixtures ? { recordedFixtures } : {}),
    };
  } finally {
    factory.destroy();
  }
}

/** --record-fixtures saves what a live run saw: a replay has nothing to record. */
export function checkRecordFixtures(fixtures: unknown, recordFixtures: string | undefined): void {
  if (fixtures && recordFixtures)
    throw new UsageError("--record-fixtures records a live run; it cannot be combined with --fixtures");
}

/** Validate every input before any AWS call: collectors and their options, scope, window. */
function planRun(options: CollectOptions, fallbackRegion?: DefaultRegion): Plan {
  const { config } = options;
  const scenario =
    typeof options.fixtures === "string"
      ? loadScenario(options.fixtures, options.fixturesRoot)
      : options.fixtures;

  for (const id of Object.keys(config.collectors)) {
    if (
      !collectorIds.includes(id) &&
      !(options.collectors ?? []).some((c) => typeof c !== "string" && c.id === id)
    ) {
      const hint = didYouMean(id, collectorIds);
      throw new UsageError(`config collectors.${id}: unknown collector${hint ? ` (${hint})` : ""}`, {
        hint: `collectors: ${collectorIds.join(", ")}`,
      });
    }
  }
  const chosen = (options.collectors ?? allCollectors).map((c) =>
    typeof c === "string" ? getCollector(c) : c,
  );
  const planned = chosen.map((collector) => {
    const raw = { ...(config.collectors[collector.id] ?? {}) };
    const pseudonymize = options.pseudonymizeUsers === true || raw[PSEUDONYMIZE_OPTION] === true;
    if (PSEUDONYMIZE_OPTION in raw && typeof raw[PSEUDONYMIZE_OPTION] !== "boolean") {
      throw new UsageError(
        `config collectors.${collector.id}.${PSEUDONYMIZE_OPTION}: expected true or false`,
      );
    }
    delete raw[PSEUDONYMIZE_OPTION];
    return { collector, options: validateOptions(collector, raw), pseudonymize };
  });
  const pseudonymizeKey = options.pseudonymizeKey ?? process.env[PSEUDONYMIZE_KEY_ENV];
  if (planned.some((p) => p.pseudonymize) && !pseudonymizeKey) {
    throw new UsageError(`pseudonymizing user names needs a key in $${PSEUDONYMIZE_KEY_ENV}`, {
      hint: `set ${PSEUDONYMIZE_KEY_ENV} to a long random secret (keep it: the same key gives the same pseudonyms)`,
    });
  }

  if (scenario) {
    const accounts = subset("--accounts", options.accounts, scenario.accounts, `scenario ${scenario.name}`);
    const regions = subset("--regions", options.regions, scenario.regions, `scenario ${scenario.name}`);
    // A run at an earlier clock (a scheduled run the scenario recorded) sees the window up to then.
    const now = options.now ?? (() => new Date(scenario.clock));
    const end = new Date(Math.min(scenario.window.end.getTime(), now().getTime()));
    const window = { start: options.since ?? scenario.window.start, end };
    checkWindow(window);
    return {
      collectors: planned,
      accounts,
      regions,
      window,
      now,
      source: "fixture",
      scenario,
      pseudonymizeKey,
    };
  }

  const now = options.now ?? (() => new Date());
  const regions = [...(options.regions ?? config.scope.regions)];
  if (regions.length === 0) {
    if (!fallbackRegion) {
      throw new UsageError("no regions to collect", {
        hint: "list them in scope.regions in the config, pass --regions eu-west-1,us-east-1, set AWS_REGION, or set region in your AWS profile",
      });
    }
    regions.push(fallbackRegion.region);
  }
  const end = now();
  const window = { start: options.since ?? defaultSince(end), end };
  checkWindow(window);
  return {
    collectors: planned,
    accounts: [...(options.accounts ?? config.scope.accounts.map((a) => a.id))],
    regions,
    window,
    now,
    source: "aws",
    pseudonymizeKey,
  };
}

/**
 * Where a run's history starts by default: the earlier of the current quarter's start and 90 days
 * back, so a first run mid-quarter reads what AWS kept for the whole quarter (Config timelines
 * reach further back than LookupEvents' 90 days).
 */
export function defaultSince(end: Date): Date {
  const quarterStart = Date.UTC(end.getUTCFullYear(), Math.floor(end.getUTCMonth() / 3) * 3, 1);
  return new Date(Math.min(quarterStart, end.getTime() - DEFAULT_LOOKBACK_MS));
}

function validateOptions(collector: AnyCollector, raw: Record<string, unknown>): unknown {
  if (!collector.optionsSchema) {
    const keys = Object.keys(raw);
    if (keys.length > 0) {
      throw new UsageError(
        `config collectors.${collector.id}: unknown option${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`,
        {
          hint: `${collector.id} takes no options besides ${PSEUDONYMIZE_OPTION}`,
        },
      );
    }
    return {};
  }
  const result = collector.optionsSchema.safeParse(raw);
  if (!result.success) {
    const lines = describeIssues(result.error).map((l) => `  - collectors.${collector.id}.${l}`);
    throw new UsageError(`invalid options for collector ${collector.id}:\n${lines.join("\n")}`);
  }
  return result.data;
}

function subset(
  option: string,
  wanted: readonly string[] | undefined,
  available: string[],
  where: string,
): string[] {
  if (!wanted) return [...available];
  for (const w of wanted) {
    if (!available.includes(w)) {
      throw new UsageError(`${option}: ${w} is not in ${where}`, { hint: `it has ${available.join(", ")}` });
    }
  }
  return [...wanted];
}

function checkWindow(window: CollectWindow): void {
  if (window.start >= window.end) {
    throw new UsageError(
      `--since ${window.start.toISOString()} is not before the end of the window (${window.end.toISOString()})`,
    );
  }
}

function createFactory(
  options: CollectOptions,
  plan: Plan,
  limiter: RateLimiter,
  recorder: FixtureRecorder | undefined,
  accountConfigs: AuditpackConfig["scope"]["accounts"],
): ClientFactory {
  const { config } = options;
  const scenario = plan.scenario;
  if (scenario) {
    return new ClientFactory({
      maxAttempts: config.aws.maxAttempts,
      limiter: options.rateLimits === true ? limiter : undefined,
      replay: (account, region, service): HttpHandler =>
        new ReplayHandler(service, scenario.serviceFixture(account, region, service, plan.now()), {
          latencyMs: options.replay?.latencyMs,
          onCall: (operation) => options.replay?.onCall?.({ account, region, service, operation }),
          source: scenario.fileFor(account, region, service),
          // Nothing reads the handler's call list here; keeping it would grow with every call.
          recordCalls: false,
        }),
    });
  }
  return new ClientFactory({
    accounts: accountConfigs,
    profile: options.profile ?? config.aws.profile,
    endpoint: config.aws.endpoint,
    maxAttempts: config.aws.maxAttempts,
    timeouts: config.aws.timeouts,
    credentials: options.credentials,
    limiter: options.rateLimits === false ? undefined : limiter,
    stsRegion: plan.regions[0] ?? DEFAULT_STS_REGION,
    sessionName: "auditpack-collect",
    wrapHandler: recorder ? (inner, scope) => recorder.wrap(inner, scope) : undefined,
  });
}

interface AccountAccessResult {
  accounts: string[];
  identities: Map<string, CallerIdentity>;
  /** Accounts whose credentials failed: every collector there gets this error record. */
  failures: Map<string, ErrorInfo>;
}

/**
 * Who collects in each account (GetCallerIdentity, for the manifest), and the caller's own account
 * when none is configured. Credentials that belong to another account than the one named are a
 * failure for that account: records must never be filed under the wrong account.
 */
async function resolveAccounts(
  options: CollectOptions,
  plan: Plan,
  factory: ClientFactory,
): Promise<AccountAccessResult> {
  const identities = new Map<string, CallerIdentity>();
  const failures = new Map<string, ErrorInfo>();
  if (plan.scenario) {
    for (const account of plan.accounts) {
      const hasSts =
        (plan.scenario.serviceFixture(account, GLOBAL_REGION, "sts").GetCallerIdentity ?? []).length > 0;
      identities.set(
        account,
        hasSts
          ? await factory.callerIdentity(account, options.signal)
          : { account, arn: `arn:aws:iam::${account}:role/auditpack-fixture` },
      );
    }
    return { accounts: plan.accounts, identities, failures };
  }
  if (plan.accounts.length === 0) {
    let identity: CallerIdentity;
    try {
      identity = await factory.callerIdentity("", options.signal);
    } catch (cause) {
      const info = await describeAccessFailure(cause, baseProfile(options));
      throw new UsageError(`cannot find which AWS account to collect: ${info.code}: ${info.message}`, {
        cause,
        hint: failureHint(info.kind),
      });
    }
    identities.set(identity.account, identity);
    // The caller's own account, reached with the base credentials: re-key its clients under its id.
    return { accounts: [identity.account], identities, failures: new Map() };
  }
  await Promise.all(
    plan.accounts.map(async (account) => {
      try {
        const identity = await factory.callerIdentity(account, options.signal);
        if (identity.account !== account) {
          failures.set(account, {
            code: "WrongAccount",
            message: `the credentials for account ${account} belong to account ${identity.account} (${identity.arn})`,
            operation: "GetCallerIdentity",
          });
        } else {
          identities.set(account, identity);
        }
      } catch (error) {
        const profile = options.config.scope.accounts.find((a) => a.id === account)?.profile;
        const info = await describeAccessFailure(error, profile ?? baseProfile(options));
        failures.set(account, {
          ...describeError(error),
          code: info.code,
          message: info.message,
          operation: "GetCallerIdentity",
        });
      }
    }),
  );
  // Not one account reachable: nothing was collected, so this is an input error, not a partial run.
  // (A run stopped while it was starting keeps its error records: the interruption is evidence.)
  const fail = options.unreachableAccounts !== "record" && !options.signal?.aborted;
  if (fail && failures.size === plan.accounts.length) throw allAccountsFailed(failures);
  return { accounts: plan.accounts, identities, failures };
}

/** The profile the base credentials come from: --profile, aws.profile, then AWS_PROFILE. */
function baseProfile(options: CollectOptions): string | undefined {
  return options.profile ?? options.config.aws.profile ?? process.env.AWS_PROFILE;
}

function allAccountsFailed(failures: Map<string, ErrorInfo>): UsageError {
  const lines = [...failures]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, f]) => `  - ${account}: ${f.code}: ${f.message}`);
  const network = [...failures.values()].every((f) => f.message.startsWith("network:"));
  return new UsageError(`no account in scope could be reached; nothing was collected:\n${lines.join("\n")}`, {
    hint: failureHint(network ? "network" : "credentials"),
  });
}

interface RunScope {
  account: string;
  region: string;
  plan: Plan;
  factory: ClientFactory;
  writer: RunWriter;
  options: CollectOptions;
  failure?: ErrorInfo;
  /** Records the ledger vouches for (incremental positions come from these only). */
  vouched: () => Promise<VouchedRecords>;
}

async function runCollector(entry: Plan["collectors"][number], scope: RunScope): Promise<CollectorResult> {
  const { collector } = entry;
  const { account, region, plan, writer, options } = scope;
  const started = performance.now();
  const result: CollectorResult = {
    collector: collector.id,
    account,
    region,
    status: "ok",
    records: 0,
    bytes: 0,
    errors: 0,
    durationMs: 0,
  };
  const tag = { collector: collector.id, account, region };
  options.onProgress?.({ type: "start", ...tag });
  const redaction = entry.pseudonymize ? { pseudonymizeKey: plan.pseudonymizeKey } : {};

  const write = async (record: EvidenceRecord): Promise<void> => {
    const entryWritten = await writer.writeRecord(record);
    result.records++;
    result.bytes += entryWritten.size;
    options.onProgress?.({ type: "record", ...tag, key: entryWritten.key, size: entryWritten.size });
  };
  const envelope = (calls: EvidenceCall[], payload: unknown, period?: EvidencePeriod): EvidenceRecord => {
    const record: EvidenceRecord = {
      schema: EVIDENCE_SCHEMA,
      collector: collector.id,
      source: plan.source,
      ...(plan.scenario ? { scenario: plan.scenario.name } : {}),
      account,
      region,
      collectedAt: plan.now().toISOString(),
      runId: writer.runId,
      ...(period ? { period } : {}),
      calls,
      payload,
    };
    return secure(record, redaction);
  };

  let lastEnd: Promise<Date | undefined> | undefined;
  const ctx: CollectContext<unknown> = {
    account,
    region,
    client: <C>(ctor: ClientConstructor<C>) => scope.factory.client(ctor, account, region),
    now: plan.now,
    window: { start: new Date(plan.window.start), end: new Date(plan.window.end) },
    options: entry.options,
    lastPeriodEnd: () => {
      lastEnd ??= scope.vouched().then((vouched) =>
        lastManifestedPeriodEnd(
          options.store,
          vouched,
          { collector: collector.id, account, region },
          {
            source: plan.source,
            scenario: plan.scenario?.name,
          },
        ),
      );
      return lastEnd;
    },
    emit: async ({ payload, calls, period }) => write(envelope(calls, payload, period)),
    progress: (done, total) =>
      options.onProgress?.({ type: "progress", ...tag, done, ...(total === undefined ? {} : { total }) }),
    signal: options.signal ?? new AbortController().signal,
  };

  let failure = scope.failure;
  if (!failure) {
    try {
      await collector.collect(ctx);
    } catch (error) {
      failure = describeError(error);
    }
  }
  if (failure) {
    result.status = "error";
    result.error = failure;
    const calls: EvidenceCall[] = failure.operation
      ? [
          {
            service: collector.service,
            operation: failure.operation,
            ...(failure.requestId ? { requestId: failure.requestId } : {}),
          },
        ]
      : [];
    const record = envelope(calls, { recordsBeforeError: result.records });
    record.error = { ...failure };
    try {
      await write(record);
      result.errors++;
    } catch (error) {
      // The store itself failed: nothing more can be written; the summary still says why.
      const info = describeError(error);
      result.error = {
        code: info.code,
        message: `${failure.message}; writing the error record failed: ${info.message}`,
      };
    }
  }
  result.durationMs = Math.round(performance.now() - started);
  options.onProgress?.({ type: "finish", result });
  return result;
}

/** Redact payload and call parameters before the record is stored or shown. */
function secure(record: EvidenceRecord, options: { pseudonymizeKey?: string }): EvidenceRecord {
  const payload = redact(record.payload, options);
  const calls = record.calls.map((call, i) => {
    if (!call.params) return { value: call, redactions: [] as string[] };
    const params = redact(call.params, options, `calls[${i}].params`);
    return { value: { ...call, params: params.value }, redactions: params.redactions };
  });
  const redactions = [...payload.redactions, ...calls.flatMap((c) => c.redactions)];
  if (payload.pseudonymized > 0) redactions.push("(user names pseudonymized with HMAC-SHA256)");
  const out: EvidenceRecord = { ...record, calls: calls.map((c) => c.value), payload: payload.value };
  if (redactions.length > 0) out.redactions = redactions;
  return out;
}

/**
 * A replayed scenario run is reproducible: its run id follows from the scenario, clock and scope.
 * The id is claimed by writing its run start (create-only), so a re-run or a concurrent replay into
 * the same store takes the next id of that sequence, never a clash.
 */
async function beginReplayRun(
  ledger: Ledger,
  runOptions: Omit<Parameters<Ledger["beginRun"]>[0], "runId">,
  plan: Plan,
): Promise<RunWriter> {
  const startedAt = plan.now().toISOString();
  for (let attempt = 0; attempt < MAX_REPLAY_ATTEMPTS; attempt++) {
    const runId = createHash("sha256")
      .update(
        JSON.stringify([
          plan.scenario?.name,
          startedAt,
          plan.accounts,
          plan.regions,
          plan.collectors.map((c) => c.collector.id),
          attempt,
        ]),
      )
      .digest("hex")
      .slice(0, 16);
    const writer = ledger.beginRun({ ...runOptions, runId });
    try {
      await writer.claim();
      return writer;
    } catch (error) {
      writer.abandon();
      if (!(error instanceof ObjectExistsError)) throw error;
    }
  }
  throw new Error(
    `${MAX_REPLAY_ATTEMPTS} replays of scenario ${plan.scenario?.name} at ${startedAt} are already in this store; use a fresh store or another --now`,
  );
}

const MAX_REPLAY_ATTEMPTS = 1000;

/**
 * describeError (errors.ts) as evidence and logs keep it: AWS messages can quote request values
 * (names, parameters), so secrets are redacted; network failures and timeouts say so, naming the
 * timeout that fired.
 */
export function describeError(error: unknown): ErrorInfo {
  const info = describeErrorInfo(error);
  info.message = redactText(info.message);
  return Object.assign(info, describeNetworkFailure(error));
}

function sum<T>(items: T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
