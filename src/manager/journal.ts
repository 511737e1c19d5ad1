// Bounded per-unit memory of log and output events (a small journald), with an optional
// rotating file sink, so that endless output never grows memory: bounded in lines and in bytes.
import type { JournalEntry, ManagerEvent } from '../protocol/events.js';
import { blockEntries, lineBlock, type OutputBlock } from '../protocol/output-block.js';

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

/**
 * What `lines` of a block cost: each line as much as its own entry would (the "\n" after each stands for
 * nothing), the block's size shared out evenly when some of its lines are gone.
 */
function linesBytes(block: OutputBlock, lines: number): number {
  const size = block.bytes?.length ?? block.text.length;
  return (lines === block.count ? size : Math.ceil((size * lines) / block.count)) + lines * (block.ident.length + block.unit.length + ENTRY_OVERHEAD - 1);
}

/** A queue's item: a message, or the last `lines` lines of an output block. */
interface Held {
  readonly order: number;
  readonly message?: JournalEntry;
  readonly block?: OutputBlock;
  lines: number;
  bytes: number;
}

const heldMessage = (message: JournalEntry, order: number): Held => ({ order, message, lines: 1, bytes: entryBytes(message) });
const heldBlock = (block: OutputBlock, order: number): Held => ({ order, block, lines: block.count, bytes: linesBytes(block, block.count) });

/** The entries an item stands for, oldest first. */
const entriesOf = (held: Held): JournalEntry[] => (held.block ? blockEntries(held.block).slice(held.block.count - held.lines) : [held.message as JournalEntry]);

/**
 * A FIFO bounded in entries (lines) and bytes, oldest lines dropped first. Output is held as it came, a
 * block of lines at once (its bytes, as read); the oldest block gives up lines by a count, and blocks are
 * decoded and split into entries only when read.
 */
class BoundedQueue {
  private items: (Held | undefined)[] = [];
  private start = 0;
  private held = 0;
  /** Entries (lines) held. */
  size = 0;
  bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

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
    const out = wanted.reverse().flatMap((item) => entriesOf(item).map((entry) => ({ entry, order: item.order })));
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
    const bytes = linesBytes(front.block as OutputBlock, front.lines);
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
    if (event.unit !== undefined) this.pushUnit(event.unit, heldMessage(event, order));
    this.sink?.write(event);
  }

  /** A unit's output lines read at once: held as one block (in each view) until lines are asked for. */
  recordOutput(block: OutputBlock): void {
    if (block.count === 0) return;
    const order = this.recorded++;
    this.global.push(heldBlock(block, order));
    this.pushUnit(block.unit, heldBlock(block, order));
    this.sink?.writeOutput(block);
  }

  private pushUnit(unit: string, item: Held): void {
    let queue = this.perUnit.get(unit);
    if (!queue) this.perUnit.set(unit, (queue = new BoundedQueue(this.limits.linesPerUnit, this.limits.bytesPerUnit)));
    const before = queue.bytes;
    queue.push(item);
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
