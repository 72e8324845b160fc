/**
 * The findings contract (DESIGN.md section 4): what `evaluate` produces, `findings.json` holds and the
 * report renderers draw. JSON Schema: schemas/findings.schema.json.
 */
export type Status = "PASS" | "FAIL" | "MANUAL" | "NOT_APPLICABLE" | "ERROR";
export const STATUSES: readonly Status[] = ["PASS", "FAIL", "MANUAL", "NOT_APPLICABLE", "ERROR"];

export interface EvidenceRef {
  key: string;
  sha256: string;
  collectedAt?: string;
  collector?: string;
}

/** A stretch of the period during which a resource had one status, to the second (ISO 8601 UTC). */
export interface StatusInterval {
  start: string;
  end: string;
  status: Status;
  reason: string;
  evidence: EvidenceRef[];
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
  /** Worst status over the period (FAIL > ERROR > PASS), after waivers. */
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
}

export interface Findings {
  schema: "auditpack.findings/v1";
  framework: { id: string; name: string; version: string };
  period: { start: string; end: string; label: string };
  generatedAt: string;
  toolVersion: string;
  scope: { accounts: string[]; regions: string[] };
  /** "aws", or "fixture" when any evidence came from a fixture scenario (demonstration data). */
  provenance: { sources: Array<"aws" | "fixture" | "manual">; scenarios?: string[]; demonstration: boolean };
  summary: Record<Status, number>;
  /** What the ledger vouched for: evaluation reads only records a trusted, signed manifest lists. */
  ledger?: LedgerVouching;
  requirements: RequirementResult[];
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
