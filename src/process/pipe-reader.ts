// The read end of a pipe to a child (a service's output, the exec helper's reports): one read(2) per
// readiness, as large as what waits (up to READ_BYTES), into one buffer all pipes share and reuse. Node's
// own pipe streams read 64 KiB at most, each into a new buffer: a flood then costs a stream event and a
// block of lines per 64 KiB, and fresh memory for every byte, which only a collection gives back (the page
// faults of that memory cost more than the read itself). It is an event emitter with a Readable's events
// ('data', 'end', 'error') and pause()/resume(), not a Readable: a paused pipe is simply not read, so it
// never buffers, and its end is one event, where a Readable's takes three ticks and a destroy (a tenth of
// the supervisor's CPU when every service stops at once).
import { EventEmitter } from 'node:events';
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
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

export class PipeReader extends EventEmitter {
  private readonly watch: FdWatch;
  private gathering: NodeJS.Timeout | undefined;
  /** The unfinished line of the last read, a copy of its own (see HELD_LINE_BYTES). */
  private held: Buffer | undefined;
  private flowing = false;
  private ended = false;

  /**
   * Takes `fd` (non-blocking) over: it is closed at the pipe's end or a read error. With `lines`, a chunk
   * ends where a line does (but at the pipe's end, or after a rest too long to hold or with a NUL). Nothing
   * is read before resume().
   */
  constructor(
    private readonly fd: number,
    private readonly lines = false,
  ) {
    super();
    this.watch = loadNative().watchReadable(fd, () => this.readWaiting());
  }

  /**
   * Reads on: each chunk goes to the 'data' listeners, the shared buffer's bytes, valid during the call only.
   * After a pause, 'resume' says so, as a Readable's (an exit waiting for the pipe's rest counts its time again).
   */
  resume(): this {
    const paused = !this.flowing;
    this.flowing = true;
    if (this.gathering === undefined && !this.ended) this.watch.start();
    if (paused) this.emit('resume');
    return this;
  }

  /** Reads no more until resume() (the watch fires once per start, and is not started again). */
  pause(): this {
    this.flowing = false;
    return this;
  }

  isPaused(): boolean {
    return !this.flowing;
  }

  private readWaiting(): void {
    if (!this.flowing || this.ended) return;
    const buffer = (shared ??= Buffer.allocUnsafeSlow(HELD_LINE_BYTES + READ_BYTES));
    const start = this.held?.copy(buffer) ?? 0;
    const n = loadNative().readPipe(this.fd, start === 0 ? buffer.subarray(0, READ_BYTES) : buffer.subarray(start, start + READ_BYTES));
    if (n === -constants.errno.EAGAIN) return this.watch.start();
    if (n <= 0) this.pushHeld();
    if (n === 0) return this.finish();
    // A read error (EIO from a vanished pty, ...) ends the pipe as an error.
    if (n < 0) return this.finish(Object.assign(new Error(`read: ${getSystemErrorName(n)}`), { code: getSystemErrorName(n), errno: n }));
    const end = this.lines ? this.wholeLinesEnd(buffer, start + n) : start + n;
    // The listeners get the shared buffer, valid during the call only (a listener that keeps a chunk copies it).
    if (end > 0) this.emit('data', buffer.subarray(0, end));
    // A listener paused it (a sink is full): it reads on at resume().
    if (!this.flowing) return;
    if (n >= SMALL_READ_BYTES) this.watch.start();
    else this.gathering ??= setTimeout(() => this.gathered(), GATHER_MS);
  }

  /** The pipe's end (or a read error): the fd is closed, then the listeners hear it. */
  private finish(error?: Error): void {
    this.ended = true;
    clearTimeout(this.gathering);
    this.watch.close();
    closeSync(this.fd);
    if (error === undefined) this.emit('end');
    else this.emit('error', error);
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
    if (this.held !== undefined) this.emit('data', this.held);
    this.held = undefined;
  }

  private gathered(): void {
    this.gathering = undefined;
    if (this.flowing) this.resume();
  }
}
