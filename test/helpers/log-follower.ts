// Follows a child's output line by line, as the daemon's and `up`'s tests read it: what came so far, and
// a wait for a line that may already be there or is still to come (an event, never a sleep).
import type { ChildProcess } from 'node:child_process';
import { watchForInternalErrors } from './internal-errors.js';

export interface LogFollower<T> {
  /** Every entry so far, oldest first. */
  readonly entries: T[];
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** The first entry (already seen or future) that matches; rejects after `timeoutMs` with the output so far. */
  waitFor(match: (entry: T) => boolean, timeoutMs?: number): Promise<T>;
}

/**
 * Reads `child`'s stdout as lines, each checked for "Internal error" under `label`; `parse` turns a line into
 * an entry, or undefined to skip it. `show` renders an entry in a timeout's message.
 */
export function followLines<T>(child: ChildProcess, label: string, parse: (line: string) => T | undefined, show: (entry: T) => string): LogFollower<T> {
  const entries: T[] = [];
  const waiters: { match: (entry: T) => boolean; resolve: (entry: T) => void }[] = [];
  let pending = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      watchForInternalErrors(label, line);
      const entry = parse(line);
      if (entry === undefined) continue;
      entries.push(entry);
      for (const w of [...waiters]) if (w.match(entry)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(entry));
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    watchForInternalErrors(`${label} stderr`, chunk);
    stderr += chunk;
  });
  return {
    entries,
    stderr: () => stderr,
    waitFor(match, timeoutMs = 20_000) {
      const seen = entries.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no matching line within ${timeoutMs} ms; output:\n${entries.map(show).join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ match, resolve: (entry) => (clearTimeout(timer), ok(entry)) });
      });
    },
  };
}

/** A JSON log line of `--log-format json`; undefined for anything else. */
export function parseJsonLog<T>(line: string): T | undefined {
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
