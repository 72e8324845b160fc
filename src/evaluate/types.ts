import type { EvidenceRef } from "../evidence/ref.js";
import type { CertificateInfo } from "../signing/certificate.js";

export type { Basis, BasisEvent } from "../evidence/basis.js";
export type { EvidenceRef };

import type { Basis } from "../evidence/basis.js";

/**
 * The findings contract (DESIGN.md section 4): what `evaluate` produces, `findings.json` holds and the
 * report renderers draw. JSON Schema: schemas/findings.schema.json.
 */
export type Status = "PASS" | "FAIL" | "MANUAL" | "NOT_APPLICABLE" | "ERROR" | "NOT_COVERED";
export const STATUSES: readonly Status[] = [
  "PASS",
  "FAIL",
  "MANUAL",
  "NOT_APPLICABLE",
  "ERROR",
  "NOT_COVERED",
];

/** A CloudTrail event that began an interval, with who made the call (evaluate/edge-events.ts). */
export interface EdgeEvent {
  name: string;
  /** The event's second (ISO 8601 UTC). */
  at: string;
  eventId?: string;
  /** The caller: user name, or the identity's ARN. */
  principal?: string;
  /** The CloudTrail activity record that holds the event. */
  evidence: EvidenceRef;
}

/** A stretch of the period during which a resource had one status, to the second (ISO 8601 UTC). */
export interface StatusInterval {
  start: string;
  end: string;
  status: Status;
  reason: string;
  evidence: EvidenceRef[];
  /** The CloudTrail event that began this interval, when the evidence holds it. */
  startEvent?: EdgeEvent;
  /** How the interval is known; absent for NOT_COVERED and ERROR stretches (no evidence stands for them). */
  basis?: Basis;
}

export interface Waiver {
  id: string;
  /** "<framework>:<requirement>" or a check id. */
  target: string;
  /** Glob over resource identifiers (ARN or id). */
  resource: string;
  reason: string;
  approver: string;
  expires: string;
}

export interface ResourceFinding {
  resource: string;
  /** Human name, e.g. "user pool payments-customers (eu-west-1_AbC)" (added compatibly; optional). */
  name?: string;
  account: string;
  region: string;
  /** Worst status over the period (FAIL > ERROR > NOT_COVERED > PASS), after waivers. */
  status: Status;
  reason: string;
  evidence: EvidenceRef[];
  /** How the resource behaved across the period; one interval for a point-in-time evaluation. */
  intervals: StatusInterval[];
  /** Set when a waiver covers this finding: the finding is kept and shown as waived, never dropped. */
  waiver?: Pick<Waiver, "id" | "reason" | "approver" | "expires"> & { originalStatus: Status };
}

export interface CheckResult {
  id: string;
  status: Status;
  parameters?: Record<string, unknown>;
  /** A proxy, "supporting, not sufficient": it never makes the requirement PASS alone. */
  supporting?: boolean;
  /** The resource role this check's resources were selected by, e.g. "workforce". */
  population?: string;
  findings: ResourceFinding[];
}

export interface Attachment {
  key: string;
  sha256: string;
  fileName: string;
  note?: string;
  validFrom?: string;
  validTo?: string;
  attachedBy: string;
  attachedAt: string;
}

export interface RequirementResult {
  /** The standard's own numbering, e.g. "8.3.6". */
  id: string;
  title: string;
  description?: string;
  status: Status;
  /** One line on the status (added compatibly; optional), e.g. why it is MANUAL and what is attached. */
  reason?: string;
  /** Why a requirement is MANUAL, and what a person should attach. */
  manual?: { rationale: string; evidenceHint?: string };
  checks: CheckResult[];
  attachments?: Attachment[];
  /** Same requirement in other frameworks, e.g. ["soc2-2017:CC6.1"]. */
  crosswalk?: string[];
  /** The finding in the standard's vocabulary beside the automated status (evaluate/assessment.ts). */
  assessment?: {
    finding: "In Place" | "Not Applicable" | "Not Tested" | "Not in Place";
    pendingReview?: boolean;
    reason: string;
  };
  /** The standard's testing procedure ids, e.g. ["8.3.6.a", "8.3.6.b"]. */
  testingProcedures?: string[];
  serviceProviderOnly?: boolean;
  /** The resource role the checks selected, e.g. "workforce". */
  population?: string;
  /** An applicability note that changes what is assessed. */
  applicability?: string;
}

/** The assessment's scope as stated in the config (`assessment`), with the roles found. */
export interface ScopeStatement {
  entityType: "merchant" | "service-provider" | "unstated";
  /** The cardholder data environment, as the config states it. */
  cde?: string;
  accounts: Array<{ id: string; reason: string }>;
  regions: Array<{ region: string; reason: string }>;
  /** Every resource that has a role, with the rule that gave it ("default" when none matched). */
  roles: Array<{
    resource: string;
    name: string;
    account: string;
    region: string;
    role: string;
    source: string;
  }>;
  /** Role rules that matched nothing: a stated empty population, not an error. */
  emptyRoleRules: string[];
  /** Requirements the entity type takes out of scope (service providers only, for a merchant). */
  notApplicable: string[];
}

