import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { Lazy } from "../evaluate/lazy.js";
import type { FindingsView } from "../evaluate/types.js";
import type { ReportModel } from "./model.js";
import { spreadsheetSafe } from "./spreadsheet-safe.js";

/**
 * findings.csv (one row per resource, check and interval, RFC 4180: CRLF line ends, fields quoted
 * when they hold a comma, quote or line break) and findings.json (the Findings object). Both are
 * streamed to disk so a large evaluation is never built as one string.
 */

export const CSV_COLUMNS = [
  "requirement",
  "requirement_title",
  "check",
  "resource",
  "account",
  "region",
  "interval_start",
  "interval_end",
  "interval_status",
  "finding_status",
  "waiver",
  "reason",
  "evidence_keys",
  "evidence_sha256",
  "data",
] as const;

/** One RFC 4180 field, made spreadsheet-safe first (no cell of findings.csv runs as a formula). */
export function csvField(raw: string): string {
  const value = spreadsheetSafe(raw);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

export async function writeFindingsCsv(model: ReportModel, file: string): Promise<void> {
  const data = model.demonstration ? "DEMONSTRATION (fixture data, not a real environment)" : "aws";
  await writeLines(file, function* () {
    yield csvLine(CSV_COLUMNS);
    for (const r of model.findingRows()) {
      yield csvLine([
        r.requirementId,
        r.requirementTitle,
        r.checkId,
        r.resource,
        r.account,
        r.region,
        r.start,
        r.end,
        r.status,
        r.findingStatus,
        r.waiverId ?? "",
        r.reason,
        r.evidence.map((e) => e.key).join(" "),
        r.evidence.map((e) => e.sha256).join(" "),
        data,
      ]);
    }
  });
}

/**
 * The Findings object as indented JSON, streamed finding by finding. JSON.parse of the file gives
 * back an object deep-equal to `findings`; streamed findings (evaluateStreaming) are read from their
 * spill as they are written, and give the same bytes as the Findings `evaluate` returns.
 */
export async function writeFindingsJson(findings: FindingsView, file: string): Promise<void> {
  await writeLines(file, () => jsonChunks(findings, "", 0));
}

/** findings.json's text, in chunks of at least 64 KiB (what `evaluate --json` prints). */
export function findingsJsonChunks(findings: FindingsView): Iterable<string> {
  return inBatches(jsonChunks(findings, "", 0));
}

/** Small chunks joined into writes of at least `size` characters (the last may be shorter). */
function* inBatches(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let buffer = "";
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= size) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}

/** Depth at which values are small enough to stringify at once (a single finding). */
const STREAM_DEPTH = 6;

function* jsonChunks(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth >= STREAM_DEPTH || value === null || typeof value !== "object") {
    yield indentJson(value, indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) || value instanceof Lazy) {
    // A lazy list (streamed findings) is read once, item by item.
    let first = true;
    for (const item of value as Iterable<unknown>) {
      yield `${first ? "[\n" : ",\n"}${inner}`;
      first = false;
      // JSON.stringify writes null for undefined array members.
      yield* jsonChunks(item === undefined ? null : item, inner, depth + 1);
    }
    yield first ? "[]" : `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== "function",
  );
  if (entries.length === 0 || entries.every(([, v]) => v === null || typeof v !== "object")) {
    yield indentJson(value, indent);
    return;
  }
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    yield `${inner}${JSON.stringify(k)}: `;
    yield* jsonChunks(v, inner, depth + 1);
    yield i < entries.length - 1 ? ",\n" : "\n";
  }
  yield `${indent}}`;
}

/** Indented JSON, except that an object of plain values (an evidence reference) stays on one line. */
function indentJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => inner + indentJson(v === undefined ? null : v, inner));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
  if (entries.length === 0) return "{}";
  if (entries.every(([, v]) => v === null || typeof v !== "object")) return JSON.stringify(value);
  const members = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${indentJson(v, inner)}`);
  return `{\n${members.join(",\n")}\n${indent}}`;
}

/** Write generated chunks, batching small ones and honouring back-pressure. */
async function writeLines(file: string, chunks: () => Iterable<string>): Promise<void> {
  const out: WriteStream = createWriteStream(file, { flags: "wx" });
  const failed = once(out, "error").then(([e]) => {
    throw e;
  });
  failed.catch(() => {});
  const drainOrFail = () => Promise.race([once(out, "drain"), failed]);
  try {
    for (const batch of inBatches(chunks())) if (!out.write(batch)) await drainOrFail();
    out.end();
    await Promise.race([once(out, "finish"), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  // The package checksums this file next: wait until its handle is closed.
  await Promise.race([once(out, "close"), failed]);
}
