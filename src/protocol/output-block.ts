// A service's output as it is read: the whole lines of one read from its pipe, kept together as one
// string. A flood costs per read, not per line: the event log, the journal and its file format a block at
// once, and only those who need single lines (readiness probes, followers) split it.
import type { JournalEntry } from './events.js';

/** Lines read at once. */
export interface Lines {
  /** How many lines there are. */
  readonly count: number;
  /** The lines, each followed by "\n" (decoded from `bytes` when first asked for). */
  readonly text: string;
  /**
   * The bytes read, when they are nothing but the lines, each ended by "\n" (no NUL ended one, none was
   * cut). As delivered by a pipe's reader they are valid during the delivery only (the next read reuses
   * their memory, so that a flood allocates nothing); `ownedBlock()` keeps a block for later.
   */
  readonly bytes: Buffer | undefined;
}

/** Lines one process printed on one stream, read at one moment. */
export interface OutputBlock extends Lines {
  readonly time: number;
  readonly unit: string;
  readonly pid: number;
  /** The syslog identifier journald would use: SyslogIdentifier=, else the executable's name. */
  readonly ident: string;
  readonly stream: 'stdout' | 'stderr';
}

/** The lines as a unit's output block; their text is still decoded only when asked for. */
export const outputBlock = (source: Omit<OutputBlock, keyof Lines>, lines: Lines): OutputBlock => new UnitLines(source, lines);

class UnitLines implements OutputBlock {
  readonly time: number;
  readonly unit: string;
  readonly pid: number;
  readonly ident: string;
  readonly stream: 'stdout' | 'stderr';
  readonly count: number;
  readonly bytes: Buffer | undefined;

  constructor(
    source: Omit<OutputBlock, keyof Lines>,
    private readonly lines: Lines,
  ) {
    ({ time: this.time, unit: this.unit, pid: this.pid, ident: this.ident, stream: this.stream } = source);
    this.count = lines.count;
    this.bytes = lines.bytes;
  }

  get text(): string {
    return this.lines.text;
  }
}

/** Lines as bytes, decoded only when someone reads their text (the event log formats the bytes). */
export class ByteLines implements Lines {
  private decoded: string | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly count: number,
  ) {}

  get text(): string {
    return (this.decoded ??= this.bytes.toString('utf8'));
  }
}

/** The block with bytes of its own, valid for as long as it is kept. */
export function ownedBlock(block: OutputBlock): OutputBlock {
  const { time, unit, pid, ident, stream, count, bytes } = block;
  return bytes === undefined ? block : outputBlock({ time, unit, pid, ident, stream }, new ByteLines(Buffer.from(bytes), count));
}

/** One output line as a block of one. */
export function lineBlock({ time, unit, pid, ident, stream, line }: Extract<JournalEntry, { kind: 'output' }>): OutputBlock {
  return { time, unit, pid, ident, stream, count: 1, text: `${line}\n`, bytes: undefined };
}

/** Lines given as text. */
export const textLines = (text: string, count: number): Lines => ({ count, text, bytes: undefined });

/** The lines of a block's text, without their "\n". */
export function blockLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

/** The block's lines as the journal's output entries (the field order of the event stream's). */
export function blockEntries(block: OutputBlock): JournalEntry[] {
  const { time, unit, pid, ident, stream } = block;
  return blockLines(block.text).map((line) => ({ kind: 'output', time, unit, pid, ident, stream, line }));
}

/** `text` as replaceAll()'s replacement, its "$" patterns taken literally. */
const literally = (text: string): string => text.replaceAll('$', '$$$$');

/** What JSON.stringify() escapes in a string, "\n" left out (it separates the lines). */
const JSON_ESCAPED = /["\\\x00-\x09\x0b-\x1f\ud800-\udfff]/;

/**
 * Text made of a block's lines, as the pieces it is made of, in order: a block becomes one piece the size
 * of its text and two small ones, never a string of small strings that has to be flattened.
 */
export type Pieces = readonly string[];

/**
 * Each line as `${before}${JSON.stringify(line)}${after}\n`. A block without a character JSON escapes
 * (most output) is made with one replaceAll(); the others line by line.
 */
export function jsonEachLine(text: string, before: string, after: string): Pieces {
  if (text === '') return [];
  if (!JSON_ESCAPED.test(text)) return [`${before}"`, text.slice(0, -1).replaceAll('\n', literally(`"${after}\n${before}"`)), `"${after}\n`];
  let out = '';
  for (const line of blockLines(text)) out += `${before}${JSON.stringify(line)}${after}\n`;
  return [out];
}

/** Each line as `${head}${line}\n`, or `${head}${instead(line)}\n` for every line when `plain` is false for the block. */
export function eachLineAfter(text: string, head: string, plain: (text: string) => boolean, instead: (line: string) => string): Pieces {
  if (text === '') return [];
  if (plain(text)) return [head, text.slice(0, -1).replaceAll('\n', literally(`\n${head}`)), '\n'];
  let out = '';
  for (const line of blockLines(text)) out += `${head}${instead(line)}\n`;
  return [out];
}

/** How many characters the pieces hold. */
export const piecesLength = (pieces: Pieces): number => pieces.reduce((sum, piece) => sum + piece.length, 0);

/** The pieces as UTF-8 in one buffer; ASCII (`ascii`) is copied as latin1, many times cheaper to encode. */
export function encodePieces(pieces: Pieces, ascii: boolean): Buffer {
  if (!ascii) return Buffer.from(pieces.join(''));
  const data = Buffer.allocUnsafe(piecesLength(pieces));
  let at = 0;
  for (const piece of pieces) at += data.write(piece, at, 'latin1');
  return data;
}
