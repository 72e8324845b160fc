import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";

/** SHA256SUMS in coreutils format: "<64 hex>  <name>" per line, names relative to the package. */

export interface ChecksumEntry {
  sha256: string;
  name: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function formatChecksums(entries: ChecksumEntry[]): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join("");
}

export interface ParsedChecksums {
  entries: ChecksumEntry[];
  /** Lines that are not "<hash>  <name>", by 1-based line number. */
  malformed: number[];
}

/** Parse SHA256SUMS; accepts the binary-mode marker ("<hash> *<name>") that sha256sum -b writes. */
export function parseChecksums(text: string): ParsedChecksums {
  const entries: ChecksumEntry[] = [];
  const malformed: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ""));
    if (!m) malformed.push(i + 1);
    else entries.push({ sha256: m[1]!.toLowerCase(), name: m[2]! });
  });
  return { entries, malformed };
}

/** Every regular file under dir, as "/"-separated relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(name);
      else out.push(name);
    }
  };
  await walk("");
  return out.sort();
}
