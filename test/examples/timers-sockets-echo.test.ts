// examples/timers-sockets: the socket-activated echo server as `unitvisor up` runs it — the port is open at once,
// echo.service starts with the first client. A drop-in moves the fixed port to a free one; the unit files are unchanged.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps } from '../helpers/run-up.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { freePort } from '../helpers/free-port.js';
import { request } from '../manager/socket-clients.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const EXAMPLE = resolve(import.meta.dirname, '../../examples/timers-sockets');

test('timers-sockets: up listens on the echo port and starts echo.service on the first connection', async () => {
  const port = await freePort();
  const tmp = useTmpUnits({
    'echo.socket.d/test.conf': `[Socket]\nListenStream=\nListenStream=127.0.0.1:${port}\n`,
    'echo.service.d/test.conf': `[Service]\nWorkingDirectory=${EXAMPLE}\n`,
  });
  for (const unit of ['echo.socket', 'echo.service']) copyFileSync(join(EXAMPLE, unit), join(tmp.dir, unit));
  const up = await startUp(tmp.dir);
  await up.waitForLine(/^Listening on echo\.socket - Echo server socket\.$/);
  expect(up.lines.some((l) => /Started echo\.service/.test(l))).toBe(false);
  expect(await request({ port }, 'hello\n', /\n/)).toBe('hello\n');
  await up.waitForLine(/^Started echo\.service - Echo server\.$/);
  await up.waitForLine(/^echo\.service\[\d+\]: echo-server: serving the socket "echo" it was handed as fd 3$/);
  expect(await request({ port }, 'again\n', /\n/)).toBe('again\n');
  await up.waitForLine(/^echo\.service\[\d+\]: echo-server: connection 2$/);
});
