// Bounded per-unit memory of log and output events (a small journald), with an optional
// rotating file sink, so that endless output never grows memory.
import type { JournalEntry, ManagerEvent } from '../protocol/events.js';

/** Fixed-capacity ring buffer: O(1) push, oldest entries dropped first. */
class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[(this.start + this.size) % this.capacity] = item;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}

export interface FileSink {
  write(entry: JournalEntry): void;
  close(): void;
}

export class Journal {
  private readonly perUnit = new Map<string, Ring<JournalEntry>>();
  private readonly global: Ring<JournalEntry>;

  constructor(
    private readonly linesPerUnit = 1000,
    globalLines = 5000,
    private readonly sink?: FileSink,
  ) {
    this.global = new Ring(globalLines);
  }

  record(event: ManagerEvent): void {
    if (event.kind !== 'log' && event.kind !== 'output') return;
    this.global.push(event);
    if (event.unit !== undefined) {
      let ring = this.perUnit.get(event.unit);
      if (!ring) this.perUnit.set(event.unit, (ring = new Ring(this.linesPerUnit)));
      ring.push(event);
    }
    this.sink?.write(event);
  }

  /** The last `lines` entries of the given units (all entries when `units` is empty), oldest first. */
  tail(units: readonly string[], lines: number): JournalEntry[] {
    const entries =
      units.length === 0
        ? this.global.toArray()
        : units
            .flatMap((u) => this.perUnit.get(u)?.toArray() ?? [])
            .sort((a, b) => a.time - b.time);
    return lines >= 0 ? entries.slice(Math.max(0, entries.length - lines)) : entries;
  }

  close(): void {
    this.sink?.close();
  }
}
