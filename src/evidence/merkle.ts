import { createHash } from "node:crypto";
import { SHA256_HEX } from "./canonical.js";

/**
 * RFC 6962 (Certificate Transparency) Merkle tree hash over hex SHA-256 leaves: a leaf hashes as
 * SHA-256(0x00 || leaf bytes), an inner node as SHA-256(0x01 || left || right), and a tree of n > 1
 * leaves splits at the largest power of two below n. The empty tree is SHA-256 of nothing.
 */
export function merkleRoot(leavesHex: readonly string[]): string {
  for (const leaf of leavesHex) {
    if (!SHA256_HEX.test(leaf)) throw new TypeError(`Merkle leaf "${leaf}" is not a SHA-256 hex digest`);
  }
  if (leavesHex.length === 0) return createHash("sha256").digest("hex");
  return treeHash(leavesHex.map((hex) => Buffer.from(hex, "hex"))).toString("hex");
}

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

function treeHash(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return createHash("sha256").update(LEAF).update(leaves[0]!).digest();
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return createHash("sha256")
    .update(NODE)
    .update(treeHash(leaves.slice(0, split)))
    .update(treeHash(leaves.slice(split)))
    .digest();
}
