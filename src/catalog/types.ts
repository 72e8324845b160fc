/**
 * A control catalog as loaded from controls/<framework>.yaml (validated by src/catalog/schema.ts).
 * Requirement ids keep the standard's own numbering; checks name check ids from src/checks.
 */
export interface FrameworkInfo {
  /** e.g. "pci-dss-4.0.1" */
  id: string;
  name: string;
  version: string;
  publisher: string;
  url: string;
}

export interface CheckRef {
  /** snake_case check id, e.g. "cognito_user_pool_mfa_required" */
  id: string;
  /** Per-framework parameters, e.g. { minLength: 12 }. */
  params?: Record<string, unknown>;
  /** A proxy ("supporting, not sufficient"): can fail a requirement, never make it PASS alone. */
  supporting?: boolean;
}

export interface CatalogRequirement {
  /** The standard's numbering, e.g. "8.3.6"; unique within the framework. */
  id: string;
  /** Parent requirement id for hierarchy, e.g. "8.3" for "8.3.6". */
  parent?: string;
  title: string;
  /** What it asks, in our own words (never the standard's text). */
  description: string;
  /** Automated checks; empty or absent means manual. */
  checks?: CheckRef[];
  /** Why it has no automated check, and what evidence a person should attach. */
  manual?: { rationale: string; evidenceHint?: string };
  /** The same intent in other frameworks, as "<framework>:<id>". */
  crosswalk?: string[];
  /** An applicability note that changes what is assessed (our words). */
  applicability?: string;
  /** "Additional requirement for service providers only". */
  serviceProviderOnly?: boolean;
  /** The resource role (src/config/roles.ts) whose resources the checks judge, e.g. "workforce". */
  population?: string;
  /** The standard's testing procedure ids, e.g. ["8.3.6.a", "8.3.6.b"]. */
  testingProcedures?: string[];
}

export interface Catalog {
  framework: FrameworkInfo;
  requirements: CatalogRequirement[];
}
