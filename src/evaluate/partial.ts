import { createHash } from "node:crypto";
import { z } from "zod";
import { UsageError, VerificationError } from "../errors.js";
import { canonicalBytes } from "../evidence/canonical.js";
import type { IgnoredRecord } from "../evidence/vouched.js";
import type { EvidenceStore } from "../store/types.js";
import type { RoleSighting } from "./assessment-scope.js";
import type { CoverageEntry, EvidenceTableEntry, ResourceFinding } from "./types.js";

export const PARTIAL_SCHEMA = "auditpack.findings-partial/v1";

/** What one evaluation is: every partial of it names the same, so partials of two runs never mix. */
export interface EvaluationHeader {
  /** sha256 of the rest of this header (16 hex digits). */
  id: string;
  framework: string;
  /** The requirement ids asked for ("8", "10"); empty for all. */
  requirements: string[];
  period: { start: string; end: string; label: string; pointInTime: boolean };
  scope: { accounts: string[]; regions: string[] };
  /** The evaluation's clock: a period still running is evaluated up to it. */
  now: string;
  toolVersion: string;
}

/**
 * One batch of accounts evaluated (issue 11): the findings of every check over these accounts, and
 * what the merge needs from their evidence. The single-machine path makes one per batch in memory;
 * the AWS path writes one per account to the evidence bucket and merges them in one task.
 */
export interface FindingsPartial {
  schema: typeof PARTIAL_SCHEMA;
  evaluation: EvaluationHeader;
  accounts: string[];
  /** By check key (check id, parameters, population): each check once, however many requirements use it. */
  checks: Record<string, ResourceFinding[]>;
  coverage: CoverageEntry[];
  sightings: RoleSighting[];
  evidence: EvidenceTableEntry[];
  sources: string[];
  scenarios: string[];
  ignored: IgnoredRecord[];
}

export function evaluationId(header: Omit<EvaluationHeader, "id">): string {
  return createHash("sha256").update(canonicalBytes(header)).digest("hex").slice(0, 16);
}

const headerSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  framework: z.string().min(1),
  requirements: z.array(z.string()),
  period: z.object({ start: z.string(), end: z.string(), label: z.string(), pointInTime: z.boolean() }),
  scope: z.object({ accounts: z.array(z.string()), regions: z.array(z.string()) }),
  now: z.string(),
  toolVersion: z.string(),
});

/** The frame of a partial; findings inside it are the evaluator's own shapes, hashed as a whole. */
const partialSchema = z.object({
  schema: z.literal(PARTIAL_SCHEMA),
  evaluation: headerSchema,
  accounts: z.array(z.string()).min(1),
  checks: z.record(z.string(), z.array(z.object({ resource: z.string() }).passthrough())),
  coverage: z.array(z.unknown()),
  sightings: z.array(z.unknown()),
  evidence: z.array(z.object({ key: z.string(), sha256: z.string() }).passthrough()),
  sources: z.array(z.string()),
  scenarios: z.array(z.string()),
  ignored: z.array(z.object({ key: z.string(), reason: z.string() })),
});

/** Where an evaluation's partials live in a store: evaluations/<id>/partials/. */
export const partialsPrefix = (id: string) => `evaluations/${id}/partials/`;

const PARTIAL_KEY = /(?:^|\/)([^/]+)_([0-9a-f]{64})\.json$/;

/**
 * Write a partial create-only under its evaluation's prefix, named by its first account and the
 * SHA-256 of its bytes (a changed partial no longer matches its name).
 */
export async function writePartial(
  store: EvidenceStore,
  partial: FindingsPartial,
): Promise<{ key: string; sha256: string }> {
  const bytes = canonicalBytes(partial);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const key = `${partialsPrefix(partial.evaluation.id)}${partial.accounts[0]}_${sha256}.json`;
  await store.put(key, bytes, { sha256, contentType: "application/json" });
  return { key, sha256 };
}

/**
 * Every partial under a prefix, each checked against the hash its name carries and against the
 * partial format. `where` names the prefix in errors. An empty prefix is bad input (exit 2); an
 * altered or malformed partial is a verification failure (exit 1) naming its key.
 */
