// A unit's [X-Readiness]/[X-HealthCheck] state as the HTTP endpoint, `status` and `show` tell it, from a
// real daemon probing a real server: /healthz turns 503 while a health check reports the unit
// unhealthy and 200 once it passes; /metrics carries unitvisor_unit_probe_state; /api/units the probes.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/free-port.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const body = async (url: string) => {
  const r = await fetch(url);
  return [r.status, await r.text()] as const;
};
const probeMetrics = (text: string) => text.split('\n').filter((l) => l.startsWith('unitvisor_unit_probe_state{'));

test('health state through /healthz, /metrics, /api/units, status and show', async () => {
  const port = await freePort();
  const units = useTmpUnits({
    // Threshold=0: the health check reports, and never stops the service.
    'api.service':
      `[Unit]\nDescription=API\n[Service]\nExecStart=${puppet('health-server', port)}\n` +
      `[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\n` +
      `[X-HealthCheck]\nHttpGet=http://127.0.0.1:${port}/health\nIntervalSec=50ms\nThreshold=0\n`,
  });
  const d = await startDaemon(units.dir, ['--http', '127.0.0.1:0']);
  const url = /HTTP (http:\/\/[\d.]+:\d+)\./.exec(d.logs.find((l) => / running in /.test(l.msg))?.msg ?? '')?.[1];
  expect(url).toBeDefined();
  expect((await d.cli('start', 'api.service')).code).toBe(0);

  // The server answers 503 until told otherwise: the unit is active, and unhealthy.
  await expect.poll(() => body(`${url}/healthz`), { timeout: 20_000 }).toEqual([503, 'running\napi.service: active (Result: success), health probe unhealthy\n']);
  expect(probeMetrics(await (await fetch(`${url}/metrics`)).text())).toEqual([
    'unitvisor_unit_probe_state{unit="api.service",probe="readiness",state="passed"} 1',
    'unitvisor_unit_probe_state{unit="api.service",probe="health",state="unhealthy"} 1',
  ]);
  const status = await d.cli('status', 'api.service');
  expect(status.stdout).toContain(`\n  Readiness: passed (TcpConnect=127.0.0.1:${port}: connected)\n`);
  expect(status.stdout).toMatch(new RegExp(`\\n     Health: unhealthy \\(HttpGet=http://127\\.0\\.0\\.1:${port}/health: HTTP 503, \\d+ failures? in a row\\)\\n`));
  const unit = (await (await fetch(`${url}/api/units/api.service`)).json()) as { probes: { kind: string; state: string }[] };
  expect(unit.probes.map((p) => [p.kind, p.state])).toEqual([['Readiness', 'passed'], ['Health', 'unhealthy']]);

  const pid = Number((await d.cli('show', '-p', 'MainPID', '--value', 'api.service')).stdout.trim());
  process.kill(pid, 'SIGUSR1');
  await expect.poll(() => body(`${url}/healthz`), { timeout: 20_000 }).toEqual([200, 'running\n']);
  expect(probeMetrics(await (await fetch(`${url}/metrics`)).text())).toContain('unitvisor_unit_probe_state{unit="api.service",probe="health",state="healthy"} 1');
  expect((await d.cli('show', '-p', 'HealthState,HealthFailures,HealthLastResult', 'api.service')).stdout).toBe('HealthState=healthy\nHealthFailures=0\nHealthLastResult=HTTP 200\n');
  expect((await d.cli('status', 'api.service')).stdout).toContain(`\n     Health: healthy (HttpGet=http://127.0.0.1:${port}/health: HTTP 200)\n`);
});
