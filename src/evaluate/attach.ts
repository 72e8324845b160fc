import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ObjectExistsError, UsageError } from "../errors.js";
import type { Ledger } from "../evidence/ledger.js";
import { EVIDENCE_PREFIX } from "../evidence/ledger-format.js";
import {
  decodeRecord,
  EVIDENCE_SCHEMA,
  type EvidenceRecord,
  GLOBAL_REGION,
  parseEvidenceKey,
} from "../evidence/record.js";
import type { EvidenceStore } from "../store/types.js";
import type { Attachment } from "./types.js";

/** Manual evidence is not tied to an AWS account: it lives under this account segment. */
export const MANUAL_ACCOUNT = "manual";
export const ATTACHMENT_COLLECTOR = "manual_attachment";
export const ATTACHMENTS_PREFIX = "attachments/";
const MANUAL_PREFIX = `${EVIDENCE_PREFIX}${MANUAL_ACCOUNT}/${GLOBAL_REGION}/${ATTACHMENT_COLLECTOR}/`;

/** docs/EVIDENCE.md: the manual_attachment payload. */
export interface AttachmentPayload {
  control: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  note?: string;
  validFrom?: string;
  validTo?: string;
  attachedBy: string;
}

const MEDIA_TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".json": "application/json",
  ".html": "text/html",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".zip": "application/zip",
};

export function whoAmI(): string {
  const env = process.env.USER ?? process.env.USERNAME;
  if (env) return env;
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

export interface AttachOptions {
  store: EvidenceStore;
  ledger: Ledger;
  /** "<framework>:<requirement>", already validated against the catalog. */
  control: string;
  file: string;
  note?: string;
  validFrom?: Date;
  validTo?: Date;
  attachedBy?: string;
  now?: Date;
}

export interface AttachResult {
  fileKey: string;
  recordKey: string;
  sha256: string;
  size: number;
  /** false when the same file bytes were attached before (the file object is shared). */
  fileStored: boolean;
  /** Who attached it and when (the record's attachedBy and collectedAt). */
  attachedBy: string;
  attachedAt: string;
}

/** --attached-by: a name on one line, so the record and every listing show it as given. */
function checkAttachedBy(value: string): string {
  const name = value.trim();
  if (name.length === 0) throw new UsageError("--attached-by is empty: name who attaches the file");
  if (name.length > 200 || /[\r\n\t]/.test(name)) {
    throw new UsageError("--attached-by must be one line of at most 200 characters");
  }
  return name;
}

/**
 * Store a file create-only at attachments/<sha256> and write a manual_attachment evidence record
 * through the ledger (hashed, write-once, in a signed run manifest), naming who attached it and when.
 */
export async function attachFile(options: AttachOptions): Promise<AttachResult> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(options.file);
  } catch (cause) {
    throw new UsageError(
      `--file ${options.file}: ${(cause as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (cause as Error).message}`,
      { cause },
    );
  }
  if (!info.isFile()) throw new UsageError(`--file ${options.file} is not a regular file`);
  if (options.validFrom && options.validTo && options.validTo <= options.validFrom) {
    throw new UsageError("--valid-to must be after --valid-from");
  }
  const attachedBy = options.attachedBy !== undefined ? checkAttachedBy(options.attachedBy) : whoAmI();
  if (info.size === 0) {
    throw new UsageError(`--file ${options.file} is empty (0 bytes): there is nothing to attach as evidence`);
  }
  // Streamed twice (hash, then store), so memory stays flat whatever the file's size.
  const size = info.size;
  const sha256 = await sha256OfFile(options.file);
  const fileKey = `${ATTACHMENTS_PREFIX}${sha256}`;
  const fileName = path.basename(options.file);
  const mediaType = MEDIA_TYPES[path.extname(fileName).toLowerCase()] ?? "application/octet-stream";
  let fileStored = true;
  try {
    if (options.store.putFile) {
      await options.store.putFile(fileKey, options.file, { sha256, size, contentType: mediaType });
    } else {
      await options.store.put(fileKey, await readFile(options.file), { sha256, contentType: mediaType });
    }
  } catch (error) {
    // Same key means same bytes (the key is their hash): the file is already there.
    if (!(error instanceof ObjectExistsError)) throw error;
    fileStored = false;
  }
  const now = options.now ?? new Date();
  const payload: AttachmentPayload = {
    control: options.control,
    fileName,
    mediaType,
    size,
    sha256,
    attachedBy,
  };
  if (options.note) payload.note = options.note;
  if (options.validFrom) payload.validFrom = options.validFrom.toISOString();
  if (options.validTo) payload.validTo = options.validTo.toISOString();
  const record: EvidenceRecord<AttachmentPayload> = {
    schema: EVIDENCE_SCHEMA,
    collector: ATTACHMENT_COLLECTOR,
    source: "manual",
    account: MANUAL_ACCOUNT,
    region: GLOBAL_REGION,
    collectedAt: now.toISOString(),
    calls: [],
    payload,
  };
  const run = options.ledger.beginRun({
    scope: { command: "attach", control: options.control, file: fileKey },
  });
  const entry = await run.writeRecord(record);
  await run.finish();
  return {
    fileKey,
    recordKey: entry.key,
    sha256,
    size,
    fileStored,
    attachedBy,
    attachedAt: record.collectedAt,
  };
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
      hash.update(chunk as Buffer);
  } catch (cause) {
    throw new UsageError(`--file ${file}: cannot read it: ${(cause as Error).message}`, { cause });
  }
  return hash.digest("hex");
}

/**
 * Attachments for a control whose validity overlaps [start, end). Without --valid-from/--valid-to,
 * an attachment is valid from when it was attached onward.
 */
export async function listAttachments(
  store: EvidenceStore,
  control: string | readonly string[],
  start: number,
  end: number,
): Promise<Attachment[]> {
  // Several ids: a requirement's attachments made under a retired framework id (pci-dss-4.0) count too.
  const controls = new Set(typeof control === "string" ? [control] : control);
  const out: Attachment[] = [];
  for await (const info of store.list(MANUAL_PREFIX)) {
    const parsed = parseEvidenceKey(info.key);
    if (!parsed) continue;
    const record = decodeRecord<AttachmentPayload>(await store.get(info.key), parsed.sha256);
    const p = record.payload;
    if (!controls.has(p.control)) continue;
    const from = Date.parse(p.validFrom ?? record.collectedAt);
    const to = p.validTo ? Date.parse(p.validTo) : Number.POSITIVE_INFINITY;
    if (from >= end || to <= start) continue;
    const attachment: Attachment = {
      key: info.key,
      sha256: parsed.sha256,
      fileName: p.fileName,
      attachedBy: p.attachedBy,
      attachedAt: record.collectedAt,
    };
    if (p.note) attachment.note = p.note;
    if (p.validFrom) attachment.validFrom = p.validFrom;
    if (p.validTo) attachment.validTo = p.validTo;
    out.push(attachment);
  }
  return out;
}
