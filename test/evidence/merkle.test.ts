import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { merkleRoot } from "../../src/evidence/merkle.js";

const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
const leafHash = (hex: string) => sha(Buffer.from([0]), Buffer.from(hex, "hex"));
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
const leaves = ["a", "b", "c", "d", "e"].map((s) => createHash("sha256").update(s).digest("hex"));
const [a, b, c, d, e] = leaves.map(leafHash) as [Buffer, Buffer, Buffer, Buffer, Buffer];

describe("merkleRoot (RFC 6962)", () => {
  it("hashes the empty tree as SHA-256 of nothing", () => {
    expect(merkleRoot([])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashes one leaf with the 0x00 prefix", () => {
    expect(merkleRoot(leaves.slice(0, 1))).toBe(a.toString("hex"));
    expect(merkleRoot(leaves.slice(0, 1))).not.toBe(leaves[0]);
  });

  it("combines nodes with the 0x01 prefix", () => {
    expect(merkleRoot(leaves.slice(0, 2))).toBe(node(a, b).toString("hex"));
    expect(merkleRoot(leaves.slice(0, 4))).toBe(node(node(a, b), node(c, d)).toString("hex"));
  });

  it("splits an unbalanced tree at the largest power of two below n", () => {
    expect(merkleRoot(leaves.slice(0, 3))).toBe(node(node(a, b), c).toString("hex"));
    expect(merkleRoot(leaves)).toBe(node(node(node(a, b), node(c, d)), e).toString("hex"));
  });

  it("matches values computed by hand with printf, xxd and sha256sum", () => {
    // leaf_x = sha256(0x00 || sha256("x")), ab = sha256(0x01 || leaf_a || leaf_b), abc = sha256(0x01 || ab || leaf_c)
    expect(merkleRoot(leaves.slice(0, 2))).toBe(
      "ad5ca6cddc0b27c6a83e332bf28011769236e6c6a1f786ebf7b5267b37a5bd22",
    );
    expect(merkleRoot(leaves.slice(0, 3))).toBe(
      "cac3d448d4e20a2ad5eae1f500e63c2a7f9217cd14572ba7fd22e26dc1ec2648",
    );
  });

  it("depends on the order of the leaves", () => {
    expect(merkleRoot([leaves[1]!, leaves[0]!])).not.toBe(merkleRoot(leaves.slice(0, 2)));
  });

  it("rejects leaves that are not hex SHA-256", () => {
    expect(() => merkleRoot(["abc"])).toThrow(TypeError);
  });
});
