import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ObjectExistsError, ObjectNotFoundError, StoreError } from "../../src/errors.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { FsStore } from "../../src/store/fs.js";

const created: string[] = [];
const newStore = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "auditpack-fs-"));
  created.push(dir);
  return new FsStore(path.join(dir, "store"));
};

// The killed write leaves a large temp file behind (by design, invisible): do not keep it.
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

async function keys(store: FsStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const info of store.list(prefix)) out.push(info.key);
  return out;
}

describe("FsStore", () => {
  it("writes, reads, streams and heads an object", async () => {
    const store = newStore();
    const result = await store.put("a/b/c.json", Buffer.from("hello"));
    expect(result).toEqual({ key: "a/b/c.json", size: 5 });
    expect((await store.get("a/b/c.json")).toString()).toBe("hello");
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream("a/b/c.json")) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("hello");
    const info = await store.head("a/b/c.json");
    expect(info?.size).toBe(5);
    expect(info?.lastModified).toBeInstanceOf(Date);
    expect(await store.head("a/b")).toBeUndefined();
    expect(await store.head("a/b/missing.json")).toBeUndefined();
    expect(store.location).toBe(`fs:${store.root}`);
  });

  it("is create-only: a second put to a key fails and keeps the first bytes", async () => {
    const store = newStore();
    await store.put("k.json", Buffer.from("first"));
    await expect(store.put("k.json", Buffer.from("second"))).rejects.toBeInstanceOf(ObjectExistsError);
    expect((await store.get("k.json")).toString()).toBe("first");
    expect(readdirSync(path.join(store.root, ".tmp"))).toEqual([]);
  });

  it("lets exactly one of many concurrent writers of a key win", async () => {
    const store = newStore();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.put("race.json", Buffer.from(`writer ${i}`))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ObjectExistsError);
  });

  it("refuses a body whose SHA-256 differs from the one given", async () => {
    const store = newStore();
    await expect(store.put("x.json", Buffer.from("x"), { sha256: "0".repeat(64) })).rejects.toBeInstanceOf(
      StoreError,
    );
    expect(await store.head("x.json")).toBeUndefined();
  });

  it("throws ObjectNotFoundError for a missing key on get and getStream", async () => {
    const store = newStore();
    await expect(store.get("nope.json")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.getStream("nope.json")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("rejects keys that could escape the root or alias another key", async () => {
    const store = newStore();
    const bad = [
      "../x",
      "a/../../x",
      "/etc/passwd",
      "a\\b",
      "a//b",
      "./a",
      "",
      ".tmp/x",
      "a/",
      ".",
      "..",
      "a/.",
      "a/..",
      "a\0b",
      ".tmp",
    ];
    for (const key of bad) {
      await expect(store.put(key, Buffer.from("x")), key).rejects.toBeInstanceOf(TypeError);
      await expect(store.get(key), key).rejects.toBeInstanceOf(TypeError);
      expect(() => store.readSync(key, Buffer.alloc(16)), key).toThrow(TypeError);
    }
    await expect(keys(store, "../")).rejects.toBeInstanceOf(TypeError);
    // Dots are fine inside a segment, and a segment of three dots is a plain name.
    for (const key of [".a/b", "a/..b", "a../b", ".../x", "a/...", ".tmpx/y"]) {
      await store.put(key, Buffer.from(key));
      expect(store.pathOf(key)).toBe(path.join(store.root, ...key.split("/")));
      expect((await store.get(key)).toString()).toBe(key);
    }
  });

  it("reads objects synchronously into a scratch buffer, growing past it for a larger object", async () => {
    const store = newStore();
    const small = Buffer.from("small object");
    const large = Buffer.alloc(100_000, 7);
    await store.put("r/small", small);
    await store.put("r/large", large);
    await store.put("r/empty", Buffer.alloc(0));
    const scratch = Buffer.alloc(64);

    const read = store.readSync("r/small", scratch);
    expect(read.equals(small)).toBe(true);
    expect(read.buffer).toBe(scratch.buffer); // a view of scratch: nothing allocated
    expect(store.readSync("r/large", scratch).equals(large)).toBe(true);
    expect(store.readSync("r/empty", scratch).length).toBe(0);
    expect(store.readSync("r/small").equals(small)).toBe(true);
    // Exactly the scratch size: the read must go on to find the end, not stop at a full buffer.
    const exact = Buffer.alloc(64, 1);
    await store.put("r/exact", exact);
    expect(store.readSync("r/exact", scratch).equals(exact)).toBe(true);

    expect(() => store.readSync("r/missing", scratch)).toThrow(ObjectNotFoundError);
    expect(() => store.readSync("r", scratch)).toThrow(ObjectNotFoundError); // a directory
  });

  it("lists in ascending key order by prefix, skipping temp files", async () => {
    const store = newStore();
    const all = ["a-b", "a/x", "a/y/z", "a.c", "b/1", "b/10", "b/2", "ab/c", "a0"];
    for (const key of [...all].reverse()) await store.put(key, Buffer.from(key));
    writeFileSync(path.join(store.root, ".tmp", "leftover.part"), "junk");
    expect(await keys(store, "")).toEqual([...all].sort());
    expect(await keys(store, "a/")).toEqual(["a/x", "a/y/z"]);
    expect(await keys(store, "a")).toEqual(["a-b", "a.c", "a/x", "a/y/z", "a0", "ab/c"]);
    expect(await keys(store, "b/1")).toEqual(["b/1", "b/10"]);
    expect(await keys(store, "missing/")).toEqual([]);
    const sizes = [];
    for await (const info of store.list("b/")) sizes.push(info.size);
    expect(sizes).toEqual([3, 4, 3]);
  });

  it("lists keys alone (listKeys) exactly as list() does, a page per run of files", async () => {
    const store = newStore();
    // Sibling directories at several depths (each read ahead while the one before is listed).
    const dated = ["d/2026/07/01/x", "d/2026/07/01/y", "d/2026/07/02/x", "d/2026/07/10/x", "d/2026/08/01/x"];
    const all = ["a-b", "a/x", "a/y/z", "a.c", "b/1", "b/10", "b/2", "ab/c", "a0", ...dated, "d/z"];
    for (const key of [...all].reverse()) await store.put(key, Buffer.from(key));
    writeFileSync(path.join(store.root, ".tmp", "leftover.part"), "junk");
    const pages = async (prefix: string) => {
      const out: string[][] = [];
      for await (const page of store.listKeys(prefix)) out.push([...page]);
      return out;
    };
    for (const prefix of ["", "a/", "a", "b/1", "missing/", "a/y/", "d/2026/07/", "d/2026/07/0"])
      expect((await pages(prefix)).flat(), prefix).toEqual(await keys(store, prefix));
    expect((await pages("")).flat()).toEqual([...all].sort());
    expect(await pages("d/")).toEqual([
      ["d/2026/07/01/x", "d/2026/07/01/y"],
      ["d/2026/07/02/x"],
      ["d/2026/07/10/x"],
      ["d/2026/08/01/x"],
      ["d/z"],
    ]);
    await expect(pages("../")).rejects.toBeInstanceOf(TypeError);
    // Stopping after the first page leaves the directory read ahead unawaited: that must be harmless.
    for await (const page of store.listKeys("d/")) {
      expect(page).toEqual(["d/2026/07/01/x", "d/2026/07/01/y"]);
      break;
    }
  });

  it("streams listings lazily: the first key arrives before the walk finishes", async () => {
    const store = newStore();
    for (let i = 0; i < 300; i++)
      await store.put(`d${String(i % 30).padStart(2, "0")}/${i}.json`, Buffer.from("x"));
    const iterator = store.list("")[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.key).toBe("d00/0.json");
    // Objects created after the walk passed d00 show up later in the same listing, so it was not precomputed.
    await store.put("d29/late.json", Buffer.from("x"));
    const rest: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value.key);
    expect(rest).toHaveLength(300);
    expect(rest.at(-1)).toBe("d29/late.json");
  });

  it("never shows a partial object when the writer is killed mid-write", async () => {
    const store = newStore();
    const script = path.join(path.dirname(store.root), "writer.mts");
    writeFileSync(
      script,
      `import { FsStore } from ${JSON.stringify(path.join(PACKAGE_ROOT, "src/store/fs.ts"))};
const store = new FsStore(process.argv[2]);
await store.put("evidence/big.json", Buffer.alloc(768 * 1024 * 1024, 0x61));
console.log("done");`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script, store.root], {
      cwd: PACKAGE_ROOT,
      stdio: "pipe",
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill once the temp file has started to fill.
    const tmp = path.join(store.root, ".tmp");
    for (let i = 0; i < 3000; i++) {
      const partial = (() => {
        try {
          return readdirSync(tmp).some((f) => statSync(path.join(tmp, f)).size > 0);
        } catch {
          return false;
        }
      })();
      if (partial) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    await exited;
    expect(out).not.toContain("done");
    expect(readdirSync(tmp).length).toBeGreaterThan(0); // the write really was interrupted
    expect(await keys(store, "")).toEqual([]);
    expect(await store.head("evidence/big.json")).toBeUndefined();
    await expect(store.get("evidence/big.json")).rejects.toBeInstanceOf(ObjectNotFoundError);
    // The key is still free for a complete write.
    await store.put("evidence/big.json", Buffer.from("complete"));
    expect(await keys(store, "")).toEqual(["evidence/big.json"]);
  }, 60_000);
});
