import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError, VerificationError } from "../errors.js";
import type { EvidenceEntry } from "./model.js";

/**
 * Evidence keys are relative paths of plain segments inside a folder ("evidence/..."): nothing can
 * escape the package or replace one of its own files.
 */
const SAFE_KEY = /^[A-Za-z0-9_=+@-][A-Za-z0-9._=+@-]*(?:\/[A-Za-z0-9._=+@-]+)+$/;

/**
 * Copy the cited evidence records into `<dir>/<key>` (report --with-evidence), so the HTML view and
 * the OSCAL relevant-evidence links resolve inside the package. Each record is re-hashed on the way:
 * a record that does not match the SHA-256 the findings cite stops the build.
 */
export async function copyEvidence(
  source: { get(key: string): Promise<Buffer> },
  entries: Iterable<EvidenceEntry>,
  dir: string,
): Promise<void> {
  const made = new Set<string>();
  for (const e of entries) {
    if (!SAFE_KEY.test(e.key) || e.key.split("/").some((s) => s === "." || s === "..")) {
      throw new UsageError(
        `--with-evidence: evidence key "${e.key}" is not a plain relative path inside a folder`,
        {
          hint: "the findings cite a key auditpack did not write; rebuild them with `auditpack evaluate`",
        },
      );
    }
    const bytes = await source.get(e.key);
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== e.sha256) {
      throw new VerificationError(
        `--with-evidence: ${e.key} has SHA-256 ${actual}, but the findings cite ${e.sha256}`,
        { hint: "run `auditpack verify` on the store" },
      );
    }
    const target = path.join(dir, ...e.key.split("/"));
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeFile(target, bytes, { flag: "wx" });
  }
}