/** From when each kind of evidence covers the period in one account and region (findings.coverage). */
export interface CoverageEntry {
  account: string;
  region: string;
  /** Snapshot records read (the newest before the period and those in it). */
  snapshots: { count: number; first?: string; last?: string };
  /** Stretches CloudTrail activity (LookupEvents) covers completely, within the period. */
  activity: Array<{ start: string; end: string }>;
  /** Stretches AWS Config timelines cover, and for which resource types. */
  configTimeline: { spans: Array<{ start: string; end: string }>; resourceTypes: string[] };
  /** Records that hold a collection error (AccessDenied, throttling, a failed page). */
  failedRecords: number;
  /** One sentence: what covers the period from when, and why it stops there. */
  summary: string;
}

/** Every record an evaluation read, once (findings v2): what intervals cite by key, and the rest. */
export interface EvidenceTableEntry {
  key: string;
  sha256: string;
  collector: string;
  account: string;
  region: string;
  collectedAt: string;
}

export const FINDINGS_SCHEMA = "auditpack.findings/v2";
/** The schema before the evidence table: still read (report --findings), never written. */
export const FINDINGS_SCHEMA_V1 = "auditpack.findings/v1";

export interface Findings {
  /**
   * v2: intervals cite only the evidence that starts, ends or supports them; every record read is in
   * `evidence`, where the snapshots inside a stretch are found by account, region, collector and time.
   */
  schema: typeof FINDINGS_SCHEMA | typeof FINDINGS_SCHEMA_V1;
  framework: { id: string; name: string; version: string };
  period: { start: string; end: string; label: string };
  generatedAt: string;
  toolVersion: string;
  scope: { accounts: string[]; regions: string[]; assessment?: ScopeStatement };
  /** "aws", or "fixture" when any evidence came from a fixture scenario (demonstration data). */
  provenance: { sources: Array<"aws" | "fixture" | "manual">; scenarios?: string[]; demonstration: boolean };
  summary: Record<Status, number>;
  /** What the evidence could prove, per account and region (added compatibly; optional). */
  coverage?: CoverageEntry[];
  /** What the ledger vouched for: evaluation reads only records a trusted, signed manifest lists. */
  ledger?: LedgerVouching;
  requirements: RequirementResult[];
  /** Every record read, sorted by key (v2; absent in v1 findings). */
  evidence?: EvidenceTableEntry[];
  /** Who attests the package and which certificate signs its PDFs: added by the report builder. */
  attestation?: PackageAttestation;
}

/** A check's result whose findings are only iterated: an array, or a list read again on each pass. */
export type CheckView = Omit<CheckResult, "findings"> & { findings: Iterable<ResourceFinding> };

/**
 * Findings as the report reads them: each check's findings and the evidence table are only
 * iterated, never indexed or counted, so they can be read again from an evaluation's spill on every
 * pass instead of being held (issue 11). Findings (arrays) and StreamedFindings (Lazy lists) are both.
 */
export type FindingsView = Omit<Findings, "requirements" | "evidence"> & {
  requirements: Array<Omit<RequirementResult, "checks"> & { checks: CheckView[] }>;
  evidence?: Iterable<EvidenceTableEntry>;
};

/** One signatory of the package (config `attestation`); fields not given are left to fill by hand. */
export interface AttestationSignatory {
  /** The statement they sign, placeholders filled; paragraphs separated by a blank line. */
  statement: string;
  name?: string;
  role?: string;
  organisation?: string;
  /** YYYY-MM-DD, once they sign. */
  date?: string;
}

/** findings.json `attestation` (src/report/attestation.ts). */
export interface PackageAttestation {
  management: AttestationSignatory;
  assessor: AttestationSignatory;
  /** The X.509 certificate of the PDFs' embedded signatures; absent when the package is unsigned. */
  signingCertificate?: Omit<CertificateInfo, "chain">;
}

export interface LedgerVouching {
  /** True when no record in the evaluated range had to be ignored. */
  verified: boolean;
  /** "pinned": configured / pinned keys; "published": the store's own keys (no key was pinned). */
  trust: "pinned" | "published";
  /** keyIds whose manifests count. */
  trustedKeys: string[];
  /** Records read (all vouched for), including those recovered from interrupted runs. */
  records: number;
  /** "N records not vouched for by the ledger were ignored", when any were. */
  warning?: string;
  ignored: Array<{ key: string; reason: string }>;
  /** Set when a report was built from evidence that does not verify (report --allow-unverified). */
  unverifiedAllowed?: true;
}
