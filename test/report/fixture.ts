import { createHash } from "node:crypto";
import type { Catalog } from "../../src/catalog/types.js";
import type {
  EvidenceRef,
  Findings,
  ResourceFinding,
  Status,
  StatusInterval,
} from "../../src/evaluate/types.js";

/**
 * A realistic PCI DSS v4.0.1 Findings object for 2026-Q3 (Requirements 8, 10, 11): a password policy
 * that failed for two weeks, a CloudTrail trail stopped for two days, an MFA failure under a waiver,
 * an access-denied ERROR, a NOT_APPLICABLE check and a MANUAL requirement with an attachment.
 */

export const ACCOUNT = "111122223333";
export const START = "2026-07-01T00:00:00Z";
export const END = "2026-10-01T00:00:00Z";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

export function evidence(collector: string, region: string, collectedAt: string): EvidenceRef {
  const hash = sha(`${collector}/${region}/${collectedAt}`);
  const [date] = collectedAt.split("T");
  const [y, m, d] = date!.split("-");
  return {
    key: `evidence/${ACCOUNT}/${region}/${collector}/${y}/${m}/${d}/${collectedAt.replace(/:/g, "-")}_${hash}.json`,
    sha256: hash,
    collectedAt,
    collector,
  };
}

const poolsEu = evidence("cognito_user_pools", "eu-west-1", "2026-07-01T02:00:00Z");
const poolsEuLater = evidence("cognito_user_pools", "eu-west-1", "2026-07-15T09:00:00Z");
const mfaEu = evidence("cognito_mfa_config", "eu-west-1", "2026-07-01T02:00:00Z");
const trailsEu = evidence("cloudtrail_trails", "eu-west-1", "2026-07-01T02:00:00Z");
const activityEu = evidence("cloudtrail_activity", "eu-west-1", "2026-08-05T09:00:00Z");
const recorderEu = evidence("config_recorder", "eu-west-1", "2026-07-01T02:00:00Z");
const recorderUs = evidence("config_recorder", "us-east-1", "2026-07-01T02:00:00Z");
const logGroupsEu = evidence("logs_log_groups", "eu-west-1", "2026-07-01T02:00:00Z");
const logGroupsUs = evidence("logs_log_groups", "us-east-1", "2026-07-01T02:00:00Z");

function interval(
  start: string,
  end: string,
  status: Status,
  reason: string,
  ev: EvidenceRef[],
): StatusInterval {
  return { start, end, status, reason, evidence: ev };
}

function finding(
  resource: string,
  region: string,
  status: Status,
  reason: string,
  intervals: StatusInterval[],
  extra: Partial<ResourceFinding> = {},
): ResourceFinding {
  const evidenceRefs = [...new Map(intervals.flatMap((i) => i.evidence).map((e) => [e.key, e])).values()];
  return { resource, account: ACCOUNT, region, status, reason, evidence: evidenceRefs, intervals, ...extra };
}

