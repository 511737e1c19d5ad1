// The event-log contract (DESIGN.md): the event stream on stdout, as pino JSON lines or as
// journal-style text, without ever blocking the supervisor on a slow reader.
import type { LogLevel, ManagerEvent, OutputBlock } from '../manager/event-stream.js';
import { eachLineAfter, encodePieces, jsonEachLine, lineBlock, piecesLength, type Pieces } from '../protocol/output-block.js';
import { formatShortTimestamp } from '../common/timestamp.js';
import { isPrintable, printableMessage } from '../common/printable.js';
import type { OutputFlow } from '../process/output-flow.js';
import { openOutlet } from './log-outlet.js';
import { loadNative } from '../process/native.js';
import { OutputArena, type ArenaSlice } from './output-arena.js';

export type LogFormat = 'json' | 'text';

export interface EventLog {
  write(event: ManagerEvent): void;
  /** A unit's output lines read at once: their log lines made in one go; true when framed into reused memory (none made anew). */
  output(block: OutputBlock): boolean;
  /** Writes text as is, in order with the log lines (the console status on a terminal). */
  raw(text: string): void;
  /** Resolves once everything buffered is written (or the reader is gone); awaited before exit so that no line is lost. */
  drain(): Promise<void>;
}

type PinoLevel = 'debug' | 'info' | 'warn' | 'error';

