import { z } from "zod";
import { STATUSES } from "./types.js";

/** zod schema of Findings (src/evaluate/types.ts); exported as schemas/findings.schema.json. */
const status = z.enum(STATUSES as unknown as [string, ...string[]]);
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "ISO 8601 UTC");

const evidenceRef = z.object({
  key: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  collectedAt: z.string().optional(),
  collector: z.string().optional(),
});

const interval = z.object({
  start: iso,
  end: iso,
  status,
  reason: z.string(),
  evidence: z.array(evidenceRef),
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

export const FindingsSchema = z.object({
  schema: z.literal("auditpack.findings/v1"),
  framework: z.object({ id: z.string(), name: z.string(), version: z.string() }),
  period: z.object({ start: iso, end: iso, label: z.string() }),
  generatedAt: z.string(),
  toolVersion: z.string(),
  scope: z.object({ accounts: z.array(z.string()), regions: z.array(z.string()) }),
  provenance: z.object({
    sources: z.array(z.enum(["aws", "fixture", "manual"])),
    scenarios: z.array(z.string()).optional(),
    demonstration: z.boolean(),
  }),
  summary: z.record(status, z.number().int().min(0)),
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
          findings: z.array(resourceFinding),
        }),
      ),
      attachments: z.array(attachment).optional(),
      crosswalk: z.array(z.string()).optional(),
    }),
  ),
});

export function findingsJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/auditpack/auditpack/schemas/findings.schema.json",
    title: "auditpack findings (auditpack.findings/v1)",
    ...(z.toJSONSchema(FindingsSchema, { target: "draft-2020-12" }) as Record<string, unknown>),
  };
}
