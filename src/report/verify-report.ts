import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { SignatureAlgorithm } from "../signing/types.js";
import { keyIdOf, verifySignature } from "../signing/verify.js";
import { listFiles, parseChecksums, sha256File } from "./checksums.js";
import { outputError } from "./output-error.js";
import { checkPdfSignature } from "./pdf-signature.js";
import { PACKAGE_FILES, PACKAGE_PDFS } from "./verify-text.js";
import { extractZip } from "./zip.js";

/** One file that failed, and why. */
export interface PackageProblem {
  file: string;
  problem: string;
}

export interface ReportVerification {
  ok: boolean;
  /** The package directory (inside a temporary extraction for a zip). */
  dir: string;
  checkedFiles: number;
  problems: PackageProblem[];
  signature?: {
    algorithm: SignatureAlgorithm;
    keyId: string;
    /** "given": --public-key; "packaged": signing-key.pub.pem from the package itself. */
    keySource: "given" | "packaged";
    valid: boolean;
  };
  pdf?: { signed: boolean; valid: boolean; signer?: string; subFilter?: string };
  /** Things the reader should know that are not failures. */
  notes: string[];
}

export interface VerifyReportOptions {
  /** PEM public key to verify SHA256SUMS.sig with, instead of the packaged one. */
  publicKeyPem?: string;
  /** Accept a package without SHA256SUMS.sig (built with --no-sign). */
  allowUnsigned?: boolean;
}

/**
 * Verify a report package (directory or zip): every file matches SHA256SUMS, none is missing or
 * extra, SHA256SUMS.sig verifies, and report.pdf's embedded signature is intact and covers the
 * whole file. Never throws for a bad package: each problem names its file.
 */
export async function verifyReportPackage(
  target: string,
  options: VerifyReportOptions = {},
): Promise<ReportVerification> {
  if (!existsSync(target)) {
    throw new UsageError(`${target} does not exist`, { hint: "pass a report package directory or its .zip" });
  }
  if (statSync(target).isDirectory()) return verifyDirectory(path.resolve(target), options);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "auditpack-verify-")).catch((error: unknown) => {
    throw outputError(error, `a scratch folder in ${os.tmpdir()} to extract ${target} into`, "create");
  });
  try {
    await extractZip(target, scratch);
    const result = await verifyDirectory(await packageRoot(scratch, target), options);
    result.dir = `${path.resolve(target)}:${path.relative(scratch, result.dir) || "."}`;
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A zip holds the package at its root or in one top-level folder. */
async function packageRoot(dir: string, zipFile: string): Promise<string> {
  if (existsSync(path.join(dir, PACKAGE_FILES.sums))) return dir;
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 1 && entries[0]!.isDirectory()) return path.join(dir, entries[0]!.name);
  throw new UsageError(`${zipFile} does not hold a report package (no ${PACKAGE_FILES.sums})`);
}