export async function readPartials(
  store: EvidenceStore,
  prefix: string,
  where: string,
): Promise<Array<{ key: string; partial: FindingsPartial }>> {
  const out: Array<{ key: string; partial: FindingsPartial }> = [];
  for await (const found of eachPartial(store, prefix)) out.push(found);
  if (out.length === 0) throw noPartials(where);
  return out;
}

/** Every partial under a prefix, one at a time, each checked as readPartial checks it. */
export async function* eachPartial(
  store: EvidenceStore,
  prefix: string,
): AsyncGenerator<{ key: string; partial: FindingsPartial }> {
  for await (const info of store.list(prefix))
    if (PARTIAL_KEY.test(info.key)) yield { key: info.key, partial: await readPartial(store, info.key) };
}

/** An empty prefix is bad input (exit 2). */
export function noPartials(where: string): UsageError {
  return new UsageError(`${where} holds no findings partial (<account>_<sha256>.json)`, {
    hint: "give the evaluation's partials prefix, e.g. s3://<bucket>/evaluations/<id>/partials/",
  });
}

/** One partial, checked against the hash its name carries and the partial format (exit 1 naming it). */
export async function readPartial(store: EvidenceStore, key: string): Promise<FindingsPartial> {
  const named = PARTIAL_KEY.exec(key)?.[2];
  const bytes = await store.get(key);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== named)
    throw new VerificationError(`partial ${key} has SHA-256 ${actual}, not the ${named} its name records`, {
      hint: "the partial was altered after it was written: evaluate that account again",
    });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new VerificationError(`partial ${key} is not JSON`, { cause: error });
  }
  const parsed = partialSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VerificationError(
      `partial ${key} is not a findings partial: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
  }
  return json as FindingsPartial;
}

/**
 * The partials of one evaluation, in scope order, each account exactly once. Partials of two
 * evaluations, a missing account or an account twice fail (exit 1), naming what is wrong.
 */
export function orderPartials<P extends Pick<FindingsPartial, "evaluation" | "accounts">>(
  found: ReadonlyArray<{ key: string; partial: P }>,
): P[] {
  const header = found[0]!.partial.evaluation;
  for (const { key, partial } of found) {
    if (partial.evaluation.id !== header.id)
      throw new VerificationError(
        `partial ${key} belongs to evaluation ${partial.evaluation.id}, not ${header.id} (${found[0]!.key}): partials of two evaluations cannot be merged`,
        { hint: "give the prefix of one evaluation: evaluations/<id>/partials/" },
      );
    const { id, ...rest } = partial.evaluation;
    if (evaluationId(rest) !== id)
      throw new VerificationError(`partial ${key}: its evaluation header does not match its id ${id}`);
  }
  const owner = new Map<string, string>();
  for (const { key, partial } of found) {
    for (const account of partial.accounts) {
      const other = owner.get(account);
      if (other) throw new VerificationError(`account ${account} is in two partials: ${other} and ${key}`);
      if (!header.scope.accounts.includes(account))
        throw new VerificationError(
          `partial ${key} holds account ${account}, which is not in the evaluation's scope`,
        );
      owner.set(account, key);
    }
  }
  const missing = header.scope.accounts.filter((a) => !owner.has(a));
  if (missing.length > 0)
    throw new VerificationError(
      `evaluation ${header.id} has no partial for account${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
      { hint: "evaluate the missing accounts (the evaluate Map's failed items), then merge again" },
    );
  const order = new Map(header.scope.accounts.map((a, i) => [a, i]));
  return found.map((f) => f.partial).sort((a, b) => order.get(a.accounts[0]!)! - order.get(b.accounts[0]!)!);
}

/** A --from-partials location: an s3:// URL (bucket and prefix) or a local directory. */
export function parsePartialsLocation(
  value: string,
): { kind: "s3"; bucket: string; prefix: string } | { kind: "dir"; dir: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (m) return { kind: "s3", bucket: m[1]!, prefix: m[2] ?? "" };
  if (value.startsWith("s3://"))
    throw new UsageError(`--from-partials: "${value}" is not an s3://<bucket>/<prefix> URL`);
  return { kind: "dir", dir: value };
}
