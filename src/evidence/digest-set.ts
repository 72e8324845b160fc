/**
 * A set of fixed-width binary digests in one Buffer (open addressing, linear probing): about
 * 2-4x the digest width per entry and no per-entry objects, so it stays small for millions of
 * entries. An all-zero slot means empty; a real digest of all zeros is not a practical concern.
 * Lookups allocate nothing: verify calls them twice per record.
 */
export class DigestSet {
  private slots: Buffer;
  private mask: number;
  private count = 0;

  constructor(
    readonly width = 16,
    initialCapacity = 1024,
  ) {
    if (!Number.isInteger(width) || width < 4) throw new TypeError("digest width must be at least 4 bytes");
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.slots = Buffer.alloc(capacity * width);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  add(digest: Uint8Array): boolean {
    this.checkWidth(digest);
    const index = this.find(digest, 0);
    if (index >= 0) return false;
    this.slots.set(digest.subarray(0, this.width), ~index * this.width);
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  has(digest: Uint8Array): boolean {
    this.checkWidth(digest);
    return this.find(digest, 0) >= 0;
  }

  private checkWidth(digest: Uint8Array): void {
    if (digest.length < this.width) throw new TypeError(`digest must be at least ${this.width} bytes`);
  }

  /** The slot holding the digest at `from`, or ~slot of the empty slot where it would go. */
  private find(digest: Uint8Array, from: number): number {
    const width = this.width;
    const slots = this.slots;
    // The first four bytes of a cryptographic digest are already uniformly spread.
    let index =
      ((digest[from]! | (digest[from + 1]! << 8) | (digest[from + 2]! << 16)) +
        digest[from + 3]! * 0x1000000) &
      this.mask;
    for (;;) {
      const offset = index * width;
      let same = true;
      let empty = true;
      for (let i = 0; i < width; i++) {
        const b = slots[offset + i]!;
        if (b !== digest[from + i]) same = false;
        if (b !== 0) empty = false;
        if (!same && !empty) break;
      }
      if (same) return index;
      if (empty) return ~index;
      index = (index + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const width = this.width;
    this.slots = Buffer.alloc(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    for (let offset = 0; offset < old.length; offset += width) {
      let empty = true;
      for (let i = offset; i < offset + width; i++) if (old[i] !== 0) empty = false;
      if (!empty) old.copy(this.slots, ~this.find(old, offset) * width, offset, offset + width);
    }
  }
}
