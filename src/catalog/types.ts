/**
 * A control catalog as loaded from controls/<framework>.yaml (validated by src/catalog/schema.ts).
 * Requirement ids keep the standard's own numbering; checks name check ids from src/checks.
 */
export interface FrameworkInfo {
  /** e.g. "pci-dss-4.0" */
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
}

export interface Catalog {
  framework: FrameworkInfo;
  requirements: CatalogRequirement[];
}
