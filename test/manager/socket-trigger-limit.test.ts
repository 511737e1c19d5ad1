// A socket's activation rate limits, in systemd 252's words and results (oracle runs): TriggerLimitIntervalSec=/
// TriggerLimitBurst= (socket.c socket_enter_running(): "Trigger limit hit, refusing further activation.",
// Result=trigger-limit-hit) and a triggered service refused by its own start limit (Result=service-start-limit-hit).
// A service that exits without taking its connection leaves it queued, so the socket triggers it again at once.
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';
import { freePort, request } from './socket-clients.js';
import type { Supervisor } from '../../src/api/index.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/**
 * Starts `socket` and leaves one connection waiting in its queue, which each run of a service that exits at once
 * leaves there, until the socket fails and closes its listener (which resets the connection).
 */
async function flapUntilFailed(sv: Supervisor, socket: string, port: number): Promise<void> {
  await sv.start(socket);
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  await sv.waitFor(socket, (u) => u.activeState === 'failed', { timeout: 20_000 });
  client.destroy();
}
const starts = (sv: Supervisor, unit: string) => messagesOf(sv, unit).filter((m) => m.startsWith('Started ')).length;

describe('TriggerLimitIntervalSec=, TriggerLimitBurst=', () => {
  test('Accept=no: past the burst the socket refuses the activation and fails with trigger-limit-hit', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'flap.socket': `[Unit]\nDescription=Flapping socket\n[Socket]\nListenStream=127.0.0.1:${port}\nTriggerLimitIntervalSec=1h\nTriggerLimitBurst=3\n`,
      'flap.service': '[Service]\nExecStart=/bin/true\n',
    });
    await flapUntilFailed(sv, 'flap.socket', port);
    expect(starts(sv, 'flap.service')).toBe(3);
    expect(messagesOf(sv, 'flap.socket')).toEqual([
      'Listening on flap.socket - Flapping socket.',
      'flap.socket: Trigger limit hit, refusing further activation.',
      "flap.socket: Failed with result 'trigger-limit-hit'.",
    ]);
    expect(sv.show('flap.socket')).toMatchObject({
      ActiveState: 'failed',
      SubState: 'failed',
      Result: 'trigger-limit-hit',
      NRefused: '1',
      TriggerLimitIntervalUSec: '1h',
      TriggerLimitBurst: '3',
    });
  });

  test('Accept=yes: each connection counts; the one past the burst is closed and the socket fails', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'per.socket': `[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\nTriggerLimitIntervalSec=1h\nTriggerLimitBurst=2\n`,
      'per@.service': `[Service]\nExecStart=/bin/sh -c 'echo hi >&3'\n`,
    });
    await sv.start('per.socket');
    expect(await request({ port }, '', /hi\n/)).toBe('hi\n');
    expect(await request({ port }, '', /hi\n/)).toBe('hi\n');
    expect(await request({ port }, '').catch(() => '')).toBe('');
    await sv.waitFor('per.socket', (u) => u.activeState === 'failed', { timeout: 20_000 });
    expect(sv.show('per.socket')).toMatchObject({ Result: 'trigger-limit-hit', NAccepted: '2', NRefused: '1' });
    expect(messagesOf(sv, 'per.socket')).toContain('per.socket: Trigger limit hit, refusing further activation.');
  });

  test("defaults as socket_add_extras() picks them: 2s, and a burst of 20 (Accept=no) or 200 (Accept=yes)", async () => {
    const [one, two] = [await freePort(), await freePort()];
    const { sv } = await supervise({
      'one.socket': `[Socket]\nListenStream=127.0.0.1:${one}\n`,
      'one.service': '[Service]\nExecStart=/bin/true\n',
      'many.socket': `[Socket]\nListenStream=127.0.0.1:${two}\nAccept=yes\n`,
      'many@.service': '[Service]\nExecStart=/bin/true\n',
    });
    expect(sv.show('one.socket')).toMatchObject({ TriggerLimitIntervalUSec: '2s', TriggerLimitBurst: '20', NRefused: '0' });
    expect(sv.show('many.socket')).toMatchObject({ TriggerLimitIntervalUSec: '2s', TriggerLimitBurst: '200' });
  });
});

describe("the triggered service's start limit", () => {
  test('a service refused by StartLimitBurst= fails its socket with service-start-limit-hit', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'deflap.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n`,
      // A long interval, so that a slow machine still fits the five starts in it.
      'deflap.service': '[Unit]\nStartLimitIntervalSec=1h\n[Service]\nExecStart=/bin/true\n',
    });
    await flapUntilFailed(sv, 'deflap.socket', port);
    expect(starts(sv, 'deflap.service')).toBe(5);
    expect(messagesOf(sv, 'deflap.service').slice(-3)).toEqual([
      'deflap.service: Start request repeated too quickly.',
      "deflap.service: Failed with result 'start-limit-hit'.",
      'Failed to start deflap.service.',
    ]);
    expect(messagesOf(sv, 'deflap.socket').slice(-1)).toEqual(["deflap.socket: Failed with result 'service-start-limit-hit'."]);
    expect(sv.show('deflap.socket')).toMatchObject({ ActiveState: 'failed', Result: 'service-start-limit-hit' });
  });
});
