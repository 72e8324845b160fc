import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IrregularObjectError, ObjectExistsError, StoreError } from "../../src/errors.js";
import { FsStore } from "../../src/store/fs.js";

/** The disk store reads evidence only from regular files at their keys (issue 17), and streams files in. */

function store(): FsStore {
  return new FsStore(mkdtempSync(path.join(os.tmpdir(), "auditpack-fs-irregular-")));
}

async function listAll(s: FsStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of s.list(prefix)) keys.push(info.key);
  return keys;
}

describe("FsStore and irregular entries", () => {
  it("lists regular files as before", async () => {
    const s = store();
    await s.put("evidence/a.json", Buffer.from("{}"));
    expect(await listAll(s, "evidence/")).toEqual(["evidence/a.json"]);
    expect(await s.irregularEntries()).toEqual([]);
  });

  it("refuses a symlinked record in list, listKeys, head, get, readSync and getStream", async () => {
    const s = store();
    await s.put("evidence/a.json", Buffer.from("{}"));
    const target = path.join(s.root, "..", `outside-${path.basename(s.root)}.json`);
    writeFileSync(target, "{}");
    symlinkSync(target, s.pathOf("evidence/b.json"));
    await expect(listAll(s, "evidence/")).rejects.toThrow(IrregularObjectError);
    await expect(listAll(s, "evidence/")).rejects.toThrow(/evidence\/b\.json is a symbolic link/);
    await expect(
      (async () => {
        for await (const _ of s.listKeys("evidence/")) void _;
      })(),
    ).rejects.toThrow(/evidence\/b\.json/);
    await expect(s.head("evidence/b.json")).rejects.toThrow(IrregularObjectError);
    await expect(s.get("evidence/b.json")).rejects.toThrow(IrregularObjectError);
    await expect(s.getStream("evidence/b.json")).rejects.toThrow(IrregularObjectError);
    expect(() => s.readSync("evidence/b.json", Buffer.alloc(16))).toThrow(IrregularObjectError);
    // Other prefixes are unaffected.
    await s.put("ledger/x", Buffer.from("x"));
    expect(await listAll(s, "ledger/")).toEqual(["ledger/x"]);
    expect(await s.irregularEntries()).toEqual([{ key: "evidence/b.json", kind: "symbolic link" }]);
  });

  it("names a FIFO", async (ctx) => {
    const s = store();
    mkdirSync(path.join(s.root, "evidence"), { recursive: true });
    try {
      execFileSync("mkfifo", [path.join(s.root, "evidence", "pipe.json")]);
    } catch {
      return ctx.skip(); // no mkfifo here
    }
    await expect(listAll(s, "")).rejects.toThrow(/evidence\/pipe\.json is a FIFO/);
    expect(await s.irregularEntries("evidence/")).toEqual([{ key: "evidence/pipe.json", kind: "FIFO" }]);
  });
});

describe("FsStore.putFile", () => {
  it("streams a file in create-only", async () => {
    const s = store();
    const file = path.join(s.root, "..", `src-${path.basename(s.root)}`);
    writeFileSync(file, "hello");
    const sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    expect(await s.putFile("attachments/x", file, { sha256, size: 5 })).toEqual({
      key: "attachments/x",
      size: 5,
    });
    expect((await s.get("attachments/x")).toString()).toBe("hello");
    await expect(s.putFile("attachments/x", file, { sha256, size: 5 })).rejects.toThrow(ObjectExistsError);
  });

  it("stores nothing when the file no longer matches its hash (changed while attaching)", async () => {
    const s = store();
    const file = path.join(s.root, "..", `changed-${path.basename(s.root)}`);
    writeFileSync(file, "hello!");
    await expect(s.putFile("attachments/y", file, { sha256: "0".repeat(64), size: 6 })).rejects.toThrow(
      StoreError,
    );
    expect(await s.head("attachments/y")).toBeUndefined();
    expect(readdirSync(path.join(s.root, ".tmp"))).toEqual([]);
  });
});
