// The bytes of the output blocks one journal queue holds, oldest first, in one buffer it reuses. Holding
// the buffers output was read into would keep whole reads alive outside the heap until a full collection
// (a flood's worth of RSS), and decoding them would fill the heap: here a block costs one copy.

/** Bytes the store starts with; it doubles as needed and shrinks when much of it is unused. */
const MIN_BYTES = 1024;

/** What every store holds until its first block: a unit that prints nothing costs no buffer of its own. */
const NO_BYTES = Buffer.alloc(0);

export class ByteStore {
  private buffer = NO_BYTES;
  /** The position (counted since the store began) of buffer[0]. */
  private base = 0;
  /** The position after the last byte kept. */
  private end = 0;

  /** Where the next bytes go: the position of a store holding none still needed. */
  get next(): number {
    return this.end;
  }

  /** Keeps `bytes`, given that nothing before position `oldest()` is needed any more; returns their position. */
  keep(bytes: Buffer, oldest: () => number): number {
    if (this.end - this.base + bytes.length > this.buffer.length) this.makeRoom(bytes.length, oldest());
    const at = this.end;
    bytes.copy(this.buffer, at - this.base);
    this.end += bytes.length;
    return at;
  }

  /** The `size` bytes at position `at` as UTF-8 text. */
  read(at: number, size: number): string {
    return this.buffer.toString('utf8', at - this.base, at - this.base + size);
  }

  /** Moves what is still needed to the front, in a buffer at least twice what it must hold (at most eight times). */
  private makeRoom(size: number, oldest: number): void {
    const want = this.end - oldest + size;
    let capacity = this.buffer.length;
    if (capacity < 2 * want || capacity > 8 * want) {
      capacity = MIN_BYTES;
      while (capacity < 2 * want) capacity *= 2;
    }
    if (capacity === this.buffer.length) this.buffer.copyWithin(0, oldest - this.base, this.end - this.base);
    else {
      const next = Buffer.allocUnsafeSlow(capacity);
      this.buffer.copy(next, 0, oldest - this.base, this.end - this.base);
      this.buffer = next;
    }
    this.base = oldest;
  }
}
