import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { readAnchors, writeAnchor } from "../../src/evidence/anchor.js";
import { Ledger } from "../../src/evidence/ledger.js";
import { latestSealHead } from "../../src/evidence/seal.js";
import { resolveTrust } from "../../src/evidence/trust.js";
import { type ExpectedHead, type LedgerProblem, verifyLedger } from "../../src/evidence/verify-ledger.js";
import { S3Store } from "../../src/store/s3.js";
import { newSigner, steppingClock, writeRun } from "../evidence/ledger-helpers.js";
import { motoS3Config, motoS3StoreOptions } from "./moto.js";

const s3 = new S3Client(motoS3Config());

async function bucket(label: string): Promise<string> {
  const name = `ap-${label}-${randomBytes(5).toString("hex")}`;
  // Object Lock turns versioning on: a plain DELETE leaves a delete marker, the old version stays.
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
  return name;
}

describe("rollback of an S3 store (delete marker on the newest seal)", () => {
  it("verify --expect-head / --anchor name the missing sequence; without them the shorter chain passes", async () => {
    const evidenceBucket = await bucket("rollback");
    const store = new S3Store(motoS3StoreOptions(evidenceBucket));
    const anchorStore = new S3Store(motoS3StoreOptions(await bucket("anchor")));
    const signer = newSigner();
    const ledger = new Ledger(store, signer, { now: steppingClock() });
    for (const n of [1, 2, 3]) {
      await writeRun(ledger, [n]);
      await ledger.seal();
      await writeAnchor(anchorStore, (await latestSealHead(store))!, signer, {
        store: store.location,
        now: new Date(),
      });
    }
    const head = (await latestSealHead(store))!;
    expect(head.seq).toBe(3);

    await s3.send(new DeleteObjectCommand({ Bucket: evidenceBucket, Key: `auditpack/${head.key}` }));
    const versions = await s3.send(
      new ListObjectVersionsCommand({ Bucket: evidenceBucket, Prefix: `auditpack/${head.key}` }),
    );
    expect(versions.DeleteMarkers).toHaveLength(1);

    const anchors = [{ pem: await signer.publicKeyPem(), source: "test" }];
    const run = async (expectHeads: ExpectedHead[]) => {
      const problems: LedgerProblem[] = [];
      const summary = await verifyLedger(store, { anchors, expectHeads, onProblem: (p) => problems.push(p) });
      return { summary, errors: problems.filter((p) => p.severity === "error") };
    };
    const plain = await run([]);
    expect(plain.summary.ok).toBe(true);
    expect(plain.summary.head?.seq).toBe(2);

    const pinned = await run([{ seq: 3, sha256: head.sha256, source: "--expect-head 3" }]);
    expect(pinned.summary.ok).toBe(false);
    expect(pinned.errors.map((e) => [e.kind, e.key])).toEqual([
      ["rollback", "ledger/seals/000000000003.json"],
    ]);
    expect(pinned.errors[0]!.message).toContain(
      "seal #3 (ledger/seals/000000000003.json) is missing: the chain ends at #2",
    );

    const trust = await resolveTrust(store, { anchors });
    const anchored = await readAnchors(anchorStore, trust);
    expect(anchored.problems).toEqual([]);
    expect(anchored.heads.map((h) => h.seq)).toEqual([1, 2, 3]);
    const viaAnchor = await run(anchored.heads);
    expect(viaAnchor.errors).toHaveLength(1);
    expect(viaAnchor.errors[0]!.message).toMatch(/^anchor s3:\/\/.*000000000003\.json: seal #3/);
  }, 60_000);
});
