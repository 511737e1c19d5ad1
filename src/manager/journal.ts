// Bounded per-unit memory of log and output events (a small journald), with an optional
// rotating file sink, so that endless output never grows memory: bounded in lines and in bytes.
import type { JournalEntry, ManagerEvent } from '../protocol/events.js';
import { blockEntries, lineBlock, type Lines, type OutputBlock } from '../protocol/output-block.js';
import { loadNative } from '../process/native.js';
import { ByteStore } from './journal-store.js';

/** The memory bounds of the in-memory journal. */
export interface JournalLimits {
  /** Entries kept per unit (`logs -u`, `status`). */
  readonly linesPerUnit: number;
  /** Bytes kept per unit. */
  readonly bytesPerUnit: number;
  /** Bytes kept for all units together; past it the largest unit gives up its oldest entries. */
  readonly bytesAllUnits: number;
  /** Entries of the interleaved view of everything (`logs` without -u). */
  readonly globalLines: number;
  /** Bytes of the interleaved view. */
  readonly globalBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = {
  linesPerUnit: 1000,
  bytesPerUnit: 4 * 1024 * 1024,
  bytesAllUnits: 32 * 1024 * 1024,
  globalLines: 5000,
  globalBytes: 16 * 1024 * 1024,
};

/** What an entry costs: its text (one byte per UTF-16 unit for the ASCII that output mostly is) and its object. */
const ENTRY_OVERHEAD = 128;
export function entryBytes(entry: JournalEntry): number {
  const text = entry.kind === 'output' ? entry.line.length + entry.ident.length : entry.msg.length;
  return text + (entry.unit?.length ?? 0) + ENTRY_OVERHEAD;
}

type Source = Omit<OutputBlock, keyof Lines>;

/**
 * What `lines` of a block of `count` lines and `size` bytes cost: each line as much as its own entry would
 * (the "\n" after each stands for nothing), the block's size shared out evenly when some lines are gone.
 */
function linesBytes(source: Source, size: number, count: number, lines: number): number {
  return (lines === count ? size : Math.ceil((size * lines) / count)) + lines * (source.ident.length + source.unit.length + ENTRY_OVERHEAD - 1);
}

/** A queue's item: a message, or the last `lines` of an output block's `count` lines. */
interface Held {
  readonly order: number;
  readonly message?: JournalEntry;
  readonly source?: Source;
  /** The block's lines as text, or else as `size` bytes at `at` in the queue's store. */
  readonly text?: string;
  readonly at: number;
  readonly size: number;
  readonly count: number;
  lines: number;
  bytes: number;
}

const heldMessage = (message: JournalEntry, order: number): Held => ({ order, message, at: 0, size: 0, count: 1, lines: 1, bytes: entryBytes(message) });

/**
 * A FIFO bounded in entries (lines) and bytes, oldest lines dropped first. Output is held as it came, a
 * block of lines at once (read as bytes, in the queue's store); the oldest block gives up lines by a count,
 * and blocks are decoded and split into entries only when read.
 */
class BoundedQueue {
  private items: (Held | undefined)[] = [];
  private start = 0;
  private held = 0;
  private readonly store = new ByteStore();
  /** Entries (lines) held. */
  size = 0;
  bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  pushBlock(block: OutputBlock, order: number): void {
    const { time, unit, pid, ident, stream, count, bytes } = block;
    const source = { time, unit, pid, ident, stream };
    if (bytes === undefined) {
      const text = block.text;
      this.push({ order, source, text, at: 0, size: text.length, count, lines: count, bytes: linesBytes(source, text.length, count, count) });
    } else {
      // A block of more lines than the view holds is copied from its last lines on: the rest would go at once.
      const lines = Math.min(count, this.maxEntries);
      const kept = lines < count ? bytes.subarray(loadNative().lastLinesStart(bytes, lines)) : bytes;
      const at = this.store.keep(kept, () => this.oldestStored());
      this.push({ order, source, at, size: kept.length, count: lines, lines, bytes: linesBytes(source, kept.length, lines, lines) });
    }
  }

  push(item: Held): void {
    if (this.held === this.items.length) this.grow();
    this.items[(this.start + this.held) % this.items.length] = item;
    this.held++;
    this.size += item.lines;
    this.bytes += item.bytes;
    while (this.size > this.maxEntries || (this.bytes > this.maxBytes && this.size > 1)) {
      const front = this.items[this.start] as Held;
      // The whole oldest item goes when all but its last line would have to go anyway.
      const whole = front.lines === 1 || (this.held > 1 && (this.size - front.lines >= this.maxEntries || this.bytes - front.bytes > this.maxBytes));
      if (whole) this.dropFront();
      else this.cutFront(front, Math.max(1, this.size - this.maxEntries));
    }
  }

  /** Drops the oldest entry. */
  shift(): void {
    const front = this.items[this.start];
    if (front === undefined) return;
    if (front.lines === 1) this.dropFront();
    else this.cutFront(front, 1);
  }

  /** The entries an item stands for, oldest first. */
  private entriesOf(held: Held): JournalEntry[] {
    if (held.source === undefined) return [held.message as JournalEntry];
    const text = held.text ?? this.store.read(held.at, held.size);
    return blockEntries({ ...held.source, count: held.count, text, bytes: undefined }).slice(held.count - held.lines);
  }

