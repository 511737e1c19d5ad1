// The read end of a pipe to a child (a service's output, the exec helper's reports) as a stream: one
// read(2) per readiness, as large as what waits (up to READ_BYTES), into one buffer all pipes share and
// reuse. Node's own pipe streams read 64 KiB at most, each into a new buffer: a flood then costs a stream
// event and a block of lines per 64 KiB, and fresh memory for every byte, which only a collection gives
// back (the page faults of that memory cost more than the read itself).
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { Readable } from 'node:stream';
import { getSystemErrorName } from 'node:util';
import { loadNative, type FdWatch } from './native.js';

/** The most one read takes: what a service's output pipe holds (spawn-process.inc.c). */
export const READ_BYTES = 256 * 1024;
/**
 * A read smaller than this is followed by a pause of GATHER_MS before the pipe is watched again: a flood
 * written in small writes (4 KiB at a time from `head`, a line at a time from many programs) is then read
 * in blocks of what a millisecond brings, not a write at a time, each with its wake-up, block of lines and
 * write to the log. A line waits at most that long.
 */
const SMALL_READ_BYTES = 64 * 1024;
const GATHER_MS = 1;
/**
 * A pipe of lines holds a read's unfinished last line up to this long for the next read, which goes in
 * behind it: a read is then one block of whole lines, where the line cut between two reads was a block of
 * its own (its own pass through the journal and the event log). A longer rest is handed on as it is.
 */
const HELD_LINE_BYTES = 4096;
const NEWLINE = 0x0a;
const NUL = 0x00;

/** Reads are synchronous, so one buffer serves every pipe (a held line, then a read); made at the first read. */
let shared: Buffer | undefined;

export class PipeReader extends Readable {
  private readonly watch: FdWatch;
  private gathering: NodeJS.Timeout | undefined;
  /** The unfinished line of the last read, a copy of its own (see HELD_LINE_BYTES). */
  private held: Buffer | undefined;

  /**
   * Takes `fd` (non-blocking) over: it is closed when the stream ends or is destroyed. With `lines`, a
   * chunk ends where a line does (but at the pipe's end, or after a rest too long to hold or with a NUL).
   */
  constructor(
    private readonly fd: number,
    private readonly lines = false,
  ) {
    super();
    this.watch = loadNative().watchReadable(fd, () => this.readWaiting());
    this.on('resume', () => this.readOn());
  }

  override _read(): void {
    this.readOn();
  }

  /**
   * Only a flowing stream reads (Readable asks a paused one to fill its buffer too): a chunk it kept would
   * be a copy out of the shared buffer, fresh memory per read. It reads on when resumed, or once gathered.
   */
  private readOn(): void {
    if (this.readableFlowing === true && this.gathering === undefined) this.watch.start();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.gathering);
    this.watch.close();
    closeSync(this.fd);
    callback(error);
  }

  private readWaiting(): void {
    const buffer = (shared ??= Buffer.allocUnsafeSlow(HELD_LINE_BYTES + READ_BYTES));
    const start = this.held?.copy(buffer) ?? 0;
    const n = loadNative().readPipe(this.fd, start === 0 ? buffer.subarray(0, READ_BYTES) : buffer.subarray(start, start + READ_BYTES));
    if (n === -constants.errno.EAGAIN) return this.watch.start();
    if (n <= 0) this.pushHeld();
    if (n === 0) return void this.push(null);
    // A read error (EIO from a vanished pty, ...) ends the stream as an error.
    if (n < 0) return void this.destroy(Object.assign(new Error(`read: ${getSystemErrorName(n)}`), { code: getSystemErrorName(n), errno: n }));
    const end = this.lines ? this.wholeLinesEnd(buffer, start + n) : start + n;
    // A flowing stream with nothing buffered hands the chunk to its 'data' listeners at once: they get
    // the shared buffer, valid during the call only (readBlocks() says so to its caller; a listener that
    // keeps a chunk copies it), emitted here rather than pushed, which would emit it alike and then ask
    // for more on the next tick (this reads on by itself below). A chunk the stream keeps (it is paused)
    // is a copy, pushed.
    const now = this.readableFlowing === true && this.readableLength === 0 && this.listenerCount('data') > 0;
    if (end > 0 && now) this.emit('data', buffer.subarray(0, end));
    // A paused stream (its 'data' listener paused it: a sink is full) or one past its mark reads on at _read().
    else if (end > 0 && !this.push(Buffer.from(buffer.subarray(0, end)))) return;
    if (this.readableFlowing !== true) return;
    if (n >= SMALL_READ_BYTES) this.watch.start();
    else this.gathering ??= setTimeout(() => this.gathered(), GATHER_MS);
  }

  /** Where the whole lines of buffer[0, length) end; the rest after them is held when it may be. */
  private wholeLinesEnd(buffer: Buffer, length: number): number {
    const end = buffer.lastIndexOf(NEWLINE, length - 1) + 1;
    const rest = buffer.subarray(end, length);
    this.held = rest.length > 0 && rest.length <= HELD_LINE_BYTES && !rest.includes(NUL) ? Buffer.from(rest) : undefined;
    return this.held === undefined ? length : end;
  }

  /** The held line, at the pipe's end: a last line without "\n". */
  private pushHeld(): void {
    if (this.held !== undefined) this.push(this.held);
    this.held = undefined;
  }

  private gathered(): void {
    this.gathering = undefined;
    this.readOn();
  }
}
