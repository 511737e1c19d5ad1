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

/** Reads are synchronous, so one buffer serves every pipe; made at the first read. */
let shared: Buffer | undefined;

export class PipeReader extends Readable {
  private readonly watch: FdWatch;
  private gathering: NodeJS.Timeout | undefined;

  /** Takes `fd` (non-blocking) over: it is closed when the stream ends or is destroyed. */
  constructor(private readonly fd: number) {
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
    const buffer = (shared ??= Buffer.allocUnsafeSlow(READ_BYTES));
    const n = loadNative().readPipe(this.fd, buffer);
    if (n === -constants.errno.EAGAIN) return this.watch.start();
    if (n === 0) return void this.push(null);
    // A read error (EIO from a vanished pty, ...) ends the stream as an error.
    if (n < 0) return void this.destroy(Object.assign(new Error(`read: ${getSystemErrorName(n)}`), { code: getSystemErrorName(n), errno: n }));
    // A flowing stream with nothing buffered hands the chunk to its 'data' listeners at once: they get
    // the shared buffer, valid during the call only (readBlocks() says so to its caller; a listener that
    // keeps a chunk copies it). A chunk the stream keeps (it is paused) is a copy.
    const now = this.readableFlowing === true && this.readableLength === 0 && this.listenerCount('data') > 0;
    const chunk = now ? buffer.subarray(0, n) : Buffer.from(buffer.subarray(0, n));
    // A paused stream (its 'data' listener paused it: a sink is full) or one past its mark reads on at _read().
    if (!this.push(chunk) || this.readableFlowing !== true) return;
    if (n >= SMALL_READ_BYTES) this.watch.start();
    else this.gathering ??= setTimeout(() => this.gathered(), GATHER_MS);
  }

  private gathered(): void {
    this.gathering = undefined;
    this.readOn();
  }
}
