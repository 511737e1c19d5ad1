// Where the event log's text goes: stdout (or another fd), written without ever blocking the supervisor.
// A pipe or socket (docker logs, `| tee`, a test reading the daemon) is written as a libuv stream, which
// waits for the reader with poll(): sonic-boom's fs.write() meets EAGAIN on a non-blocking pipe and
// retries only after 100 ms, which held the whole log (and, through backpressure, the services) to a
// crawl. A file or terminal is written with sonic-boom, off the event loop.
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import pino from 'pino';

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
    // An fd that cannot be inspected is left to sonic-boom, which reports what goes wrong.
  }
  return streamLike ? streamOutlet(fd) : boomOutlet(fd);
}

function streamOutlet(fd: number): Outlet {
  // process.stdout is already a stream on fd 1; a second handle on the same fd would fight it in epoll.
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : new Socket({ fd, readable: false, writable: true });
  return {
    write: (data, written) => void stream.write(data, () => written()),
    onGone: (gone) => void stream.on('error', gone),
  };
}

function boomOutlet(fd: number): Outlet {
  const boom = pino.destination({ dest: fd, sync: false, minLength: 0, maxWrite: 256 * 1024, contentMode: 'buffer' });
  // sonic-boom says when all is written, not which write finished: the callbacks wait for that.
  let waiting: (() => void)[] = [];
  const release = () => {
    const done = waiting;
    waiting = [];
    for (const written of done) written();
  };
  boom.on('drain', release);
  return {
    write(data, written) {
      waiting.push(written);
      boom.write(data as unknown as string);
    },
    onGone(gone) {
      boom.on('error', () => (gone(), release()));
    },
  };
}
