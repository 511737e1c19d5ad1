// The event-log contract (DESIGN.md): the event stream on stdout, as pino JSON lines or as
// journal-style text, without ever blocking the supervisor on a slow reader.
import pino from 'pino';
import type { LogLevel, ManagerEvent } from '../manager/event-stream.js';
import { formatShortTimestamp } from '../common/timestamp.js';
import { printableMessage } from '../common/printable.js';

export type LogFormat = 'json' | 'text';

export interface EventLog {
  write(event: ManagerEvent): void;
  /** Writes text as is, in order with the log lines (the console status on a terminal). */
  raw(text: string): void;
  /** Resolves once everything buffered is written (or the reader is gone); awaited before exit so that no line is lost. */
  drain(): Promise<void>;
}

const PINO_LEVEL: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
};

/** Distinct, readable ANSI colours, handed to units in the order they first print: no two of the first 12 share one. */
export const UNIT_COLOURS = [36, 33, 32, 35, 34, 91, 96, 93, 92, 95, 94, 37] as const;

/** The colour of each unit, given on first use (bounded by the number of units). */
function unitColours(): (unit: string) => number {
  const given = new Map<string, number>();
  return (unit) => {
    let colour = given.get(unit);
    if (colour === undefined) given.set(unit, (colour = UNIT_COLOURS[given.size % UNIT_COLOURS.length] as number));
    return colour;
  };
}

export function createEventLog(options: { format: LogFormat; fd?: number; colour?: boolean; debug?: boolean }): EventLog {
  // Never blocks on a slow reader (sync: false); maxLength caps memory when stdout is stuck. A burst is
  // batched here into one write per turn of the event loop. sonic-boom's own minLength batching is not
  // used: a flush() that arrives while a write is in flight is dropped, and the lines buffered behind it
  // would wait for the next burst (a quiet service's last line never showed).
  const buffered = pino.destination({ dest: options.fd ?? 1, sync: false, minLength: 0, maxLength: 16 * 1024 * 1024 });
  // A reader that went away (EPIPE) ends the log, not the supervisor: later lines are dropped.
  let gone = false;
  let writing = false;
  const drained: (() => void)[] = [];
  const settle = () => {
    writing = false;
    for (const done of drained.splice(0)) done();
  };
  buffered.on('drain', settle);
  buffered.on('error', () => ((gone = true), settle()));
  let batch = '';
  const destination = {
    write(line: string) {
      if (batch === '') setImmediate(() => destination.hand());
      batch += line;
    },
    hand() {
      if (batch === '') return;
      if (!gone) {
        writing = true;
        buffered.write(batch);
      }
      batch = '';
    },
    drain(): Promise<void> {
      destination.hand();
      return writing ? new Promise((done) => drained.push(done)) : Promise.resolve();
    },
  };
  const minLevel = options.debug ? 'debug' : 'info';
  if (options.format === 'json') {
    const logger = pino({ level: minLevel, base: undefined, timestamp: false, formatters: { level: (label) => ({ level: label }) } }, destination);
    return {
      write(event) {
        switch (event.kind) {
          case 'log':
            logger[PINO_LEVEL[event.level]]({ time: event.time, ...(event.unit !== undefined ? { unit: event.unit } : {}) }, event.msg);
            break;
          case 'output':
            logger.info({ time: event.time, unit: event.unit, pid: event.pid, stream: event.stream }, event.line);
            break;
          case 'state':
            logger.debug(
              { time: event.time, unit: event.unit, old: event.old, new: event.new, sub: event.sub, result: event.result },
              `${event.unit}: Changed ${event.oldSub} -> ${event.sub}`,
            );
            break;
          case 'job':
            logger.debug(
              { time: event.time, unit: event.unit, job: event.id, type: event.type, step: event.step, result: event.result },
              event.step === 'finished'
                ? `${event.unit}: Job ${event.id} ${event.unit}/${event.type} finished, result=${event.result ?? 'done'}`
                : `${event.unit}: Job ${event.id} ${event.unit}/${event.type} ${event.step}`,
            );
            break;
        }
      },
      raw: (text) => destination.write(text),
      drain: () => destination.drain(),
    };
  }
  const colourFor = unitColours();
  const paint = (unit: string, text: string) => (options.colour ? `\x1b[${colourFor(unit)}m${text}\x1b[0m` : text);
  return {
    write(event) {
      const stamp = formatShortTimestamp(event.time, true);
      // Colour and control sequences come from unitvisor only, never from what a service printed.
      if (event.kind === 'log') destination.write(`${stamp} ${printableMessage(event.msg)}\n`);
      else if (event.kind === 'output') destination.write(`${stamp} ${paint(event.unit, `${event.unit}[${event.pid}]:`)} ${printableMessage(event.line)}\n`);
      else if (options.debug && event.kind === 'state') destination.write(`${stamp} ${event.unit}: Changed ${event.oldSub} -> ${event.sub}\n`);
    },
    raw: (text) => destination.write(text),
    drain: () => destination.drain(),
  };
}