async function verifyDirectory(dir: string, options: VerifyReportOptions): Promise<ReportVerification> {
  const problems: PackageProblem[] = [];
  const notes: string[] = [];
  const result: ReportVerification = { ok: false, dir, checkedFiles: 0, problems, notes };
  const sumsFile = path.join(dir, PACKAGE_FILES.sums);
  if (!existsSync(sumsFile)) {
    problems.push({
      file: PACKAGE_FILES.sums,
      problem: "missing: this is not a report package, or its checksums were removed",
    });
    return result;
  }
  const sums = await readFile(sumsFile);
  const parsed = parseChecksums(sums.toString("utf8"));
  for (const line of parsed.malformed) {
    problems.push({ file: PACKAGE_FILES.sums, problem: `line ${line} is not "<sha256>  <file>"` });
  }

  // Every listed file exists and matches.
  const listed = new Set<string>();
  for (const entry of parsed.entries) {
    listed.add(entry.name);
    if (path.isAbsolute(entry.name) || entry.name.split("/").includes("..")) {
      problems.push({ file: entry.name, problem: "listed with a path outside the package" });
      continue;
    }
    const file = path.join(dir, entry.name);
    if (!existsSync(file)) {
      problems.push({ file: entry.name, problem: "missing (listed in SHA256SUMS)" });
      continue;
    }
    const actual = await sha256File(file);
    result.checkedFiles += 1;
    if (actual !== entry.sha256) {
      problems.push({
        file: entry.name,
        problem: `SHA-256 ${actual} does not match ${entry.sha256} in SHA256SUMS`,
      });
    }
  }
  // No file was added.
  for (const name of await listFiles(dir)) {
    if (name === PACKAGE_FILES.sums || name === PACKAGE_FILES.sig || listed.has(name)) continue;
    problems.push({ file: name, problem: "not listed in SHA256SUMS (added after the package was built)" });
  }

  // The checksum list is signed.
  const sigFile = path.join(dir, PACKAGE_FILES.sig);
  const packagedKeyFile = path.join(dir, PACKAGE_FILES.publicKey);
  if (!existsSync(sigFile)) {
    if (options.allowUnsigned)
      notes.push("the package is unsigned: SHA256SUMS proves integrity against accidents only");
    else
      problems.push({
        file: PACKAGE_FILES.sig,
        problem: "missing: the package is unsigned (pass --allow-unsigned to accept that)",
      });
  } else {
    const given = options.publicKeyPem !== undefined;
    const pem = given
      ? options.publicKeyPem!
      : existsSync(packagedKeyFile)
        ? await readFile(packagedKeyFile, "utf8")
        : undefined;
    if (pem === undefined) {
      problems.push({
        file: PACKAGE_FILES.publicKey,
        problem: "missing: no key to verify SHA256SUMS.sig with (pass --public-key)",
      });
    } else {
      const key = parseKey(pem, given);
      if (!key) {
        problems.push({
          file: given ? "--public-key" : PACKAGE_FILES.publicKey,
          problem: "not an Ed25519 or ECDSA P-256 public key in PEM form",
        });
      } else {
        const signature = await readFile(sigFile);
        const valid = verifySignature(
          sums,
          { algorithm: key.algorithm, keyId: key.keyId, value: signature.toString("base64") },
          key.key,
        );
        result.signature = {
          algorithm: key.algorithm,
          keyId: key.keyId,
          keySource: given ? "given" : "packaged",
          valid,
        };
        if (!valid) {
          problems.push({
            file: PACKAGE_FILES.sig,
            problem: `the signature over SHA256SUMS does not verify with the ${given ? "given" : "packaged"} key ${key.keyId}`,
          });
        }
        if (given) {
          if (existsSync(packagedKeyFile)) {
            const packaged = parseKey(await readFile(packagedKeyFile, "utf8"), false);
            if (packaged && packaged.keyId !== key.keyId) {
              notes.push(
                `the packaged key ${packaged.keyId} is not the key you gave; the signature was checked with yours`,
              );
            }
          }
        } else {
          notes.push(
            `verified with the packaged key ${key.keyId}: this proves the files are unchanged since signing, not who signed them; pass --public-key <pem> with the publisher's key to check origin`,
          );
        }
      }
    }
  }

  // Each PDF's own signature (report.pdf, summary.pdf); result.pdf describes the first one present.
  for (const name of PACKAGE_PDFS) {
    const pdfFile = path.join(dir, name);
    if (!existsSync(pdfFile)) continue;
    const check = checkPdfSignature(await readFile(pdfFile));
    result.pdf ??= {
      signed: check.signed,
      valid: check.ok,
      ...(check.signer ? { signer: check.signer } : {}),
      ...(check.subFilter ? { subFilter: check.subFilter } : {}),
    };
    const packageSigned = existsSync(sigFile);
    if (check.signed && !check.ok) {
      for (const problem of check.problems)
        problems.push({ file: name, problem: `embedded signature: ${problem}` });
    } else if (!check.signed && packageSigned) {
      problems.push({ file: name, problem: "has no embedded signature, though the package is signed" });
    }
  }

  result.ok = problems.length === 0;
  return result;
}

function parseKey(
  pem: string,
  given: boolean,
): { key: KeyObject; algorithm: SignatureAlgorithm; keyId: string } | undefined {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    if (given)
      throw new UsageError(`--public-key is not a PEM public key: ${(cause as Error).message}`, { cause });
    return undefined;
  }
  if (key.asymmetricKeyType === "ed25519") return { key, algorithm: "ed25519", keyId: keyIdOf(key) };
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") {
    return { key, algorithm: "ecdsa-p256-sha256", keyId: keyIdOf(key) };
  }
  return undefined;
}