  /** Where the oldest bytes still held are in the store. */
  private oldestStored(): number {
    for (let i = 0; i < this.held; i++) {
      const item = this.items[(this.start + i) % this.items.length] as Held;
      if (item.source !== undefined && item.text === undefined) return item.at;
    }
    return this.store.next;
  }

  /** The last `count` entries (all when negative), oldest first. */
  last(count: number): JournalEntry[] {
    return this.lastOrdered(count).map((e) => e.entry);
  }

  /** The last `count` entries with the order they were recorded in. */
  lastOrdered(count: number): { entry: JournalEntry; order: number }[] {
    const wanted: Held[] = [];
    let lines = 0;
    for (let i = this.held - 1; i >= 0 && (count < 0 || lines < count); i--) {
      const item = this.items[(this.start + i) % this.items.length] as Held;
      wanted.push(item);
      lines += item.lines;
    }
    const out = wanted.reverse().flatMap((item) => this.entriesOf(item).map((entry) => ({ entry, order: item.order })));
    return count < 0 ? out : out.slice(Math.max(0, out.length - count));
  }

  private dropFront(): void {
    const front = this.items[this.start] as Held;
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.items.length;
    this.held--;
    this.size -= front.lines;
    this.bytes -= front.bytes;
  }

  /** Drops the first `lines` lines of the oldest block (fewer than it has). */
  private cutFront(front: Held, lines: number): void {
    front.lines -= lines;
    const bytes = linesBytes(front.source as Source, front.size, front.count, front.lines);
    this.size -= lines;
    this.bytes -= front.bytes - bytes;
    front.bytes = bytes;
  }

  private grow(): void {
    const next = Math.max(16, this.items.length * 2);
    const kept: (Held | undefined)[] = [];
    for (let i = 0; i < this.held; i++) kept.push(this.items[(this.start + i) % this.items.length]);
    this.items = [...kept, ...new Array<undefined>(next - this.held)];
    this.start = 0;
  }
}

export interface FileSink {
  write(entry: JournalEntry): void;
  /** A block of output lines, each its own entry in the file. */
  writeOutput(block: OutputBlock): void;
  /** Resolves once every line is in the file and the file is closed. */
  close(): Promise<void>;
}

export class Journal {
  private readonly perUnit = new Map<string, BoundedQueue>();
  private readonly global: BoundedQueue;
  private readonly limits: JournalLimits;
  private unitBytes = 0;
  private recorded = 0;

  constructor(linesPerUnit = DEFAULT_JOURNAL_LIMITS.linesPerUnit, globalLines = DEFAULT_JOURNAL_LIMITS.globalLines, private readonly sink?: FileSink, limits: Partial<JournalLimits> = {}) {
    this.limits = { ...DEFAULT_JOURNAL_LIMITS, linesPerUnit, globalLines, ...limits };
    this.global = new BoundedQueue(this.limits.globalLines, this.limits.globalBytes);
  }

  record(event: ManagerEvent): void {
    if (event.kind === 'output') {
      this.recordOutput(lineBlock(event));
      return;
    }
    if (event.kind !== 'log') return;
    const order = this.recorded++;
    this.global.push(heldMessage(event, order));
    if (event.unit !== undefined) this.pushUnit(event.unit, (queue) => queue.push(heldMessage(event, order)));
    this.sink?.write(event);
  }

  /** A unit's output lines read at once: held as one block (in each view) until lines are asked for. */
  recordOutput(block: OutputBlock): void {
    if (block.count === 0) return;
    const order = this.recorded++;
    this.global.pushBlock(block, order);
    this.pushUnit(block.unit, (queue) => queue.pushBlock(block, order));
    this.sink?.writeOutput(block);
  }

  private pushUnit(unit: string, push: (queue: BoundedQueue) => void): void {
    let queue = this.perUnit.get(unit);
    if (!queue) this.perUnit.set(unit, (queue = new BoundedQueue(this.limits.linesPerUnit, this.limits.bytesPerUnit)));
    const before = queue.bytes;
    push(queue);
    this.unitBytes += queue.bytes - before;
    while (this.unitBytes > this.limits.bytesAllUnits && this.shrinkLargest());
  }

  /** Bytes held for all units together (what bytesAllUnits bounds). */
  get bytesHeld(): number {
    return this.unitBytes;
  }

  /** The last `lines` entries of the given units (all entries when `units` is empty), oldest first. */
  tail(units: readonly string[], lines: number): JournalEntry[] {
    if (units.length === 0) return this.global.last(lines);
    if (units.length === 1) return this.perUnit.get(units[0] as string)?.last(lines) ?? [];
    const entries = units
      .flatMap((u) => this.perUnit.get(u)?.lastOrdered(lines) ?? [])
      .sort((a, b) => a.order - b.order)
      .map((e) => e.entry);
    return lines >= 0 ? entries.slice(Math.max(0, entries.length - lines)) : entries;
  }

  /** Resolves once the file (if any) holds every entry. */
  async close(): Promise<void> {
    await this.sink?.close();
  }

  /** Drops the oldest entry of the unit that holds the most; false when nothing is left to drop. */
  private shrinkLargest(): boolean {
    let largest: BoundedQueue | undefined;
    for (const queue of this.perUnit.values()) if (!largest || queue.bytes > largest.bytes) largest = queue;
    if (!largest || largest.size === 0) return false;
    const before = largest.bytes;
    largest.shift();
    this.unitBytes -= before - largest.bytes;
    return true;
  }
}
