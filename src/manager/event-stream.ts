// The one typed event stream: every state change, job step, log line and unit output line.
// The journal, `logs`, the daemon's stdout, the API's on('event') and waitFor() all read it.
import type { ManagerEvent } from '../protocol/events.js';

export type { LogLevel, ManagerEvent, JournalEntry } from '../protocol/events.js';

export type Listener = (event: ManagerEvent) => void;

/** Synchronous fan-out; a listener that throws is removed and reported, never breaking the others. */
export class EventStream {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ManagerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.listeners.delete(listener);
        this.onListenerError(error);
      }
    }
  }
}
