import { describe, expect, it } from "vitest";
import {
  MANIFEST_SCHEMA,
  type RunManifest,
  SEAL_SCHEMA,
  type Seal,
} from "../../src/evidence/ledger-format.js";
import { manifestShapeError, sealShapeError } from "../../src/evidence/ledger-shapes.js";

const hex = "ab".repeat(32);
const seal = {
  schema: SEAL_SCHEMA,
  seq: 1,
  sealedAt: "2026-07-01T00:00:00.000Z",
  previous: null,
  manifests: [{ key: "ledger/manifests/m.json", sha256: hex }],
  merkleRoot: hex,
};
const manifest = {
  schema: MANIFEST_SCHEMA,
  runId: "0123abcd",
  part: 1,
  finishedAt: "2026-07-01T00:00:00.000Z",
  previousSeal: null,
  records: [{ key: "evidence/r.json", sha256: hex, size: 10 }],
};
const asSeal = (v: unknown) => sealShapeError(v as Seal);
const asManifest = (v: unknown) => manifestShapeError(v as RunManifest);

describe("seal shape", () => {
  it("accepts a well-formed seal, with members it does not read", () => {
    expect(asSeal(seal)).toBeUndefined();
    expect(asSeal({ ...seal, previous: { key: "k", sha256: hex }, extra: 1 })).toBeUndefined();
  });

  it.each([
    ["an array", [], `schema is not ${SEAL_SCHEMA}`],
    ["another schema", { ...seal, schema: "x" }, `schema is not ${SEAL_SCHEMA}`],
    ["a fractional seq", { ...seal, seq: 1.5 }, "seq is not an integer"],
    ["a string seq", { ...seal, seq: "1" }, "seq is not an integer"],
    ["no sealedAt", { ...seal, sealedAt: undefined }, "sealedAt is missing"],
    ["no previous", { ...seal, previous: undefined }, "previous is malformed"],
    ["a previous without hex", { ...seal, previous: { key: "k", sha256: "zz" } }, "previous is malformed"],
    [
      "a manifest with a non-hex digest",
      { ...seal, manifests: [{ key: "k", sha256: "zz".repeat(32) }] },
      "manifests is malformed (each needs a key and a hex SHA-256)",
    ],
    [
      "an uppercase merkleRoot",
      { ...seal, merkleRoot: hex.toUpperCase() },
      "merkleRoot is not a hex SHA-256",
    ],
    // The first member in order names the fault.
    ["two faults", { ...seal, seq: "x", merkleRoot: 1 }, "seq is not an integer"],
  ])("names %s", (_, value, message) => {
    expect(asSeal(value)).toBe(message);
  });
});

describe("manifest shape", () => {
  it("accepts a well-formed manifest, previousSeal null or absent", () => {
    expect(asManifest(manifest)).toBeUndefined();
    expect(asManifest({ ...manifest, previousSeal: undefined })).toBeUndefined();
  });

  it.each([
    ["another schema", { ...manifest, schema: SEAL_SCHEMA }, `schema is not ${MANIFEST_SCHEMA}`],
    ["no runId", { ...manifest, runId: undefined }, "runId or part is missing"],
    ["a string part", { ...manifest, part: "1" }, "runId or part is missing"],
    ["no finishedAt", { ...manifest, finishedAt: 5 }, "finishedAt is missing"],
    ["a malformed previousSeal", { ...manifest, previousSeal: 5 }, "previousSeal is malformed"],
    ["a record without size", { ...manifest, records: [{ key: "k", sha256: hex }] }, "records is malformed"],
    ["records that are not a list", { ...manifest, records: {} }, "records is malformed"],
  ])("names %s", (_, value, message) => {
    expect(asManifest(value)).toBe(message);
  });
});
