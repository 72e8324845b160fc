import { z } from "zod";
import { MANIFEST_SCHEMA, type RunManifest, SEAL_SCHEMA, type Seal } from "./ledger-format.js";

/**
 * The shapes the verifier relies on before it reads a seal or manifest (ledger-format.ts has the
 * full layouts). Loose: members the verifier does not read are not checked, so an object from a
 * newer auditpack with more members still verifies. Each member has one message: the first
 * failing member, in this order, names the fault.
 */

const integer = z.number().refine(Number.isInteger);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const ObjectRefSchema = z.object({ key: z.string(), sha256: hex64 });

/** A loose object schema from [schema, message] members; shapeError names the first that fails. */
function shape(members: Record<string, [z.ZodType, string]>) {
  const entries = Object.entries(members);
  return {
    schema: z.object(Object.fromEntries(entries.map(([name, [schema]]) => [name, schema]))),
    messages: new Map(entries.map(([name, [, message]]) => [name, message])),
  };
}

const SEAL_SHAPE = shape({
  schema: [z.literal(SEAL_SCHEMA), `schema is not ${SEAL_SCHEMA}`],
  seq: [integer, "seq is not an integer"],
  sealedAt: [z.string(), "sealedAt is missing"],
  previous: [ObjectRefSchema.nullable(), "previous is malformed"],
  manifests: [z.array(ObjectRefSchema), "manifests is malformed (each needs a key and a hex SHA-256)"],
  merkleRoot: [hex64, "merkleRoot is not a hex SHA-256"],
});

const MANIFEST_SHAPE = shape({
  schema: [z.literal(MANIFEST_SCHEMA), `schema is not ${MANIFEST_SCHEMA}`],
  runId: [z.string(), "runId or part is missing"],
  part: [integer, "runId or part is missing"],
  finishedAt: [z.string(), "finishedAt is missing"],
  previousSeal: [ObjectRefSchema.nullish(), "previousSeal is malformed"],
  records: [z.array(ObjectRefSchema.extend({ size: integer })), "records is malformed"],
});

/** Why a parsed seal cannot be read as one, or undefined. */
export function sealShapeError(seal: Seal): string | undefined {
  return shapeError(SEAL_SHAPE, seal);
}

/** Why a parsed manifest cannot be read as one, or undefined. */
export function manifestShapeError(manifest: RunManifest): string | undefined {
  return shapeError(MANIFEST_SHAPE, manifest);
}

function shapeError({ schema, messages }: ReturnType<typeof shape>, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  // Issues come in member order; one at the root (not an object) fails the first member.
  const member = result.error.issues[0]?.path[0];
  return messages.get(String(member)) ?? messages.values().next().value;
}
