// Where the event log's text goes: stdout (or another fd), written without ever blocking the supervisor.
// A pipe or socket (docker logs, `| tee`, a test reading the daemon) is written as a libuv stream, which
// waits for the reader with poll(): sonic-boom's fs.write() meets EAGAIN on a non-blocking pipe and
// retries only after 100 ms, which held the whole log (and, through backpressure, the services) to a
// crawl. A file or terminal is written with fs.write() in libuv's thread pool, off the event loop.
import { fstatSync, write } from 'node:fs';
import { Socket } from 'node:net';
import { loadNative } from '../process/native.js';

export interface Outlet {
  /** Hands `data` on; `written` is called once it left (or never will: the reader is gone). */
  write(data: Buffer, written: () => void): void;
  /** `gone` is called when the reader went away (EPIPE): nothing more is written. */
  onGone(gone: () => void): void;
}

export function openOutlet(fd: number): Outlet {
  let streamLike = false;
  try {
    const stat = fstatSync(fd);
    streamLike = stat.isFIFO() || stat.isSocket();
  } catch {
    // An fd that cannot be inspected is written as a file: its first write says what goes wrong.
  }
  return streamLike ? streamOutlet(fd) : fileOutlet(fd);
}

/** What the reader's pipe or socket is asked to hold: a flood's block of log lines (up to about 550 KiB) in one write. */
const STREAM_BUFFER_BYTES = 1024 * 1024;

function streamOutlet(fd: number): Outlet {
  const { growWriteBuffer, writeBuffers } = loadNative();
  // Best effort (a pipe of 64 KiB, a socket of 208 KiB by default): each write the pipe cannot take waits
  // for the reader, a wake-up on both sides.
  growWriteBuffer(fd, STREAM_BUFFER_BYTES);
  // process.stdout is already a stream on fd 1 (non-blocking, as libuv opens a pipe or socket); a second
  // handle on the same fd would fight it in epoll.
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : new Socket({ fd, readable: false, writable: true });
  // What is written in one turn of the event loop leaves at its end in one writev() of our own, which wakes
  // the reader once: through the stream's Writable, a flood's block of lines cost more than the system
  // call. What the reader's buffer cannot take goes on through the stream, which waits for the reader,
  // and so does everything while anything waits in it (so that the bytes stay in order). An error (the
  // reader went away) is left to the stream to meet and report.
  let turn: { data: Buffer; written: () => void }[] = [];
  const flush = () => {
    const writes = turn;
    turn = [];
    let sent = stream.writableLength === 0 ? Math.max(0, writeBuffers(fd, writes.map((w) => w.data))) : 0;
    for (const { data, written } of writes) {
      if (sent >= data.length) {
        sent -= data.length;
        written();
      } else {
        stream.write(sent > 0 ? data.subarray(sent) : data, () => written());
        sent = 0;
      }
    }
  };
  return {
    write(data, written) {
      if (turn.push({ data, written }) === 1) setImmediate(flush);
    },
    onGone: (gone) => void stream.on('error', gone),
  };
}

/** How long a write that met EAGAIN (a terminal another program set non-blocking) waits before it tries again. */
const RETRY_MS = 10;

/** One write in flight at a time, in order; a write error (the disk is full, the fd was closed) ends the log. */
function fileOutlet(fd: number): Outlet {
  const queue: { data: Buffer; written: () => void }[] = [];
  let onGone = () => {};
  let ended = false;
  const end = () => {
    ended = true;
    onGone();
    for (const { written } of queue.splice(0)) written();
  };
  const pump = (offset: number) => {
    const head = queue[0];
    if (head === undefined || ended) return;
    write(fd, head.data, offset, head.data.length - offset, null, (error, count) => {
      if (error?.code === 'EAGAIN') return void setTimeout(() => pump(offset), RETRY_MS);
      if (error) return end();
      if (offset + count < head.data.length) return pump(offset + count);
      queue.shift();
      head.written();
      pump(0);
    });
  };
  return {
    write(data, written) {
      if (ended) return written();
      queue.push({ data, written });
      if (queue.length === 1) pump(0);
    },
    onGone(gone) {
      onGone = gone;
    },
  };
}
