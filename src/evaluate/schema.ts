import { z } from "zod";
import { FINDINGS_SCHEMA, FINDINGS_SCHEMA_V1, STATUSES } from "./types.js";

/** zod schema of Findings (src/evaluate/types.ts); exported as schemas/findings.schema.json. */
const status = z.enum(STATUSES as unknown as [string, ...string[]]);
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "ISO 8601 UTC");

const evidenceRef = z.object({
  key: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  collectedAt: z.string().optional(),
  collector: z.string().optional(),
});

/** The CloudTrail event that began an interval, with its caller. */
const edgeEvent = z.object({
  name: z.string(),
  at: iso,
  eventId: z.string().optional(),
  principal: z.string().optional(),
  evidence: evidenceRef,
});

const basis = z.object({
  kind: z.enum(["observed", "config-timeline", "inferred-from-activity"]),
  events: z
    .array(
      z.object({ name: z.string(), at: iso, id: z.string().optional(), principal: z.string().optional() }),
    )
    .optional(),
  coverage: z.object({ start: iso, end: iso }).optional(),
  note: z.string().optional(),
});

const interval = z.object({
  start: iso,
  end: iso,
  status,
  reason: z.string(),
  evidence: z.array(evidenceRef),
  startEvent: edgeEvent.optional(),
  basis: basis.optional(),
});

/** The assessment's stated scope (config `assessment`). */
const scopeStatement = z.object({
  entityType: z.enum(["merchant", "service-provider", "unstated"]),
  cde: z.string().optional(),
  accounts: z.array(z.object({ id: z.string(), reason: z.string() })),
  regions: z.array(z.object({ region: z.string(), reason: z.string() })),
  roles: z.array(
    z.object({
      resource: z.string(),
      name: z.string(),
      account: z.string(),
      region: z.string(),
      role: z.string(),
      source: z.string(),
    }),
  ),
  emptyRoleRules: z.array(z.string()),
  notApplicable: z.array(z.string()),
});

/** The finding in the standard's vocabulary beside the automated status. */
const assessment = z.object({
  finding: z.enum(["In Place", "Not Applicable", "Not Tested", "Not in Place"]),
  pendingReview: z.boolean().optional(),
  reason: z.string(),
});

const span = z.object({ start: iso, end: iso });

const coverage = z.object({
  account: z.string(),
  region: z.string(),
  snapshots: z.object({ count: z.number().int().min(0), first: iso.optional(), last: iso.optional() }),
  activity: z.array(span),
  configTimeline: z.object({ spans: z.array(span), resourceTypes: z.array(z.string()) }),
  failedRecords: z.number().int().min(0),
  summary: z.string(),
});

const resourceFinding = z.object({
  resource: z.string(),
  name: z.string().optional(),
  account: z.string(),
  region: z.string(),
  status,
  reason: z.string(),
  evidence: z.array(evidenceRef),
  intervals: z.array(interval),
  waiver: z
    .object({
      id: z.string(),
      reason: z.string(),
      approver: z.string(),
      expires: z.string(),
      originalStatus: status,
    })
    .optional(),
});

const attachment = z.object({
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  fileName: z.string(),
  note: z.string().optional(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
  attachedBy: z.string(),
  attachedAt: z.string(),
});

const signatory = z.object({
  statement: z.string(),
  name: z.string().optional(),
  role: z.string().optional(),
  organisation: z.string().optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const packageAttestation = z.object({
  management: signatory,
  assessor: signatory,
  signingCertificate: z
    .object({
      subject: z.string(),
      issuer: z.string(),
      serialNumber: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
      sha256Fingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      selfSigned: z.boolean(),
    })
    .optional(),
});

export const FindingsSchema = z.object({
  schema: z.enum([FINDINGS_SCHEMA, FINDINGS_SCHEMA_V1]),
  framework: z.object({ id: z.string(), name: z.string(), version: z.string() }),
  period: z.object({ start: iso, end: iso, label: z.string() }),
  generatedAt: z.string(),
  toolVersion: z.string(),
  scope: z.object({
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    assessment: scopeStatement.optional(),
  }),
  provenance: z.object({
    sources: z.array(z.enum(["aws", "fixture", "manual"])),
    scenarios: z.array(z.string()).optional(),
    demonstration: z.boolean(),
  }),
  summary: z.record(status, z.number().int().min(0)),
  coverage: z.array(coverage).optional(),
  ledger: z
    .object({
      verified: z.boolean(),
      trust: z.enum(["pinned", "published"]),
      trustedKeys: z.array(z.string()),
      records: z.number().int().min(0),
      warning: z.string().optional(),
      ignored: z.array(z.object({ key: z.string(), reason: z.string() })),
      unverifiedAllowed: z.literal(true).optional(),
    })
    .optional(),
  requirements: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string().optional(),
      status,
      reason: z.string().optional(),
      manual: z.object({ rationale: z.string(), evidenceHint: z.string().optional() }).optional(),
      checks: z.array(
        z.object({
          id: z.string(),
          status,
          parameters: z.record(z.string(), z.unknown()).optional(),
          supporting: z.boolean().optional(),
          population: z.string().optional(),
          findings: z.array(resourceFinding),
        }),
      ),
      attachments: z.array(attachment).optional(),
      crosswalk: z.array(z.string()).optional(),
      assessment: assessment.optional(),
      testingProcedures: z.array(z.string()).optional(),
      serviceProviderOnly: z.boolean().optional(),
      population: z.string().optional(),
      applicability: z.string().optional(),
    }),
  ),
  evidence: z
    .array(
      z.object({
        key: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        collector: z.string(),
        account: z.string(),
        region: z.string(),
        collectedAt: iso,
      }),
    )
    .optional(),
  attestation: packageAttestation.optional(),
});

export function findingsJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/auditpack/auditpack/schemas/findings.schema.json",
    title: `auditpack findings (${FINDINGS_SCHEMA}; ${FINDINGS_SCHEMA_V1} is still read)`,
    ...(z.toJSONSchema(FindingsSchema, { target: "draft-2020-12" }) as Record<string, unknown>),
  };
}
