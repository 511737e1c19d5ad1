// The one typed event stream: every state change, job step, log line and unit output line.
// The journal, `logs`, the daemon's stdout, the API's on('event') and waitFor() all read it.
import type { ManagerEvent } from '../protocol/events.js';
import { blockEntries, ownedBlock, type OutputBlock } from '../protocol/output-block.js';

export type { LogLevel, ManagerEvent, JournalEntry } from '../protocol/events.js';
export type { OutputBlock } from '../protocol/output-block.js';

export type Listener = (event: ManagerEvent) => void;
/** Takes a unit's output as it was read, a block of lines at once, instead of an 'output' event per line. */
export type OutputListener = (block: OutputBlock) => void;

interface Subscriber {
  readonly listener: Listener;
  readonly onOutput: OutputListener | undefined;
  /** Reads each block during the call only: it gets the block as read, not a copy it may keep. */
  readonly readsAtOnce: boolean;
}

/** Synchronous fan-out; a listener that throws is removed and reported, never breaking the others. */
export class EventStream {
  private readonly subscribers = new Set<Subscriber>();
  /** The subscribers as an array, made anew when they change (not per event: output comes in floods). */
  private snapshot: readonly Subscriber[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /**
   * Every event to `listener`; output to `onOutput` in blocks when given, else to `listener` line by line.
   * A block's bytes may be memory the next read reuses: `onOutput` gets a copy it may keep, unless it
   * `readsAtOnce` (the journal, the event log: a flood then copies nothing).
   */
  subscribe(listener: Listener, onOutput?: OutputListener, readsAtOnce = false): () => void {
    const subscriber = { listener, onOutput, readsAtOnce };
    this.subscribers.add(subscriber);
    this.snapshot = [...this.subscribers];
    return () => this.remove(subscriber);
  }

  emit(event: ManagerEvent): void {
    for (const subscriber of this.snapshot) {
      try {
        subscriber.listener(event);
      } catch (error) {
        this.fail(subscriber, error);
      }
    }
  }

  /** A unit's output: split into line events only if some listener takes lines. */
  emitOutput(block: OutputBlock): void {
    let lines: ManagerEvent[] | undefined;
    let owned: OutputBlock | undefined;
    for (const subscriber of this.snapshot) {
      try {
        if (subscriber.onOutput) subscriber.onOutput(subscriber.readsAtOnce ? block : (owned ??= ownedBlock(block)));
        else for (const event of (lines ??= blockEntries(block))) subscriber.listener(event);
      } catch (error) {
        this.fail(subscriber, error);
      }
    }
  }

  private fail(subscriber: Subscriber, error: unknown): void {
    this.remove(subscriber);
    this.onListenerError(error);
  }

  private remove(subscriber: Subscriber): boolean {
    const removed = this.subscribers.delete(subscriber);
    if (removed) this.snapshot = [...this.subscribers];
    return removed;
  }
}
