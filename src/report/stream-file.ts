import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

/**
 * Write generated text chunks to a new file (create-only), batching small chunks and honouring
 * back-pressure, so a writer never holds its whole output as one string.
 */
export async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const out: WriteStream = createWriteStream(file, { flags: "wx" });
  const failed = once(out, "error").then(([e]) => {
    throw e;
  });
  failed.catch(() => {});
  let buffer = "";
  try {
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length >= 1 << 16) {
        const ok = out.write(buffer);
        buffer = "";
        if (!ok) await Promise.race([once(out, "drain"), failed]);
      }
    }
    if (buffer) out.write(buffer);
    out.end();
    await Promise.race([once(out, "finish"), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  // The package checksums the file next: wait until its handle is closed.
  await Promise.race([once(out, "close"), failed]);
}
