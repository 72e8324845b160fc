import { createHash } from "node:crypto";
import type { EvidenceIndex } from "./evidence-index.js";

/**
 * Short evidence reference numbers (E1, E2, ...): the n-th record of the model's evidence index
 * (sorted by key) is "E<n>" in every output, so a number cited in the PDF resolves to the same row
 * of the XLSX Evidence sheet and the same record of the HTML view.
 */
export class EvidenceReferences {
  constructor(readonly index: EvidenceIndex) {}

  /** 1-based position of the record in the index, or undefined when the key is not cited. */
  number(key: string): number | undefined {
    return this.index.number(key);
  }

  /** "E123" (or "?" for a key no finding cites, which the model never asks for). */
  ref(key: string): string {
    const n = this.index.number(key);
    return n === undefined ? "?" : `E${n}`;
  }

  /** "E3, E7-E9, E12": a compact list of the references of `keys`, in number order. */
  refs(keys: Iterable<string>): string {
    const numbers = [
      ...new Set([...keys].map((k) => this.index.number(k)).filter((n) => n !== undefined)),
    ].sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < numbers.length; i++) {
      let j = i;
      while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
      parts.push(
        j > i + 1
          ? `E${numbers[i]}-E${numbers[j]}`
          : j === i + 1
            ? `E${numbers[i]}, E${numbers[j]}`
            : `E${numbers[i]}`,
      );
      i = j;
    }
    return parts.join(", ");
  }
}

/** A deterministic RFC 4122 version-5-shaped UUID from a name: the same report gives the same ids. */
export function stableUuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
