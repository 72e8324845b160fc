import { createHash } from "node:crypto";
import path from "node:path";
import type { HttpHandler } from "@smithy/protocol-http";
import { ClientFactory, DEFAULT_STS_REGION } from "../aws/clients.js";
import { describeAccessFailure, failureHint } from "../aws/errors.js";
import { type FixtureScenario, loadScenario } from "../aws/fixtures.js";
import { discoverAccounts } from "../aws/organization.js";
import type { RateLimiter } from "../aws/rate-limit.js";
import { FixtureRecorder } from "../aws/recorder.js";
import { type DefaultRegion, defaultRegion } from "../aws/region.js";
import { ReplayHandler } from "../aws/replay.js";
import { CALLER_IDENTITY } from "../aws/services.js";
import { type ErrorInfo, ObjectExistsError, UsageError } from "../errors.js";
import type { Ledger, RunWriter } from "../evidence/ledger.js";
import type { CallerIdentity } from "../evidence/ledger-format.js";
import { type EvidenceSource, GLOBAL_REGION } from "../evidence/record.js";
import { describeError } from "./run-errors.js";
import { checkWindow, defaultSince, subset } from "./run-plan.js";
import type { AccountAccess, CollectOptions, Plan, RunScopePlan } from "./run-types.js";

/** What a run start holds besides its id (Ledger.beginRun). */
export type RunStartOptions = Omit<Parameters<Ledger["beginRun"]>[0], "runId">;

/**
 * Where a run's answers come from: AWS (live) or a recorded fixture scenario (replay). Chosen once,
 * by `chooseSource`; everything that differs between the two is here, so the runner never asks
 * which one it has.
 */
export interface RunSource {
  /** The records' `source` and `scenario` members (also the run scope's and incremental positions'). */
  readonly label: { source: EvidenceSource; scenario?: string };
  /** Accounts, regions, window and clock, from the options and what the source offers. */
  scope(options: CollectOptions): RunScopePlan;
  /** The --record-fixtures recorder, if the options ask for one. */
  recorder(options: CollectOptions): FixtureRecorder | undefined;
  /** SDK clients for the plan's accounts (a live run first finds the organisation's accounts). */
  clients(
    options: CollectOptions,
    plan: Plan,
    limiter: RateLimiter,
    recorder: FixtureRecorder | undefined,
  ): Promise<ClientFactory>;
  /** Who collects in each account (GetCallerIdentity, for the manifest), and which accounts failed. */
  access(options: CollectOptions, plan: Plan, factory: ClientFactory): Promise<AccountAccess>;
  /** Start the run in the ledger. */
  beginRun(ledger: Ledger, runOptions: RunStartOptions, plan: Plan): Promise<RunWriter>;
}

/** The source the options name: a fixture scenario (--fixtures) or AWS. */
export async function chooseSource(options: CollectOptions): Promise<RunSource> {
  if (options.fixtures) {
    const scenario =
      typeof options.fixtures === "string"
        ? loadScenario(options.fixtures, options.fixturesRoot)
        : options.fixtures;
    return new FixtureSource(scenario);
  }
  const needsRegion = !options.regions?.length && !options.config.scope.regions.length;
  return new LiveSource(needsRegion ? await defaultRegion(baseProfile(options)) : undefined);
}

/** --record-fixtures saves what a live run saw: a replay has nothing to record. */
export function checkRecordFixtures(fixtures: unknown, recordFixtures: string | undefined): void {
  if (fixtures && recordFixtures)
    throw new UsageError("--record-fixtures records a live run; it cannot be combined with --fixtures");
}

class LiveSource implements RunSource {
  readonly label = { source: "aws" as const };

  /** `fallbackRegion`: the region of the environment or profile, for a config that names none. */
  constructor(private readonly fallbackRegion: DefaultRegion | undefined) {}

  scope(options: CollectOptions): RunScopePlan {
    const { config } = options;
    const now = options.now ?? (() => new Date());
    const regions = [...(options.regions ?? config.scope.regions)];
    if (regions.length === 0) {
      if (!this.fallbackRegion) {
        throw new UsageError("no regions to collect", {
          hint: "list them in scope.regions in the config, pass --regions eu-west-1,us-east-1, set AWS_REGION, or set region in your AWS profile",
        });
      }
      regions.push(this.fallbackRegion.region);
    }
    const end = now();
    const window = { start: options.since ?? defaultSince(end), end };
    checkWindow(window);
    return {
      accounts: [...(options.accounts ?? config.scope.accounts.map((a) => a.id))],
      regions,
      window,
      now,
    };
  }

