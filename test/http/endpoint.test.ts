// The --http endpoint of a real daemon, with real clients: fetch and curl, promtool, a real Prometheus
// server scraping it, 200 concurrent scrapers, server-sent events, and bad requests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons, type Daemon } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const has = (tool: string, arg = '--version') => spawnSync(tool, [arg]).status === 0;
const hasPromtool = has('promtool');
const hasPrometheus = has('prometheus');
const hasCurl = has('curl');
if (!hasPromtool) console.log('http: promtool is not installed; the exposition-format check is skipped (apt-get install prometheus)');
if (!hasPrometheus) console.log('http: prometheus is not installed; the real-scrape test is skipped (apt-get install prometheus)');

const UNITS = {
  'web.service': '[Unit]\nDescription=Web\n[Service]\nExecStart=/bin/sleep 60\n',
  'broken.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo broken >&2; exit 2'\n",
};

async function startWithHttp(files: Record<string, string> = UNITS): Promise<{ d: Daemon; url: string }> {
  const units = useTmpUnits(files);
  const d = await startDaemon(units.dir, ['--http', '127.0.0.1:0']);
  const line = d.logs.find((l) => / running in /.test(l.msg));
  const url = /HTTP (http:\/\/[\d.]+:\d+)\./.exec(line?.msg ?? '')?.[1];
  if (!url) throw new Error(`no HTTP address in: ${line?.msg}`);
  return { d, url };
}

describe('health and API', () => {
  test('/healthz is 200 when running, 503 with the failed unit when degraded; /readyz once started; /api/units JSON', async () => {
    const { d, url } = await startWithHttp();
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status).toBe(200);
    await d.cli('start', 'web.service');
    const ok = await fetch(`${url}/healthz`);
    expect([ok.status, await ok.text()]).toEqual([200, 'running\n']);
    await d.cli('start', 'broken.service');
    const bad = await fetch(`${url}/healthz`);
    expect([bad.status, await bad.text()]).toEqual([503, 'degraded\nbroken.service: failed (Result: exit-code)\n']);
    const units = (await (await fetch(`${url}/api/units`)).json()) as { state: string; units: { id: string; activeState: string }[] };
    expect(units.state).toBe('degraded');
    expect(units.units.find((u) => u.id === 'web.service')?.activeState).toBe('active');
    const one = (await (await fetch(`${url}/api/units/broken.service`)).json()) as { activeState: string; result: string; execMainStatus: number };
    expect(one).toMatchObject({ activeState: 'failed', result: 'exit-code', execMainStatus: 2 });
    expect((await fetch(`${url}/api/units/nosuch.service`)).status).toBe(404);
    if (hasCurl) {
      const curl = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${url}/healthz`], { encoding: 'utf8' });
      expect(curl.stdout).toBe('503');
    }
  });

  test('read-only and robust: other methods 405, malformed input 400, garbage on the socket closes only that connection', async () => {
    const { d, url } = await startWithHttp();
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/api/units/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = createConnection(Number(port), '127.0.0.1', () => socket.end('\x00\x01 not http\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await d.cli('is-system-running')).code).toBe(0);
  });

  test('200 concurrent scrapers all get the metrics, and the units are not disturbed', async () => {
    const { d, url } = await startWithHttp();
    await d.cli('start', 'web.service');
    const results = await Promise.all(Array.from({ length: 200 }, () => fetch(`${url}/metrics`).then(async (r) => [r.status, (await r.text()).length] as const)));
    expect(results.every(([status, length]) => status === 200 && length > 500)).toBe(true);
    expect((await d.cli('is-active', 'web.service')).stdout).toBe('active\n');
  });

  test('/api/events streams state changes and journal lines as server-sent events', async () => {
    const { d, url } = await startWithHttp();
    const controller = new AbortController();
    const res = await fetch(`${url}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await d.cli('start', 'broken.service');
    let text = '';
    while (!text.includes('"MESSAGE":"broken"') || !text.includes('"new":"failed"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    expect(text).toMatch(/event: state\ndata: \{"unit":"broken\.service",[^\n]*"new":"failed"/);
    expect(text).toMatch(/event: journal\ndata: \{[^\n]*"_SYSTEMD_UNIT":"broken\.service"[^\n]*"MESSAGE":"broken"\}/);
  });
});

describe('metrics', () => {
  test('Prometheus text format with HELP and TYPE, unit states, restarts, job durations, RSS and event-loop lag', async () => {
    const { d, url } = await startWithHttp();
    await d.cli('start', 'web.service');
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# HELP unitvisor_unit_state Unit ActiveState (1 for the current state).\n# TYPE unitvisor_unit_state gauge\n');
    expect(text).toContain('unitvisor_unit_state{unit="web.service",state="active"} 1\n');
    expect(text).toContain('unitvisor_unit_state{unit="web.service",state="failed"} 0\n');
    expect(text).toContain('unitvisor_unit_sub_state{unit="web.service",sub_state="running"} 1\n');
    expect(text).toContain('unitvisor_unit_restarts_total{unit="web.service"} 0\n');
    expect(text).toContain('unitvisor_unit_processes{unit="web.service"} 1\n');
    expect(text).toMatch(/\nunitvisor_unit_main_pid_start_time_seconds\{unit="web\.service"\} \d+(\.\d+)?\n/);
    expect(text).toMatch(/\nunitvisor_job_duration_seconds_count\{type="start"\} [1-9]\d*\n/);
    expect(text).toMatch(/\nprocess_resident_memory_bytes [1-9]\d+\n/);
    expect(text).toMatch(/\nunitvisor_event_loop_lag_seconds [\d.e-]+\n/);
    expect(text).toContain('unitvisor_system_state{state="running"} 1\n');
  });

  test.skipIf(!hasPromtool)('promtool check metrics accepts the exposition (needs Debian package prometheus)', async () => {
    const { d, url } = await startWithHttp();
    await d.cli('start', 'broken.service');
    const text = await (await fetch(`${url}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  test.skipIf(!hasPrometheus)('a real Prometheus server scrapes it and answers a query about a unit (needs Debian package prometheus)', { timeout: 90_000 }, async () => {
    const { d, url } = await startWithHttp();
    await d.cli('start', 'web.service');
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-prometheus-'));
    const port = await freePort();
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: unitvisor\n    static_configs:\n      - targets: ['${new URL(url).host}']\n`);
    const server = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      const query = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('unitvisor_unit_state{unit="web.service",state="active"}')}`;
      await expect
        .poll(
          async () => {
            const body = (await (await fetch(query).catch(() => undefined))?.json().catch(() => undefined)) as { data?: { result?: { value: [number, string] }[] } } | undefined;
            return body?.data?.result?.[0]?.value[1];
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe('1');
      const up = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`)).json()) as { data: { result: { value: [number, string] }[] } };
      expect(up.data.result[0]?.value[1]).toBe('1');
    } finally {
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
