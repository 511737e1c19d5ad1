// The settings of [X-Readiness]/[X-HealthCheck] at work with real servers and commands: HttpHeader=
// reaches the server, Exec= runs as the unit's User=, InitialDelaySec= and IntervalSec= space the
// attempts, and no attempt leaves a socket or a process behind, whether it passes, fails or times out.
import { afterEach, describe, expect, test } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeakedProcesses, survivingProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/free-port.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const IS_ROOT = process.getuid?.() === 0;
if (!IS_ROOT) console.log('not root: skipping the test of an Exec= probe run as User=nobody');
const HAS_OPENSSL = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log('openssl is not installed: skipping the test of an https probe against a self-signed certificate');
    return false;
  }
})();

describe('probe settings', () => {
  test('HttpHeader=: the header reaches the server (a server that requires it answers 503, not 401, until ready)', async () => {
    const [keyedPort, wrongPort] = [await freePort(), await freePort()];
    const probe = (port: number, token: string) => `[X-Readiness]\nHttpGet=http://127.0.0.1:${port}/health\nHttpHeader=X-Probe-Token: ${token}\nIntervalSec=30ms\n`;
    const { sv } = await supervise({
      'keyed.service': `[Service]\nExecStart=${puppet('health-server', keyedPort, 'X-Probe-Token', 's3cret')}\n${probe(keyedPort, 's3cret')}`,
      'wrong.service': `[Service]\nExecStart=${puppet('health-server', wrongPort, 'X-Probe-Token', 's3cret')}\n${probe(wrongPort, 'guess')}`,
    });
    const keyed = sv.enqueue('start', 'keyed.service').finished;
    sv.enqueue('start', 'wrong.service');
    await expect.poll(() => sv.show('keyed.service')['ReadinessLastResult'], { timeout: 20_000 }).toBe('HTTP 503');
    await expect.poll(() => sv.show('wrong.service')['ReadinessLastResult'], { timeout: 20_000 }).toBe('HTTP 401');
    process.kill(Number(sv.show('keyed.service')['MainPID']), 'SIGUSR1');
    expect(await keyed).toMatchObject({ result: 'done' });
    expect(sv.show('keyed.service')).toMatchObject({ ActiveState: 'active', ReadinessLastResult: 'HTTP 200' });
    expect(sv.show('wrong.service')).toMatchObject({ ActiveState: 'activating', SubState: 'start' });
  });

  test.skipIf(!HAS_OPENSSL)('HttpGet=https://…: a server with a self-signed certificate passes (the certificate is not verified, as the kubelet does not)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-probe-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=elsewhere.example', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const server = await countingServer(createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok\n')));
    try {
      const { sv } = await supervise({ 'tls.service': `[Service]\nExecStart=/bin/sleep 30\n[X-Readiness]\nHttpGet=https://127.0.0.1:${server.port}/health\nIntervalSec=30ms\nThreshold=3\n` });
      await sv.start('tls.service');
      expect(sv.show('tls.service')).toMatchObject({ ReadinessState: 'passed', ReadinessLastResult: 'HTTP 200' });
    } finally {
      await shutdownSupervisors();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!IS_ROOT)('Exec= runs as the unit\'s User=, in its WorkingDirectory=, with its Environment=', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-probe-user-'));
    chmodSync(dir, 0o777);
    try {
      const { sv } = await supervise({
        'as-nobody.service': `[Service]\nExecStart=/bin/sleep 30\nUser=nobody\nWorkingDirectory=${dir}\nEnvironment=MARK=from-the-unit\n` +
          `[X-Readiness]\nExec=/bin/sh -c 'echo "$(id -un) $(id -u) $(pwd) $MARK" > seen'\n`,
      });
      await sv.start('as-nobody.service');
      expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe(`nobody 65534 ${dir} from-the-unit\n`);
      expect(sv.show('as-nobody.service')).toMatchObject({ ReadinessState: 'passed', ReadinessLastResult: 'exit status 0' });
    } finally {
      await shutdownSupervisors();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('InitialDelaySec= holds the first attempt back, IntervalSec= spaces the next (measured against a unit probing every 20ms)', async () => {
    const port = await freePort();
    const health = (extra: string) => `[Service]\nExecStart=/bin/sleep 30\n[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nThreshold=1000\n${extra}`;
    const { sv } = await supervise({
      'eager.service': health('IntervalSec=20ms\n'),
      'delayed.service': health('IntervalSec=20ms\nInitialDelaySec=1h\n'),
      'sparse.service': health('IntervalSec=1h\n'),
    });
    await Promise.all(['eager.service', 'delayed.service', 'sparse.service'].map((u) => sv.start(u)));
    await expect.poll(() => Number(sv.show('sparse.service')['HealthFailures']), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => Number(sv.show('eager.service')['HealthFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    expect(sv.show('sparse.service')).toMatchObject({ HealthFailures: '1', HealthLastResult: 'Connection refused' });
    expect(sv.show('delayed.service')).toMatchObject({ HealthState: 'unknown', HealthFailures: '0', HealthLastResult: '' });
  });
});

/** A server that counts the connections it was given and knows how many are still open. */
async function countingServer(server: Server): Promise<{ port: number; accepted: () => number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('probes leave nothing behind', () => {
  test('HttpGet= and TcpConnect= close every connection: answered, timed out against a server that never answers, or held open by the server', async () => {
    const answering = await countingServer(createHttpServer((_req, res) => res.end('ok\n')));
    const hanging = await countingServer(createHttpServer(() => undefined));
    const silent = await countingServer(createTcpServer(() => undefined));
    try {
      const health = (check: string) => `[Service]\nExecStart=/bin/sleep 30\n[X-HealthCheck]\n${check}\nIntervalSec=20ms\nTimeoutSec=100ms\nThreshold=1000\n`;
      const { sv } = await supervise({
        'answered.service': health(`HttpGet=http://127.0.0.1:${answering.port}/`),
        'timed-out.service': health(`HttpGet=http://127.0.0.1:${hanging.port}/`),
        'held.service': health(`TcpConnect=127.0.0.1:${silent.port}`),
      });
      await Promise.all(['answered.service', 'timed-out.service', 'held.service'].map((u) => sv.start(u)));
      for (const server of [answering, hanging, silent]) await expect.poll(server.accepted, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
      expect(sv.show('answered.service')['HealthState']).toBe('healthy');
      expect(sv.show('timed-out.service')['HealthLastResult']).toBe('timed out after 100 ms');
      expect(sv.show('held.service')).toMatchObject({ HealthState: 'healthy', HealthLastResult: 'connected' });
      // At most the attempt in flight is open; every earlier one was closed by the prober.
      for (const server of [answering, hanging, silent]) expect(server.open()).toBeLessThanOrEqual(1);
      await Promise.all(['answered.service', 'timed-out.service', 'held.service'].map((u) => sv.stop(u)));
      for (const server of [answering, hanging, silent]) await expect.poll(server.open).toBe(0);
    } finally {
      await shutdownSupervisors();
      await Promise.all([answering, hanging, silent].map((s) => s.close()));
    }
  });

  test('an Exec= probe that outlives TimeoutSec= is killed with what it started; none piles up while the unit runs', async () => {
    const { sv } = await supervise({
      'slow-probe.service': "[Service]\nExecStart=/bin/sleep 30\n[X-HealthCheck]\nExec=/bin/sh -c 'sleep 1000; exit 0'\nIntervalSec=20ms\nTimeoutSec=100ms\nThreshold=1000\n",
    });
    await sv.start('slow-probe.service');
    await expect.poll(() => Number(sv.show('slow-probe.service')['HealthFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    expect(sv.show('slow-probe.service')['HealthLastResult']).toBe('timed out after 100 ms');
    const probes = survivingProcesses().filter((p) => p.state !== 'Z' && /sleep 1000/.test(p.cmdline));
    expect(probes.length).toBeLessThanOrEqual(2); // the attempt in flight (sh and its sleep), no earlier one
  });
});