  recorder(options: CollectOptions): FixtureRecorder | undefined {
    if (!options.recordFixtures) return undefined;
    const recorder = new FixtureRecorder(path.resolve(options.recordFixtures));
    FixtureRecorder.check(recorder.dir);
    return recorder;
  }

  async clients(
    options: CollectOptions,
    plan: Plan,
    limiter: RateLimiter,
    recorder: FixtureRecorder | undefined,
  ): Promise<ClientFactory> {
    const { config } = options;
    // scope.organization: the organisation's ACTIVE accounts (explicit --accounts still win).
    let accountConfigs = config.scope.accounts;
    if (options.accounts === undefined && config.scope.organization) {
      accountConfigs = await discoverAccounts(config, {
        credentials: options.credentials,
        profile: options.profile,
        memberRoleName: config.scope.organizationRole,
        signal: options.signal,
      });
      plan.accounts = accountConfigs.map((a) => a.id);
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

  /**
   * The caller's own account when none is configured. Credentials that belong to another account
   * than the one named are a failure for that account: records must never be filed under the
   * wrong account.
   */
  async access(options: CollectOptions, plan: Plan, factory: ClientFactory): Promise<AccountAccess> {
    const identities = new Map<string, CallerIdentity>();
    const failures = new Map<string, ErrorInfo>();
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
              operation: CALLER_IDENTITY.operation,
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
            operation: CALLER_IDENTITY.operation,
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

  async beginRun(ledger: Ledger, runOptions: RunStartOptions): Promise<RunWriter> {
    return ledger.beginRun(runOptions);
  }
}

class FixtureSource implements RunSource {
  readonly label: { source: EvidenceSource; scenario: string };

  constructor(private readonly scenario: FixtureScenario) {
    this.label = { source: "fixture", scenario: scenario.name };
  }

  scope(options: CollectOptions): RunScopePlan {
    const { scenario } = this;
    const accounts = subset("--accounts", options.accounts, scenario.accounts, `scenario ${scenario.name}`);
    const regions = subset("--regions", options.regions, scenario.regions, `scenario ${scenario.name}`);
    // A run at an earlier clock (a scheduled run the scenario recorded) sees the window up to then.
    const now = options.now ?? (() => new Date(scenario.clock));
    const end = new Date(Math.min(scenario.window.end.getTime(), now().getTime()));
    const window = { start: options.since ?? scenario.window.start, end };
    checkWindow(window);
    return { accounts, regions, window, now };
  }

  recorder(options: CollectOptions): undefined {
    if (options.recordFixtures) checkRecordFixtures(this.scenario, path.resolve(options.recordFixtures));
    return undefined;
  }

  async clients(options: CollectOptions, plan: Plan, limiter: RateLimiter): Promise<ClientFactory> {
    const { scenario } = this;
    return new ClientFactory({
      maxAttempts: options.config.aws.maxAttempts,
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

  /** The scenario's recorded identity where it has one, else a placeholder role in the account. */
  async access(options: CollectOptions, plan: Plan, factory: ClientFactory): Promise<AccountAccess> {
    const identities = new Map<string, CallerIdentity>();
    for (const account of plan.accounts) {
      const answers = this.scenario.serviceFixture(account, GLOBAL_REGION, CALLER_IDENTITY.service);
      const hasSts = (answers[CALLER_IDENTITY.operation] ?? []).length > 0;
      identities.set(
        account,
        hasSts
          ? await factory.callerIdentity(account, options.signal)
          : { account, arn: `arn:aws:iam::${account}:role/auditpack-fixture` },
      );
    }
    return { accounts: plan.accounts, identities, failures: new Map() };
  }

  /**
   * A replayed scenario run is reproducible: its run id follows from the scenario, clock and scope.
   * The id is claimed by writing its run start (create-only), so a re-run or a concurrent replay into
   * the same store takes the next id of that sequence, never a clash.
   */
  async beginRun(ledger: Ledger, runOptions: RunStartOptions, plan: Plan): Promise<RunWriter> {
    const startedAt = plan.now().toISOString();
    for (let attempt = 0; attempt < MAX_REPLAY_ATTEMPTS; attempt++) {
      const runId = createHash("sha256")
        .update(
          JSON.stringify([
            this.scenario.name,
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
    throw new UsageError(
      `${MAX_REPLAY_ATTEMPTS} replays of scenario ${this.scenario.name} at ${startedAt} are already in this store`,
      { hint: "replay into a fresh store (--store <new dir>)" },
    );
  }
}

const MAX_REPLAY_ATTEMPTS = 1000;

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
