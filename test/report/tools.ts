import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Real clients the report tests run (Debian: poppler-utils, qpdf, libreoffice-calc-nogui, openssl, coreutils). */
export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

/** Tools missing here: CI installs them all; locally the tests that need them are skipped with this message. */
export function missingTools(names: string[]): string[] {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length > 0) {
    console.warn(`skipping tests that need ${missing.join(", ")} (not installed; CI installs them via apt)`);
  }
  return missing;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): RunResult {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/**
 * Convert every sheet of an xlsx to CSV with LibreOffice headless (a private profile, so parallel
 * runs do not share one) and return the CSV text by sheet name.
 */
export function xlsxSheetsAsCsv(xlsx: string): Record<string, string> {
  const work = mkdtempSync(path.join(os.tmpdir(), "auditpack-lo-"));
  try {
    const r = run(
      "soffice",
      [
        `-env:UserInstallation=file://${path.join(work, "profile")}`,
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        "--outdir",
        work,
        xlsx,
      ],
      { timeoutMs: 180_000 },
    );
    if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}`);
    const base = path.basename(xlsx, ".xlsx");
    const sheets: Record<string, string> = {};
    for (const f of readdirSync(work)) {
      if (!f.endsWith(".csv")) continue;
      const name = f.slice(0, -4).startsWith(`${base}-`) ? f.slice(base.length + 1, -4) : f.slice(0, -4);
      sheets[name] = readFileSync(path.join(work, f), "utf8");
    }
    return sheets;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** RFC 4180 parser (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
