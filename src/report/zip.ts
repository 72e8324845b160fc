import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import yauzl from "yauzl";
import yazl from "yazl";
import { UsageError, VerificationError } from "../errors.js";
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

/** Bounds that keep a hostile archive from filling the disk. */
const MAX_ENTRIES = 10_000;
const MAX_TOTAL_BYTES = 4 * 1024 ** 3;

/** Extract a zip into destDir, refusing absolute paths, "..", links and oversized archives. */
export async function extractZip(zipFile: string, destDir: string): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(zipFile, { lazyEntries: true, strictFileNames: true }, (err, z) =>
        err ? reject(err) : resolve(z!),
      ),
    );
  } catch (cause) {
    throw new UsageError(`${zipFile} is not a readable zip archive: ${(cause as Error).message}`, { cause });
  }
  let count = 0;
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        const name = entry.fileName;
        count += 1;
        total += entry.uncompressedSize;
        if (count > MAX_ENTRIES || total > MAX_TOTAL_BYTES) {
          reject(
            new UsageError(
              `${zipFile} holds more than a report package could (${count} entries, ${total} bytes)`,
            ),
          );
          return;
        }
        if (path.isAbsolute(name) || name.split("/").includes("..")) {
          reject(new UsageError(`${zipFile} holds an unsafe path "${name}"`));
          return;
        }
        const target = path.join(destDir, name);
        if (name.endsWith("/")) {
          mkdir(target, { recursive: true }).then(() => zip.readEntry(), reject);
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) {
            reject(
              new VerificationError(`${zipFile}: cannot read ${name}: ${err?.message ?? "no data"}`, {
                hint: "the package is damaged; fetch it again from where it was shared",
                cause: err ?? undefined,
              }),
            );
            return;
          }
          mkdir(path.dirname(target), { recursive: true })
            .then(() => {
              const out = createWriteStream(target, { flags: "wx" });
              stream.on("error", reject);
              out.on("error", reject);
              out.on("close", () => zip.readEntry());
              stream.pipe(out);
            })
            .catch(reject);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
