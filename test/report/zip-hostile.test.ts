import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { extractZip, zipDirectory } from "../../src/report/zip.js";
import { type RawEntry, rawZip } from "../helpers/raw-zip.js";

/** Hostile archives are refused as bad input (UsageError, exit 2) naming the zip and the entry. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "auditpack-zip-hostile-"));
});
afterAll(() => undefined);

let n = 0;
function zipOf(entries: RawEntry[]): { zip: string; dest: string } {
  n += 1;
  const zip = path.join(dir, `case-${n}.zip`);
  writeFileSync(zip, rawZip(entries));
  const dest = path.join(dir, `out-${n}`);
  mkdirSync(dest);
  return { zip, dest };
}

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

const file = (name: string, text = "x"): RawEntry => ({ name, data: Buffer.from(text) });

describe("extractZip on hostile archives", () => {
  it("extracts an honest archive (the builder itself is sound)", async () => {
    const { zip, dest } = zipOf([
      { name: "pkg/" },
      file("pkg/a.txt", "hello"),
      { ...file("pkg/b.txt", "b".repeat(5000)), deflate: true },
    ]);
    await extractZip(zip, dest);
    expect(readFileSync(path.join(dest, "pkg/a.txt"), "utf8")).toBe("hello");
    expect(readFileSync(path.join(dest, "pkg/b.txt"), "utf8")).toBe("b".repeat(5000));
  });

  it.each([
    ["a ../ path", "pkg/../../escape.txt", /invalid relative path|unsafe path/],
    ["an absolute path", "/tmp/escape.txt", /absolute path|unsafe path/],
    ["a backslash name", "pkg\\..\\escape.txt", /invalid characters|unsafe path/],
  ])("refuses %s", async (_what, name, reason) => {
    const { zip, dest } = zipOf([file(name)]);
    const error = await refusal(extractZip(zip, dest));
    expect(error.message).toContain(zip);
    expect(error.message).toMatch(reason);
    expect(existsSync(path.join(dir, "escape.txt"))).toBe(false);
    expect(error.exitCode).toBe(2);
  });

  it("refuses a duplicate entry, naming it", async () => {
    const { zip, dest } = zipOf([file("pkg/SHA256SUMS", "one"), file("pkg/SHA256SUMS", "two")]);
    const error = await refusal(extractZip(zip, dest));
    expect(error.message).toMatch(/entry "pkg\/SHA256SUMS": appears twice/);
    expect(readFileSync(path.join(dest, "pkg/SHA256SUMS"), "utf8")).toBe("one");
  });

  it("refuses a symlink entry (to a directory) before anything is written through it", async () => {
    const { zip, dest } = zipOf([
      { name: "pkg/link", data: Buffer.from(dir), mode: 0o120777 },
      file("pkg/link/planted.txt"),
    ]);
    const error = await refusal(extractZip(zip, dest));
    expect(error.message).toMatch(/entry "pkg\/link": is a symbolic link/);
    expect(existsSync(path.join(dir, "planted.txt"))).toBe(false);
    expect(existsSync(path.join(dest, "pkg/link"))).toBe(false);
  });

  it("refuses a special file entry (a FIFO)", async () => {
    const { zip, dest } = zipOf([{ name: "pkg/fifo", mode: 0o010644 }]);
    expect((await refusal(extractZip(zip, dest))).message).toMatch(/special file/);
  });

  it("refuses a file and a folder of the same name", async () => {
    const { zip, dest } = zipOf([file("pkg/a"), file("pkg/a/b")]);
    expect((await refusal(extractZip(zip, dest))).message).toMatch(/entry "pkg\/a\/b"/);
  });

  it.each([
    ["smaller", 10],
    ["larger", 100_000],
  ])("refuses an entry whose declared size is %s than its data", async (_what, declaredSize) => {
    const { zip, dest } = zipOf([
      { name: "pkg/f", data: Buffer.alloc(5000, 1), deflate: true, declaredSize },
    ]);
    const error = await refusal(extractZip(zip, dest));
    expect(error.message).toMatch(/entry "pkg\/f": .*(bytes|size)/);
  });

  it("refuses a truncated or garbage file as not a zip", async () => {
    const bad = path.join(dir, "garbage.zip");
    writeFileSync(bad, rawZip([file("a")]).subarray(0, 40));
    expect((await refusal(extractZip(bad, path.join(dir, "g")))).message).toMatch(/not a readable zip/);
  });

  it("stops a zip bomb at the cap while inflating, not after extracting it in full", async () => {
    // 64 MiB of zeros deflate to ~64 KB; the declared size is honest, so only counting catches it.
    const bomb = Buffer.alloc(64 * 1024 ** 2);
    const { zip, dest } = zipOf([{ name: "pkg/bomb", data: bomb, deflate: true }]);
    const error = await refusal(extractZip(zip, dest, { minRatioCheck: 1024 ** 2 }));
    expect(error.message).toMatch(/entry "pkg\/bomb": inflates to more than 200 times/);
    const written = existsSync(path.join(dest, "pkg/bomb")) ? statSync(path.join(dest, "pkg/bomb")).size : 0;
    const compressed = statSync(zip).size;
    expect(written).toBeLessThanOrEqual(200 * compressed + 1024 ** 2);
    expect(written).toBeLessThan(bomb.length / 4);
  });

  it("stops at the total byte cap, counting inflated bytes across entries", async () => {
    const chunk = Buffer.alloc(600_000, 7);
    const { zip, dest } = zipOf([
      { name: "pkg/a", data: chunk, deflate: true },
      { name: "pkg/b", data: chunk, deflate: true },
    ]);
    const error = await refusal(extractZip(zip, dest, { maxTotalBytes: 1_000_000, minRatioCheck: 10 ** 9 }));
    expect(error.message).toMatch(/pkg\/b.*(inflates past|declares more than) 1000000 bytes/);
  });

  it("refuses more entries than a package could hold", async () => {
    const { zip, dest } = zipOf([file("a"), file("b"), file("c")]);
    expect((await refusal(extractZip(zip, dest, { maxEntries: 2 }))).message).toMatch(/more than 2 entries/);
  });

  it("round-trips what zipDirectory writes", async () => {
    const src = path.join(dir, "src-pkg");
    mkdirSync(src);
    writeFileSync(path.join(src, "SHA256SUMS"), "sums\n");
    const zip = path.join(dir, "rt.zip");
    await zipDirectory(src, zip, "pkg");
    const dest = path.join(dir, "rt");
    mkdirSync(dest);
    await extractZip(zip, dest);
    expect(readdirSync(path.join(dest, "pkg"))).toEqual(["SHA256SUMS"]);
  });
});
