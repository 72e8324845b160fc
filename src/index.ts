/**
 * auditpack's library API: everything the CLI does, callable from code (schedulers, Lambda, tests).
 *
 *   import { loadConfig, openStore, openSigner, collect, evaluate, loadCatalog, parsePeriod } from "auditpack";
 */

// AWS: the service table, clients, organisation discovery, fixture replay
export { ClientFactory } from "./aws/clients.js";
export { discoverAccounts } from "./aws/organization.js";
export { ReplayHandler, type ServiceFixture } from "./aws/replay.js";
export { SERVICE_NAMES, SERVICES, type ServiceName } from "./aws/services.js";
// Control catalogs and checks
export {
  FRAMEWORK_ALIASES,
  listFrameworks,
  loadCatalog,
  resolveControlId,
  selectRequirements,
} from "./catalog/load.js";
export type { Catalog, CatalogRequirement } from "./catalog/types.js";
export { checks, getCheck } from "./checks/registry.js";
// Collection: collector declarations, the registry, runs
export { defineCollector } from "./collectors/define.js";
export { collectorIds, collectors, getCollector, iamPolicy } from "./collectors/registry.js";
export {
  type ReplayScenarioOptions,
  replayScenario,
  type ScenarioReplaySummary,
  scheduledClocks,
} from "./collectors/replay-scenario.js";
export { type CollectOptions, type CollectSummary, collect } from "./collectors/run.js";
export type { Cadence, CollectContext, Collector, CollectorDeclaration } from "./collectors/types.js";
// Configuration
export { type AssessmentConfig, AssessmentSchema } from "./config/assessment.js";
export { DEFAULT_CONFIG_FILE, type LoadedConfig, loadConfig, parseConfig } from "./config/load.js";
export { type AuditpackConfig, ConfigSchema, type SigningConfig, type StoreConfig } from "./config/schema.js";
// Errors (each carries the CLI exit code)
export {
  AuditpackError,
  ExitCode,
  ObjectExistsError,
  ObjectNotFoundError,
  StoreError,
  UsageError,
  VerificationError,
} from "./errors.js";
// Evaluation: findings over a period, attachments, waivers
export { type Assessment, type AssessmentFinding, assessAll } from "./evaluate/assessment.js";
export { attachFile } from "./evaluate/attach.js";
export {
  type EvaluateOptions,
  type EvaluationPlan,
  evaluate,
  evaluateBatch,
  evaluateStreaming,
  materialize,
  mergePartials,
  mergeStreaming,
  planEvaluation,
  planRelatedAccounts,
  type StreamedFindings,
} from "./evaluate/evaluate.js";
export { Lazy } from "./evaluate/lazy.js";
export { type MergeOptions, mergeFromPartials, mergeFromPartialsStreaming } from "./evaluate/merge.js";
export {
  type EvaluationHeader,
  type FindingsPartial,
  orderPartials,
  PARTIAL_SCHEMA,
  partialsPrefix,
  readPartial,
  readPartials,
  writePartial,
} from "./evaluate/partial.js";
export { type Period, parsePeriod, rangePeriod } from "./evaluate/period.js";
export { inPopulation, roleOf } from "./evaluate/population.js";
export { pullControl } from "./evaluate/pull.js";
export { type RollupNode, rollUp } from "./evaluate/rollup.js";
export {
  describeScope,
  type ResolvedScope,
  type ResolveScopeOptions,
  resolveScope,
  type ScopeSource,
} from "./evaluate/scope.js";
export type * from "./evaluate/types.js";
export { loadWaivers } from "./evaluate/waivers.js";
// Evidence records, ledger and verification
export { canonicalBytes, canonicalJson, sha256Hex } from "./evidence/canonical.js";
export { Ledger } from "./evidence/ledger.js";
export { merkleRoot } from "./evidence/merkle.js";
export {
  decodeRecord,
  EVIDENCE_SCHEMA,
  type EvidenceCall,
  type EvidenceRecord,
  type EvidenceSource,
  encodeRecord,
  evidenceKey,
  parseEvidenceKey,
} from "./evidence/record.js";
export { redact } from "./evidence/redact.js";
export {
  type LedgerProblem,
  type VerifyLedgerOptions,
  type VerifySummary,
  verifyLedger,
} from "./evidence/verify-ledger.js";
// Report views over findings
export { writeFindingsJson } from "./report/csv.js";
export { type Incident, incidentsOf, type Problem, problemsOf } from "./report/incidents.js";
export {
  type BuildReportOptions,
  type BuiltReport,
  buildReport,
  REPORT_FORMATS,
  type ReportFormat,
} from "./report/package.js";
// Continuous collection
export { Scheduler } from "./schedule/scheduler.js";
// Signers
export { Ed25519Signer, generateEd25519KeyFiles } from "./signing/ed25519.js";
export { KmsSigner } from "./signing/kms.js";
export { openSigner } from "./signing/open.js";
export type { Signature, Signer } from "./signing/types.js";
export { keyIdOf, verifySignature } from "./signing/verify.js";
// Resource states (what checks read) and the snapshot adapter collectors declare
export type { LoadedRecord, StateAdapter } from "./state/adapter.js";
export { snapshotAdapter } from "./state/snapshots.js";
export type * from "./state/types.js";
// Stores
export { FsStore } from "./store/fs.js";
export { openStore } from "./store/open.js";
export { S3Store } from "./store/s3.js";
export type { EvidenceStore, ObjectInfo, PutOptions, PutResult } from "./store/types.js";
