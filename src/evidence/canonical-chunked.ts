/**
 * RFC 8785 canonical JSON straight to bytes, byte for byte what `canonicalBytes` (the `canonicalize`
 * package) produces, for records too large to build as one string. `canonicalize` returns a string
 * per nesting level and joins them, so a 1 MB record allocates its text once per level (and the big
 * ones in V8's large-object space, which only a full GC frees); here small pieces are encoded into
 * 32K-character chunks and joined once, as bytes.
 */

/** Characters per chunk: one-byte strings of this size stay in V8's young generation. */
const CHUNK_CHARS = 32 * 1024;

export function canonicalBytesChunked(value: unknown): Buffer {
  const out = new ChunkWriter();
  write(value, out, new Set());
  return out.finish();
}

class ChunkWriter {
  private parts: string[] = [];
  private chars = 0;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  push(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  finish(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(""), "utf8");
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    this.parts = [];
    this.chars = 0;
  }
}

/** Same checks, order and messages as `canonicalize`; values it would render as invalid JSON throw. */
function write(value: unknown, out: ChunkWriter, seen: Set<object>): void {
  switch (typeof value) {
    case "string":
      out.push(quote(value));
      return;
    case "number":
      if (Number.isNaN(value)) throw new Error("NaN is not allowed");
      if (!Number.isFinite(value)) throw new Error("Infinity is not allowed");
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "object":
      break;
    default:
      throw new TypeError(`a ${typeof value} cannot be represented as canonical JSON`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (seen.has(value)) throw new Error("Circular reference detected");
  seen.add(value);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    write(toJSON.call(value), out, seen);
  } else if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item: unknown = value[i];
      write(item === undefined || typeof item === "symbol" ? null : item, out, seen);
    }
    out.push("]");
  } else {
    const record = value as Record<string, unknown>;
    out.push("{");
    let first = true;
    for (const key of sortedKeys(record)) {
      const member = record[key];
      if (member === undefined || typeof member === "symbol") continue;
      out.push(first ? `${quote(key)}:` : `,${quote(key)}:`);
      first = false;
      write(member, out, seen);
    }
    out.push("}");
  }
  seen.delete(value);
}

/** Keys small enough to sort in place; V8's sort allocates work arrays per call. */
const INSERTION_SORT_MAX = 32;

/** Object.keys in code-unit order (RFC 8785), as Array.prototype.sort orders strings. */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

function quote(text: string): string {
  // ES2024's isWellFormed (Node 20+): false exactly when the string holds a lone surrogate.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed())
    throw new Error("Lone surrogate is not allowed");
  return JSON.stringify(text);
}
