// Bounded per-unit memory of log and output events (a small journald), with an optional
// rotating file sink, so that endless output never grows memory: bounded in lines and in bytes.
import type { JournalEntry, ManagerEvent } from '../protocol/events.js';

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

/** A FIFO bounded in entries and bytes: O(1) push and shift, oldest entries dropped first. */
class BoundedQueue {
  private items: (JournalEntry | undefined)[] = [];
  /** The order each item was recorded in, beside it (two units' entries often share a millisecond). */
  private orders: number[] = [];
  private start = 0;
  size = 0;
  bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  push(entry: JournalEntry, order: number): void {
    if (this.size === this.items.length) this.grow();
    const at = (this.start + this.size) % this.items.length;
    this.items[at] = entry;
    this.orders[at] = order;
    this.size++;
    this.bytes += entryBytes(entry);
    while (this.size > this.maxEntries || (this.bytes > this.maxBytes && this.size > 1)) this.shift();
  }

  shift(): void {
    const entry = this.items[this.start];
    if (entry === undefined) return;
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.items.length;
    this.size--;
    this.bytes -= entryBytes(entry);
  }

  /** The last `count` entries (all when negative), oldest first. */
  last(count: number): JournalEntry[] {
    return this.indexes(count).map((at) => this.items[at] as JournalEntry);
  }

  /** The last `count` entries with the order they were recorded in. */
  lastOrdered(count: number): { entry: JournalEntry; order: number }[] {
    return this.indexes(count).map((at) => ({ entry: this.items[at] as JournalEntry, order: this.orders[at] as number }));
  }

  private indexes(count: number): number[] {
    const from = count < 0 ? 0 : Math.max(0, this.size - count);
    const out: number[] = [];
    for (let i = from; i < this.size; i++) out.push((this.start + i) % this.items.length);
    return out;
  }

  private grow(): void {
    const next = Math.min(this.maxEntries + 1, Math.max(16, this.items.length * 2));
    const kept = this.indexes(-1);
    this.orders = [...kept.map((at) => this.orders[at] as number), ...new Array<number>(next - this.size).fill(0)];
    this.items = [...kept.map((at) => this.items[at]), ...new Array<undefined>(next - this.size)];
    this.start = 0;
  }
}

export interface FileSink {
  write(entry: JournalEntry): void;
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
    if (event.kind !== 'log' && event.kind !== 'output') return;
    const order = this.recorded++;
    this.global.push(event, order);
    if (event.unit !== undefined) {
      let queue = this.perUnit.get(event.unit);
      if (!queue) this.perUnit.set(event.unit, (queue = new BoundedQueue(this.limits.linesPerUnit, this.limits.bytesPerUnit)));
      const before = queue.bytes;
      queue.push(event, order);
      this.unitBytes += queue.bytes - before;
      while (this.unitBytes > this.limits.bytesAllUnits && this.shrinkLargest());
    }
    this.sink?.write(event);
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
