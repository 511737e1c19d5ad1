// [X-Readiness] and [X-HealthCheck] with real servers: a Type=simple service stays "activating (start)"
// until its probe passes (its After= dependants wait), TimeoutStartSec= bounds the wait, and a health
// check failing Threshold= times in a row is a watchdog timeout for the Restart= table.
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/free-port.js';
import { formatStatus } from '../../src/cli/format/status.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const signalMain = (pid: string | undefined, signal: NodeJS.Signals) => process.kill(Number(pid), signal);

describe('[X-Readiness]', () => {
  test('HttpGet=: the start completes when /health answers 2xx, and After= dependants wait for it', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'web.service': `[Service]\nExecStart=${puppet('health-server', port)}\n[X-Readiness]\nHttpGet=http://127.0.0.1:${port}/health\nIntervalSec=50ms\n`,
      'client.service': '[Unit]\nRequires=web.service\nAfter=web.service\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
    });
    const { finished } = sv.enqueue('start', 'client.service');
    // The server answers 503 until told otherwise (and by then its signal handlers are in place): the service still waits.
    await expect.poll(() => sv.show('web.service')['ReadinessLastResult'], { timeout: 20_000 }).toBe('HTTP 503');
    expect(sv.show('web.service')).toMatchObject({ ActiveState: 'activating', SubState: 'start', ReadinessState: 'waiting', ReadinessProbe: `HttpGet=http://127.0.0.1:${port}/health` });
    expect(sv.show('client.service')['ActiveState']).toBe('inactive');
    expect(messagesOf(sv, 'client.service')).toEqual([]);

    signalMain(sv.show('web.service')['MainPID'], 'SIGUSR1');
    expect(await finished).toMatchObject({ result: 'done' });
    expect(sv.show('web.service')).toMatchObject({ ActiveState: 'active', SubState: 'running', ReadinessState: 'passed', ReadinessLastResult: 'HTTP 200' });
    const all = sv.logs().flatMap((e) => (e.kind === 'log' ? [e.msg] : []));
    expect(all.indexOf('Started web.service.')).toBeLessThan(all.indexOf('Starting client.service...'));
    expect(messagesOf(sv, 'web.service')).toEqual(['Starting web.service...', 'Started web.service.']);
  });

  test('TcpConnect= to a port nobody listens on: TimeoutStartSec= fails the start with Result=timeout', async () => {
    const port = await freePort();
    const { sv } = await supervise({ 'lonely.service': `[Service]\nExecStart=/bin/sleep 30\nTimeoutStartSec=1\n[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=50ms\n` });
    expect(await tryStart(sv, 'lonely.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
    expect(messagesOf(sv, 'lonely.service')).toEqual([
      'Starting lonely.service...',
      'lonely.service: start operation timed out. Terminating.',
      "lonely.service: Failed with result 'timeout'.",
      'Failed to start lonely.service.',
    ]);
    expect(sv.show('lonely.service')).toMatchObject({ ActiveState: 'failed', Result: 'timeout', ReadinessLastResult: 'Connection refused' });
  });

  test('Threshold=: that many failures in a row fail the start at once, saying which probe failed and how', async () => {
    const port = await freePort();
    const { sv } = await supervise({ 'impatient.service': `[Service]\nExecStart=/bin/sleep 30\n[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=3\n` });
    expect(await tryStart(sv, 'impatient.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
    expect(messagesOf(sv, 'impatient.service')).toEqual([
      'Starting impatient.service...',
      `impatient.service: Readiness probe failed 3 times in a row: TcpConnect=127.0.0.1:${port}: Connection refused`,
      "impatient.service: Failed with result 'timeout'.",
      'Failed to start impatient.service.',
    ]);
  });

  test('LogLine=: the start completes at the first output line that matches', async () => {
    const { sv } = await supervise({ 'log.service': "[Service]\nExecStart=/bin/sh -c 'echo warming up; read line; echo \"ready to serve\"; exec sleep 30'\nStandardInput=null\n[X-Readiness]\nLogLine=^ready to\n" });
    await sv.start('log.service');
    expect(sv.show('log.service')).toMatchObject({ ActiveState: 'active', ReadinessState: 'passed', ReadinessLastResult: 'matched: ready to serve' });
    expect(sv.output('log.service')).toEqual(['warming up', 'ready to serve']);
  });

  test('Exec=: runs with the unit\'s environment and working directory; exit 0 passes; its output tells why it failed, out of the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-probe-'));
    try {
      const { sv } = await supervise({ 'db.service': `[Service]\nExecStart=/bin/sleep 30\nWorkingDirectory=${dir}\nEnvironment=MARK=ready.flag\n[X-Readiness]\nExec=/bin/sh -c 'test -e "$MARK" || { echo "$MARK is missing"; exit 1; }'\nIntervalSec=30ms\n` });
      const { finished } = sv.enqueue('start', 'db.service');
      await expect.poll(() => Number(sv.show('db.service')['ReadinessFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      expect(sv.show('db.service')).toMatchObject({ SubState: 'start', ReadinessLastResult: 'exit status 1: ready.flag is missing' });
      writeFileSync(join(dir, 'ready.flag'), '');
      expect(await finished).toMatchObject({ result: 'done' });
      expect(sv.show('db.service')).toMatchObject({ ActiveState: 'active', ReadinessState: 'passed', ReadinessLastResult: 'exit status 0' });
      expect(sv.output('db.service')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('[X-HealthCheck]', () => {
  test('a server that stops answering fails Threshold= checks, ends with Result=watchdog and Restart=on-failure brings it back', async () => {
    const port = await freePort();
    const { sv } = await supervise({
      'api.service': `[Service]\nExecStart=${puppet('health-server', port)}\nRestart=on-failure\nRestartSec=0\n` +
        `[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=30ms\n` +
        `[X-HealthCheck]\nHttpGet=http://127.0.0.1:${port}/health\nIntervalSec=50ms\nTimeoutSec=200ms\nThreshold=2\n`,
    });
    await sv.start('api.service');
    const first = sv.show('api.service')['MainPID'];
    // 503 is a failure too: make it healthy first, then hang it.
    signalMain(first, 'SIGUSR1');
    await expect.poll(() => sv.show('api.service')['HealthState'], { timeout: 20_000 }).toBe('healthy');
    signalMain(first, 'SIGUSR2');
    await expect.poll(() => sv.show('api.service')['NRestarts'], { timeout: 20_000 }).toBe('1');
    const msgs = messagesOf(sv, 'api.service');
    const probe = `HttpGet=http://127.0.0.1:${port}/health`;
    expect(msgs).toContain(`api.service: Health check failed (1 of 2): ${probe}: timed out after 200 ms`);
    const failedAt = msgs.indexOf(`api.service: Health check failed 2 times in a row: ${probe}: timed out after 200 ms`);
    expect(failedAt).toBeGreaterThan(0);
    expect(msgs.slice(failedAt + 1)).toEqual(expect.arrayContaining(["api.service: Failed with result 'watchdog'.", 'api.service: Scheduled restart job, restart counter is at 1.']));
    // The new process is a new server, ready again once its port answers.
    await expect.poll(() => sv.show('api.service')['ActiveState'], { timeout: 20_000 }).toBe('active');
    expect(sv.show('api.service')['MainPID']).not.toBe(first);
  });

  test('daemon-reload: an unchanged health check carries on counting; a changed one starts afresh with its new settings while the service runs', async () => {
    const closed = await freePort();
    const server = createServer((c) => c.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const open = (server.address() as AddressInfo).port;
    const unit = (port: number) => `[Service]\nExecStart=/bin/sleep 30\n[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=1000\n`;
    try {
      const { sv, units } = await supervise({ 'checked.service': unit(closed) });
      await sv.start('checked.service');
      await expect.poll(() => Number(sv.show('checked.service')['HealthFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      await sv.reload();
      const before = Number(sv.show('checked.service')['HealthFailures']);
      await expect.poll(() => Number(sv.show('checked.service')['HealthFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);
      units.write('checked.service', unit(open));
      await sv.reload();
      await expect.poll(() => sv.show('checked.service')['HealthState'], { timeout: 20_000 }).toBe('healthy');
      expect(sv.show('checked.service')).toMatchObject({ ActiveState: 'active', HealthProbe: `TcpConnect=127.0.0.1:${open}`, HealthFailures: '0' });
    } finally {
      await shutdownSupervisors();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('health is not checked before the unit is active, and stops with it', async () => {
    const port = await freePort();
    const { sv } = await supervise({ 'quiet.service': `[Service]\nExecStart=/bin/sleep 30\n[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\nThreshold=1000\n` });
    await sv.start('quiet.service');
    await expect.poll(() => Number(sv.show('quiet.service')['HealthFailures']), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(sv.show('quiet.service')).toMatchObject({ HealthState: 'unknown', HealthLastResult: 'Connection refused' });
    const status = formatStatus(sv.status('quiet.service')!, [], { nowMs: Date.now(), hostname: 'host', daemonPid: process.pid });
    expect(status).toMatch(new RegExp(`\\n     Health: unknown \\(TcpConnect=127\\.0\\.0\\.1:${port}: Connection refused, \\d+ failures in a row\\)\\n`));
    await sv.stop('quiet.service');
    expect(sv.show('quiet.service')['HealthState']).toBe('inactive');
  });
});