const poolA = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_Ab12Cd34E`;
const poolB = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_Zz98Yy76X`;
const trail = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org-trail`;

export function fixtureFindings(overrides: Partial<Findings> = {}): Findings {
  const findings: Findings = {
    schema: "auditpack.findings/v1",
    framework: { id: "pci-dss-4.0.1", name: "PCI DSS", version: "4.0" },
    period: { start: START, end: END, label: "2026-Q3" },
    generatedAt: "2026-10-02T08:00:00Z",
    toolVersion: "0.1.0",
    scope: { accounts: [ACCOUNT], regions: ["eu-west-1", "us-east-1"] },
    provenance: { sources: ["fixture"], scenarios: ["demo"], demonstration: true },
    summary: { PASS: 0, FAIL: 0, MANUAL: 0, NOT_APPLICABLE: 0, ERROR: 0, NOT_COVERED: 0 },
    requirements: [
      {
        id: "8.3.6",
        title: "Passwords meet minimum length and complexity",
        description:
          "Passwords used as an authentication factor are at least 12 characters long and mix letters and digits.",
        status: "FAIL",
        crosswalk: ["soc2-2017:CC6.1"],
        checks: [
          {
            id: "cognito_user_pool_password_policy",
            status: "FAIL",
            parameters: { minLength: 12, requireNumbers: true },
            findings: [
              finding(poolA, "eu-west-1", "PASS", "minimum length 14, digits required", [
                interval(START, END, "PASS", "minimum length 14, digits required", [poolsEu]),
              ]),
              finding(poolB, "eu-west-1", "FAIL", "minimum length 8 is below 12", [
                interval(START, "2026-07-15T09:00:00Z", "FAIL", "minimum length 8 is below 12", [poolsEu]),
                interval("2026-07-15T09:00:00Z", END, "PASS", "minimum length 12, digits required", [
                  poolsEuLater,
                ]),
              ]),
            ],
          },
        ],
      },
      {
        id: "8.4.2",
        title: "MFA for all access into the cardholder data environment",
        description:
          "Every login to systems in the cardholder data environment requires multi-factor authentication.",
        status: "PASS",
        checks: [
          {
            id: "cognito_user_pool_mfa_required",
            status: "PASS",
            findings: [
              finding(poolA, "eu-west-1", "PASS", "MFA ON", [
                interval(START, END, "PASS", "MFA ON", [mfaEu]),
              ]),
              finding(
                poolB,
                "eu-west-1",
                "NOT_APPLICABLE",
                "MFA is OPTIONAL, not ON (waived by W-2026-004)",
                [interval(START, END, "FAIL", "MFA is OPTIONAL, not ON", [mfaEu])],
                {
                  waiver: {
                    id: "W-2026-004",
                    reason: "Legacy partner pool, migrating to the new pool with MFA by 2026-12-31",
                    approver: "ciso@example.com",
                    expires: "2026-12-31",
                    originalStatus: "FAIL",
                  },
                },
              ),
            ],
          },
          { id: "cognito_user_pool_threat_protection", status: "NOT_APPLICABLE", findings: [] },
        ],
      },
      {
        id: "10.2.1",
        title: "Audit logs are enabled and active",
        description: "Audit logs are enabled and active for all system components and cardholder data.",
        status: "FAIL",
        checks: [
          {
            id: "cloudtrail_trail_logging_enabled",
            status: "FAIL",
            findings: [
              finding(
                trail,
                "eu-west-1",
                "FAIL",
                "logging stopped 2026-08-03T10:12:00Z to 2026-08-05T08:30:00Z",
                [
                  interval(START, "2026-08-03T10:12:00Z", "PASS", "trail is logging", [trailsEu]),
                  interval(
                    "2026-08-03T10:12:00Z",
                    "2026-08-05T08:30:00Z",
                    "FAIL",
                    "StopLogging by arn:aws:iam::111122223333:user/ops-admin",
                    [trailsEu, activityEu],
                  ),
                  interval("2026-08-05T08:30:00Z", END, "PASS", "trail is logging", [activityEu]),
                ],
              ),
            ],
          },
          {
            id: "config_recorder_recording",
            status: "PASS",
            findings: [
              finding(
                `arn:aws:config:eu-west-1:${ACCOUNT}:config-recorder/default`,
                "eu-west-1",
                "PASS",
                "recording all resource types",
                [interval(START, END, "PASS", "recording all resource types", [recorderEu])],
              ),
              finding(
                `arn:aws:config:us-east-1:${ACCOUNT}:config-recorder/default`,
                "us-east-1",
                "PASS",
                "recording all resource types",
                [interval(START, END, "PASS", "recording all resource types", [recorderUs])],
              ),
            ],
          },
        ],
      },
      {
        id: "10.5.1",
        title: "Audit log history is retained for at least 12 months",
        description:
          "Audit log history is kept for at least twelve months, with the last three months immediately available.",
        status: "ERROR",
        checks: [
          {
            id: "logs_log_group_retention_min",
            status: "ERROR",
            parameters: { minDays: 365 },
            findings: [
              finding(
                `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/cloudtrail/org-trail`,
                "eu-west-1",
                "PASS",
                "retention 400 days",
                [interval(START, END, "PASS", "retention 400 days", [logGroupsEu])],
              ),
              finding(
                `arn:aws:logs:us-east-1:${ACCOUNT}`,
                "us-east-1",
                "ERROR",
                "AccessDenied: logs:DescribeLogGroups",
                [interval(START, END, "ERROR", "AccessDenied: logs:DescribeLogGroups", [logGroupsUs])],
              ),
            ],
          },
        ],
      },
      {
        id: "11.3.1",
        title: "Internal vulnerability scans every three months",
        description:
          "Internal vulnerability scans run at least once every three months and high-risk findings are resolved.",
        status: "MANUAL",
        manual: {
          rationale: "Vulnerability scanning happens outside the AWS control plane APIs auditpack reads.",
          evidenceHint:
            "Attach the quarter's scan reports and the rescan showing resolved high-risk findings.",
        },
        checks: [],
        attachments: [
          {
            key: "manual/pci-dss-4.0.1/11.3.1/2026-09-12_internal-scan-q3.pdf",
            sha256: sha("internal-scan-q3"),
            fileName: "internal-scan-q3.pdf",
            note: "Q3 internal scan and rescan",
            validFrom: "2026-09-12",
            validTo: "2026-12-12",
            attachedBy: "secops@example.com",
            attachedAt: "2026-09-13T10:00:00Z",
          },
        ],
      },
    ],
    ...overrides,
  };
  if (!overrides.summary) {
    for (const r of findings.requirements) findings.summary[r.status] += 1;
  }
  return findings;
}

export function fixtureCatalog(): Catalog {
  const f = fixtureFindings();
  return {
    framework: {
      id: "pci-dss-4.0.1",
      name: "PCI DSS",
      version: "4.0",
      publisher: "PCI SSC",
      url: "https://www.pcisecuritystandards.org/",
    },
    requirements: f.requirements.map((r) => ({
      id: r.id,
      parent: r.id.split(".").slice(0, -1).join("."),
      title: r.title,
      description: r.description ?? r.title,
      checks: r.checks.map((c) => ({ id: c.id, ...(c.parameters ? { params: c.parameters } : {}) })),
      ...(r.manual ? { manual: r.manual } : {}),
    })),
  };
}

/** Number of finding rows (one per resource, check and interval) the outputs must carry. */
export function countIntervals(findings: Findings): number {
  let n = 0;
  for (const r of findings.requirements)
    for (const c of r.checks) for (const f of c.findings) n += Math.max(1, f.intervals.length);
  return n;
}
