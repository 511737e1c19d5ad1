// The bytes of the output blocks one journal queue holds, oldest first, in one buffer it reuses. Holding
// the buffers output was read into would keep whole reads alive outside the heap until a full collection
// (a flood's worth of RSS), and decoding them would fill the heap: here a block costs one copy.

/** Bytes the store starts with; it doubles as needed and shrinks when much of it is unused. */
const MIN_BYTES = 1024;

/** What every store holds until its first block: a unit that prints nothing costs no buffer of its own. */
const NO_BYTES = Buffer.alloc(0);

/**
 * A ring: a block goes where the last one ended, around the buffer's end to its start, over bytes no
 * longer needed. Moving what is still needed to the front each time the buffer filled cost a flood as
 * much copying again as keeping its blocks.
 */
export class ByteStore {
  private buffer = NO_BYTES;
  /** The position (counted since the store began) at buffer[0], less whole turns of the ring. */
  private origin = 0;
  /** A position no byte still needed precedes, as last learnt. */
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
    const index = this.index(at);
    const first = Math.min(bytes.length, this.buffer.length - index);
    bytes.copy(this.buffer, index, 0, first);
    if (first < bytes.length) bytes.copy(this.buffer, 0, first);
    this.end += bytes.length;
    return at;
  }

  /** The `size` bytes at position `at` as UTF-8 text. */
  read(at: number, size: number): string {
    const index = this.index(at);
    if (index + size <= this.buffer.length) return this.buffer.toString('utf8', index, index + size);
    // Around the ring's end: joined first, so that a character cut there is decoded whole.
    return Buffer.concat([this.buffer.subarray(index), this.buffer.subarray(0, index + size - this.buffer.length)]).toString('utf8');
  }

  private index(at: number): number {
    return this.buffer.length === 0 ? 0 : (at - this.origin) % this.buffer.length;
  }

  /** Makes room for `size` more bytes after those from `oldest` on: a buffer at least twice what it must hold (at most eight times). */
  private makeRoom(size: number, oldest: number): void {
    this.base = oldest;
    const want = this.end - oldest + size;
    if (this.buffer.length >= 2 * want && this.buffer.length <= 8 * want) return;
    let capacity = MIN_BYTES;
    while (capacity < 2 * want) capacity *= 2;
    const next = Buffer.allocUnsafeSlow(capacity);
    const held = this.end - oldest;
    if (held > 0) {
      const index = this.index(oldest);
      const first = Math.min(held, this.buffer.length - index);
      this.buffer.copy(next, 0, index, index + first);
      if (first < held) this.buffer.copy(next, first, 0, held - first);
    }
    this.buffer = next;
    this.origin = oldest;
  }
}
