/**
 * A set of fixed-width binary digests in one Buffer (open addressing, linear probing): about
 * 2-4x the digest width per entry and no per-entry objects, so it stays small for millions of
 * entries. An all-zero slot means empty; a real digest of all zeros is not a practical concern.
 */
export class DigestSet {
  private slots: Buffer;
  private mask: number;
  private count = 0;

  constructor(
    readonly width = 16,
    initialCapacity = 1024,
  ) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.slots = Buffer.alloc(capacity * width);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  add(digest: Uint8Array): boolean {
    const slot = this.find(digest);
    if (slot.found) return false;
    this.slots.set(digest.subarray(0, this.width), slot.index * this.width);
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  has(digest: Uint8Array): boolean {
    return this.find(digest).found;
  }

  private find(digest: Uint8Array): { index: number; found: boolean } {
    if (digest.length < this.width) throw new TypeError(`digest must be at least ${this.width} bytes`);
    const d = Buffer.from(digest.buffer, digest.byteOffset, this.width);
    let index = d.readUInt32LE(0) & this.mask;
    for (;;) {
      const offset = index * this.width;
      if (d.compare(this.slots, offset, offset + this.width) === 0) return { index, found: true };
      if (this.isEmpty(offset)) return { index, found: false };
      index = (index + 1) & this.mask;
    }
  }

  private isEmpty(offset: number): boolean {
    for (let i = offset; i < offset + this.width; i++) if (this.slots[i] !== 0) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = Buffer.alloc(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    this.count = 0;
    for (let offset = 0; offset < old.length; offset += this.width) {
      if (!old.subarray(offset, offset + this.width).every((b) => b === 0))
        this.add(old.subarray(offset, offset + this.width));
    }
  }
}
