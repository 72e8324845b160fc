import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import yazl from "yazl";
import { UsageError } from "../errors.js";
import { listFiles } from "./checksums.js";

/**
 * Zip a package directory with every entry under `<rootName>/`, so `unzip` recreates the package
 * folder and `sha256sum -c` runs inside it. Written to a temporary name, then renamed into place.
 */
export async function zipDirectory(
  dir: string,
  zipFile: string,
  rootName: string,
  mtime?: Date,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of await listFiles(dir)) {
    zip.addFile(path.join(dir, name), `${rootName}/${name}`, { ...(mtime ? { mtime } : {}), mode: 0o100644 });
  }
  zip.end();
  const partial = `${zipFile}.partial-${process.pid}`;
  const out = createWriteStream(partial, { flags: "wx" });
  try {
    zip.outputStream.pipe(out);
    await Promise.race([
      once(out, "close"),
      once(zip.outputStream, "error").then(([e]) => {
        throw e;
      }),
      once(out, "error").then(([e]) => {
        throw e;
      }),
    ]);
    await rename(partial, zipFile);
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** Bounds that keep a hostile archive from filling the disk (counted as bytes inflate, not as declared). */
const MAX_ENTRIES = 10_000;
const MAX_TOTAL_BYTES = 4 * 1024 ** 3;
/** An entry may inflate to this many times its compressed size once it is past MIN_RATIO_CHECK bytes. */
const MAX_RATIO = 200;
const MIN_RATIO_CHECK = 64 * 1024 ** 2;

export interface ExtractLimits {
  maxEntries?: number;
  /** Bytes written in total, counted while inflating. */
  maxTotalBytes?: number;
  maxRatio?: number;
  minRatioCheck?: number;
}

/** Unix file types in the high 16 bits of a zip entry's external attributes (0: not recorded). */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/**
 * Extract a zip into destDir. Refuses absolute paths, "..", backslashes, duplicate names, links and
 * other special entries, sizes that differ from the declared ones, and archives that inflate past the
 * limits, all as a UsageError naming the zip and the entry (a hostile archive is bad input, not a bug).
 * Bytes are counted as they inflate, so a bomb stops at the cap instead of being extracted in full.
 */
export async function extractZip(
  zipFile: string,
  destDir: string,
  limits: ExtractLimits = {},
): Promise<void> {
  const maxEntries = limits.maxEntries ?? MAX_ENTRIES;
  const maxTotal = limits.maxTotalBytes ?? MAX_TOTAL_BYTES;
  const maxRatio = limits.maxRatio ?? MAX_RATIO;
  const minRatioCheck = limits.minRatioCheck ?? MIN_RATIO_CHECK;
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipFile, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, z) =>
        err ? reject(err) : resolve(z!),
      ),
    );
  } catch (cause) {
    throw new UsageError(`${zipFile} is not a readable zip archive: ${(cause as Error).message}`, { cause });
  }
  const refuse = (entry: string | undefined, reason: string, cause?: unknown): UsageError =>
    new UsageError(`${zipFile}${entry === undefined ? "" : `: entry "${entry}"`}: ${reason}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: "this archive is not a report package as auditpack writes it; ask the publisher for the package again",
    });
  const seen = new Set<string>();
  let count = 0;
  let total = 0;
  let current: string | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        if (error instanceof UsageError) return reject(error);
        const e = error as NodeJS.ErrnoException;
        if (e?.code === "ENOSPC" || e?.code === "EDQUOT") {
          return reject(
            new UsageError(`cannot extract ${zipFile} into ${destDir}: no space left on the device`, {
              cause: error,
              hint: "free some space, or point TMPDIR at a filesystem with room",
            }),
          );
        }
        reject(refuse(current, e?.message ?? String(error), error));
      };
      zip.on("error", fail);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        const name = entry.fileName;
        current = name;
        count += 1;
        if (count > maxEntries) return fail(refuse(undefined, `holds more than ${maxEntries} entries`));
        if (total + entry.uncompressedSize > maxTotal)
          return fail(refuse(name, `declares more than ${maxTotal} bytes in total`));
        if (path.isAbsolute(name) || name.includes("\\") || name.split("/").includes(".."))
          return fail(refuse(name, "unsafe path"));
        const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const isDir = name.endsWith("/");
        if (type !== 0 && type !== (isDir ? S_IFDIR : S_IFREG))
          return fail(
            refuse(
              name,
              `is a ${type === 0o120000 ? "symbolic link" : "special file"}, not a file or folder`,
            ),
          );
        const key = name.replace(/\/+$/, "");
        if (seen.has(key)) return fail(refuse(name, "appears twice"));
        seen.add(key);
        const target = path.join(destDir, name);
        if (isDir) {
          mkdir(target, { recursive: true }).then(() => zip.readEntry(), fail);
          return;
        }
        // The folder first: an entry's stream inflates as soon as it is opened, so the pipeline (and
        // its error handling) must be attached in the same tick, or a lying size throws uncaught.
        mkdir(path.dirname(target), { recursive: true }).then(
          () =>
            zip.openReadStream(entry, (err, stream) => {
              if (err || !stream) return fail(err ?? new Error("cannot read the entry"));
              const ratioCap = Math.max(minRatioCheck, maxRatio * Math.max(1, entry.compressedSize));
              let written = 0;
              const counter = new Transform({
                transform(chunk: Buffer, _encoding, done) {
                  written += chunk.length;
                  total += chunk.length;
                  if (total > maxTotal) return done(refuse(name, `inflates past ${maxTotal} bytes in total`));
                  if (written > ratioCap)
                    return done(
                      refuse(
                        name,
                        `inflates to more than ${maxRatio} times its compressed size (a zip bomb)`,
                      ),
                    );
                  done(null, chunk);
                },
              });
              pipeline(stream, counter, createWriteStream(target, { flags: "wx" })).then(
                () => zip.readEntry(),
                fail,
              );
            }),
          fail,
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
