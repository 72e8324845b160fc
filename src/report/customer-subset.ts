import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { Signer } from "../signing/types.js";
import { verifySignature } from "../signing/verify.js";
import { formatChecksums, listFiles, sha256File } from "./checksums.js";
import { PACKAGE_FILES, verifyText } from "./verify-text.js";

/** The files a customer receives: the summary and the machine-readable results. */
export const CUSTOMER_FILES: readonly string[] = [
  PACKAGE_FILES.summaryPdf,
  PACKAGE_FILES.oscalPlan,
  PACKAGE_FILES.oscalResults,
  PACKAGE_FILES.ocsf,
];
const FRAME_FILES: ReadonlySet<string> = new Set([
  PACKAGE_FILES.sums,
  PACKAGE_FILES.sig,
  PACKAGE_FILES.publicKey,
  PACKAGE_FILES.verify,
]);

/** True when the package holds nothing but the customer set (and its checksums, key and VERIFY.txt). */
export async function isCustomerPackage(dir: string): Promise<boolean> {
  return (await listFiles(dir)).every((f) => FRAME_FILES.has(f) || CUSTOMER_FILES.includes(f));
}

/**
 * Derive the customer package from a verified full package: copy the customer files (summary.pdf
 * keeps its own embedded signature), checksum them into a new SHA256SUMS and sign it with the same
 * key that signed the original, so the customer verifies it exactly as any package.
 */
export async function deriveCustomerPackage(
  dir: string,
  out: string,
  openSigner: (() => Promise<Signer>) | undefined,
): Promise<void> {
  const present = new Set(await listFiles(dir));
  if (!present.has(PACKAGE_FILES.summaryPdf)) {
    throw new UsageError(`${dir} holds no ${PACKAGE_FILES.summaryPdf}: there is no customer set to share`, {
      hint: "rebuild it with `auditpack report --audience all` (or customer), or pass --audience all to share everything",
    });
  }
  const verify = await readFile(path.join(dir, PACKAGE_FILES.verify), "utf8").catch(() => "");
  const reportId = /package (\S+)/.exec(verify)?.[1] ?? path.basename(dir);
  const files = CUSTOMER_FILES.filter((f) => present.has(f));
  for (const f of files) await copyFile(path.join(dir, f), path.join(out, f));
  const packagedKey = present.has(PACKAGE_FILES.publicKey)
    ? await readFile(path.join(dir, PACKAGE_FILES.publicKey), "utf8")
    : undefined;
  const signer = packagedKey && openSigner ? await openSigner() : undefined;
  if (packagedKey && !signer) {
    throw new UsageError(
      "sharing the customer set of a signed package needs the signing key to sign its SHA256SUMS",
      {
        hint: "configure the signing key that built the package, or pass --audience all",
      },
    );
  }
  const publicKey = packagedKey && signer ? await signer.publicKeyPem() : undefined;
  if (packagedKey && publicKey && publicKey.trim() !== packagedKey.trim()) {
    throw new UsageError("the configured signing key is not the key that signed this package", {
      hint: "share with the key that built it, or pass --audience all to share the package as signed",
    });
  }
  if (publicKey) await writeFile(path.join(out, PACKAGE_FILES.publicKey), publicKey, { flag: "wx" });
  await writeFile(
    path.join(out, PACKAGE_FILES.verify),
    verifyText({
      reportId,
      ...(publicKey && signer ? { algorithm: signer.algorithm, keyId: await signer.keyId() } : {}),
      hasPdf: [PACKAGE_FILES.summaryPdf],
      demonstration: /DEMONSTRATION DATA/.test(verify),
    }),
    { flag: "wx" },
  );
  const entries = [];
  for (const name of await listFiles(out))
    entries.push({ name, sha256: await sha256File(path.join(out, name)) });
  const sums = Buffer.from(formatChecksums(entries), "utf8");
  await writeFile(path.join(out, PACKAGE_FILES.sums), sums, { flag: "wx" });
  if (publicKey && signer) {
    const signature = await signer.sign(sums);
    if (!verifySignature(sums, signature, publicKey)) {
      throw new UsageError(
        "the signer's signature over the customer SHA256SUMS does not verify with its own key",
      );
    }
    await writeFile(path.join(out, PACKAGE_FILES.sig), Buffer.from(signature.value, "base64"), {
      flag: "wx",
    });
  }
}
