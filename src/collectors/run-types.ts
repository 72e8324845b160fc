import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { FixtureScenario } from "../aws/fixtures.js";
import type { AuditpackConfig } from "../config/schema.js";
import type { ErrorInfo } from "../errors.js";
import type { CallerIdentity } from "../evidence/ledger-format.js";
import type { EvidenceSource } from "../evidence/record.js";
import type { Signer } from "../signing/types.js";
import type { EvidenceStore } from "../store/types.js";
import type { AnyCollector } from "./registry.js";
import type { RunSource } from "./run-source.js";
import type { CollectWindow, ServiceName } from "./types.js";

/** The shapes `collect` takes and gives (the library API), and the plan it runs. */

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

export interface PlannedCollector {
  collector: AnyCollector;
  /** Its options from the config, validated by its optionsSchema. */
  options: unknown;
  pseudonymize: boolean;
}

/** Accounts, regions, window and clock in scope: what the source decides. */
export interface RunScopePlan {
  accounts: string[];
  regions: string[];
  window: CollectWindow;
  now: () => Date;
}

/** Every input checked before the first AWS call (run-plan.ts), and where the answers come from. */
export interface Plan extends RunScopePlan {
  collectors: PlannedCollector[];
  source: RunSource;
  pseudonymizeKey?: string;
}

/** Who collects in each account, and the accounts whose credentials failed. */
export interface AccountAccess {
  accounts: string[];
  identities: Map<string, CallerIdentity>;
  /** Accounts whose credentials failed: every collector there gets this error record. */
  failures: Map<string, ErrorInfo>;
}