const PINO_LEVEL: Record<LogLevel, PinoLevel> = {
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

/** Whether the text is ASCII, its UTF-8 as long as it is (a flat string's length in bytes is counted fast). */
const isAscii = (text: string): boolean => Buffer.byteLength(text) === text.length;

type OutputEvent = Extract<ManagerEvent, { kind: 'output' }>;
/** What an output line's head depends on. */
type OutputSource = Pick<OutputEvent, 'time' | 'unit' | 'pid' | 'stream'>;

/** An output line's text before its message, made anew only when its time, unit, pid or stream changes (a flood's lines share it). */
function lineHead(make: (event: OutputSource) => string): (event: OutputSource) => string {
  let last: OutputSource | undefined;
  let text = '';
  return (event) => {
    if (last === undefined || event.time !== last.time || event.pid !== last.pid || event.unit !== last.unit || event.stream !== last.stream) text = make((last = event));
    return text;
  };
}

/**
 * A block's log lines made from its bytes in one native pass (the bulk of a flood), each as `head` and
 * `open`, the line, `close`; undefined when the block has no bytes or a byte in them needs more than
 * copying (an escape, a character journalctl hides, anything but ASCII).
 */
function byteFramer(json: boolean, open: string, close: string, arena: OutputArena): (block: OutputBlock, head: string) => ArenaSlice | undefined {
  const { frameLines } = loadNative();
  const after = Buffer.from(close);
  let head = '';
  let before = Buffer.from(open);
  return (block, nextHead) => {
    const bytes = block.bytes;
    if (bytes === undefined) return undefined;
    if (nextHead !== head) before = Buffer.from(`${(head = nextHead)}${open}`);
    const slice = arena.take(bytes.length + block.count * (before.length + after.length - 1));
    if (frameLines(bytes, block.count, before, after, json, slice.data) >= 0) return slice;
    slice.release();
    return undefined;
  };
}

/** Bytes of log waiting for stdout beyond which services' output pipes wait; they are read on below a quarter of it. */
const HIGH_WATER_BYTES = 1024 * 1024;
/**
 * Bytes waiting at most when stdout is stuck: beyond it, what is not held back is dropped. The batched
 * text (the supervisor's own messages) may have this much waiting; a block of a service's output is taken
 * whole while less than this waits in all, since one read of a pipe framed as short lines is larger by
 * itself (256 KiB of empty lines are 28 MB of JSON) and its lines are not dropped for a reader that
 * keeps up. What services print beyond the high-water mark is held back in their pipes; past this, the
 * pipes of exited processes (read past the mark) wait too, until no more than half of it waits.
 */
const MAX_WAITING_BYTES = 16 * 1024 * 1024;
/** Text is encoded and handed on in pieces of about this many characters: one huge string of many lines costs more to flatten than its pieces. */
const PIECE_CHARS = 64 * 1024;

export function createEventLog(options: { format: LogFormat; fd?: number; colour?: boolean; debug?: boolean; flow?: OutputFlow }): EventLog {
  // Never blocks the supervisor on a slow reader. Past the high-water mark, services' output pipes are
  // held back (their write() waits, as under journald) instead of lines being dropped. A burst is
  // batched here into writes of a piece each, the rest at the end of the turn of the event loop.
  const outlet = openOutlet(options.fd ?? 1);
  const arena = new OutputArena();
  const level = options.flow?.level(HIGH_WATER_BYTES, MAX_WAITING_BYTES);
  // Bytes handed to the outlet and not yet written, and how many of them are batched text.
  let waiting = 0;
  let waitingText = 0;
  // A reader that went away (EPIPE) ends the log, not the supervisor: later lines are dropped.
  let gone = false;
  const drained: (() => void)[] = [];
  let batch = '';
  let scheduled = false;
  const ease = () => {
    level?.(gone ? 0 : waiting + batch.length);
    if (waiting === 0 || gone) for (const done of drained.splice(0)) done();
  };
  outlet.onGone(() => ((gone = true), ease()));
  const endOfTurn = () => {
    scheduled = false;
    destination.hand();
  };
  const destination = {
    write(line: string) {
      batch += line;
      if (batch.length >= PIECE_CHARS) destination.hand();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(endOfTurn);
      }
      if (!gone) level?.(waiting + batch.length);
    },
    /** A block's text: handed on as it is unless small; `ascii` when every piece is. */
    writePieces(pieces: Pieces, ascii: boolean) {
      if (piecesLength(pieces) < PIECE_CHARS / 4) destination.write(pieces.join(''));
      else {
        // What is batched went first.
        destination.hand();
        destination.send(encodePieces(pieces, ascii), undefined, true);
      }
    },
    /** ASCII framed in the arena, handed on as it is (a copy into a string and out again would outlive a slow reader's wait as garbage). */
    writeSlice({ data, release }: ArenaSlice) {
      destination.hand();
      destination.send(data, release, true);
    },
    hand() {
      const text = batch;
      batch = '';
      // Output is mostly ASCII, where latin1 is the same bytes and many times cheaper to encode than UTF-8.
      if (text !== '') destination.send(isAscii(text) ? Buffer.from(text, 'latin1') : Buffer.from(text));
    },
    /** `data` to the outlet, a block of a service's output or batched text; `written` once it left (or never will). */
    send(data: Buffer, written: () => void = () => undefined, block = false) {
      if (gone || (block ? waiting > MAX_WAITING_BYTES : waitingText + data.length > MAX_WAITING_BYTES)) return written();
      const text = block ? 0 : data.length;
      waiting += data.length;
      waitingText += text;
      level?.(waiting);
      outlet.write(data, () => {
        waiting -= data.length;
        waitingText -= text;
        written();
        ease();
      });
    },
    drain(): Promise<void> {
      destination.hand();
      return waiting === 0 || gone ? Promise.resolve() : new Promise((done) => drained.push(done));
    },
  };
  if (options.format === 'json') {
    const head = lineHead((e) => `{"level":"info","time":${e.time},"unit":${JSON.stringify(e.unit)},"pid":${e.pid},"stream":"${e.stream}","msg":`);
    const frame = byteFramer(true, '"', '"}\n', arena);
    const output = (block: OutputBlock) => {
      const before = head(block);
      const framed = frame(block, before);
      if (framed) destination.writeSlice(framed);
      else destination.writePieces(jsonEachLine(block.text, before, '}'), isAscii(block.text) && isAscii(before));
      return framed !== undefined;
    };
    // pino's line (its level label first, then the fields, then msg; undefined fields left out), written
    // without pino: its modules cost the daemon megabytes of memory for what JSON.stringify writes alike.
    // `fields` is one literal in that order, level first and msg last: a spread into a new object per line
    // would take V8's slow cloning path.
    const line = <Fields extends { readonly level: PinoLevel; readonly msg: string }>(fields: Fields) => {
      if (fields.level !== 'debug' || options.debug === true) destination.write(`${JSON.stringify(fields)}\n`);
    };
    return {
      write(event) {
        switch (event.kind) {
          case 'log':
            line({ level: PINO_LEVEL[event.level], time: event.time, unit: event.unit, msg: event.msg });
            break;
          case 'output':
            output(lineBlock(event));
            break;
          // Debug lines only: not even made without --debug (a stop of many units has several of each per unit).
          case 'state':
            if (options.debug !== true) break;
            line({
              level: 'debug',
              time: event.time,
              unit: event.unit,
              old: event.old,
              new: event.new,
              sub: event.sub,
              result: event.result,
              msg: `${event.unit}: Changed ${event.oldSub} -> ${event.sub}`,
            });
            break;
          case 'job':
            if (options.debug !== true) break;
            line({
              level: 'debug',
              time: event.time,
              unit: event.unit,
              job: event.id,
              type: event.type,
              step: event.step,
              result: event.result,
              msg:
                event.step === 'finished'
                  ? `${event.unit}: Job ${event.id} ${event.unit}/${event.type} finished, result=${event.result ?? 'done'}`
                  : `${event.unit}: Job ${event.id} ${event.unit}/${event.type} ${event.step}`,
            });
            break;
        }
      },
      // Output is the bulk of the log: a block's lines share their head, made once per millisecond and process.
      output,
      raw: (text) => destination.write(text),
      drain: () => destination.drain(),
    };
  }
  const colourFor = unitColours();
  const paint = (unit: string, text: string) => (options.colour ? `\x1b[${colourFor(unit)}m${text}\x1b[0m` : text);
  // Lines of one millisecond share their stamp.
  let stampTime = NaN;
  let stampText = '';
  const head = lineHead((e) => `${formatShortTimestamp(e.time, true)} ${paint(e.unit, `${e.unit}[${e.pid}]:`)} `);
  // Colour and control sequences come from unitvisor only, never from what a service printed.
  const frame = byteFramer(false, '', '\n', arena);
  const output = (block: OutputBlock) => {
    const before = head(block);
    const framed = frame(block, before);
    if (framed) destination.writeSlice(framed);
    else destination.writePieces(eachLineAfter(block.text, before, isPrintable, printableMessage), isAscii(block.text) && isAscii(before));
    return framed !== undefined;
  };
  return {
    output,
    write(event) {
      if (event.kind === 'output') output(lineBlock(event));
      else {
        if (event.time !== stampTime) stampText = formatShortTimestamp((stampTime = event.time), true);
        const stamp = stampText;
        if (event.kind === 'log') destination.write(`${stamp} ${printableMessage(event.msg)}\n`);
        else if (options.debug && event.kind === 'state') destination.write(`${stamp} ${event.unit}: Changed ${event.oldSub} -> ${event.sub}\n`);
      }
    },
    raw: (text) => destination.write(text),
    drain: () => destination.drain(),
  };
}
