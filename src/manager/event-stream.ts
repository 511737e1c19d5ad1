// The one typed event stream: every state change, job step, log line and unit output line.
// The journal, `logs`, the daemon's stdout, the API's on('event') and waitFor() all read it.
import type { ManagerEvent } from '../protocol/events.js';

export type { LogLevel, ManagerEvent, JournalEntry } from '../protocol/events.js';

export type Listener = (event: ManagerEvent) => void;

/** Synchronous fan-out; a listener that throws is removed and reported, never breaking the others. */
export class EventStream {
  private readonly listeners = new Set<Listener>();
  /** The listeners as an array, made anew when they change (not per event: an event per output line). */
  private snapshot: readonly Listener[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.snapshot = [...this.listeners];
    return () => this.remove(listener);
  }

  emit(event: ManagerEvent): void {
    for (const listener of this.snapshot) {
      try {
        listener(event);
      } catch (error) {
        this.remove(listener);
        this.onListenerError(error);
      }
    }
  }

  private remove(listener: Listener): boolean {
    const removed = this.listeners.delete(listener);
    if (removed) this.snapshot = [...this.listeners];
    return removed;
  }
}
