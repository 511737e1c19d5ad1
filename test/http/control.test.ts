// --http-control: job verbs over HTTP with a bearer token, against a real daemon, with fetch and curl.
// Without the token (or with another) nothing happens; without --http-control POST stays refused.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { runCli, startDaemon, stopAllDaemons, type Daemon } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.log('http control: curl is not installed; the curl request is skipped (apt-get install curl)');

const TOKEN = 'c0ffee-7f3a9e1d5b2c4a68-token';
const UNITS = {
  'web.service': '[Service]\nExecStart=/bin/sleep 60\n',
  'broken.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'exit 2'\n",
};

async function daemonWith(extra: readonly string[]): Promise<{ d: Daemon; url: string; dir: string }> {
  const units = useTmpUnits(UNITS);
  writeFileSync(join(units.dir, 'token'), `${TOKEN}\n`);
  const d = await startDaemon(units.dir, ['--http', '127.0.0.1:0', ...extra.map((a) => a.replace('TOKEN_FILE', join(units.dir, 'token')))]);
  const url = /HTTP (http:\/\/[\d.]+:\d+)\./.exec(d.logs.find((l) => / running in /.test(l.msg))?.msg ?? '')?.[1];
  if (!url) throw new Error('no HTTP address logged');
  return { d, url, dir: units.dir };
}

const post = (url: string, token?: string) => fetch(url, { method: 'POST', ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}) });

describe('--http-control', () => {
  test('POST /api/units/NAME/VERB runs the job with the token, waits for it and says how it went; without the token nothing is done', async () => {
    const { d, url } = await daemonWith(['--http-control', '--http-token-file', 'TOKEN_FILE']);
    for (const res of [await post(`${url}/api/units/web.service/start`), await post(`${url}/api/units/web.service/start`, 'not-the-token')]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="unitvisor"');
    }
    expect((await d.cli('is-active', 'web.service')).stdout).toBe('inactive\n');
    const started = await post(`${url}/api/units/web.service/start`, TOKEN);
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ unit: 'web.service', kind: 'finished', result: 'done' });
    expect((await d.cli('is-active', 'web.service')).stdout).toBe('active\n');
    const failed = await post(`${url}/api/units/broken.service/start`, TOKEN);
    expect([failed.status, await failed.json()]).toEqual([409, expect.objectContaining({ unit: 'broken.service', result: 'failed', serviceResult: 'exit-code' })]);
    expect((await post(`${url}/api/units/nosuch.service/start`, TOKEN)).status).toBe(404);
    expect((await post(`${url}/api/units/web.service/format-disk`, TOKEN)).status).toBe(404);
    // Read-only answers need no token.
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    if (hasCurl) {
      const curl = spawnSync('curl', ['-s', '-X', 'POST', '-H', `Authorization: Bearer ${TOKEN}`, '-w', '\n%{http_code}', `${url}/api/units/web.service/stop`], { encoding: 'utf8' });
      const lines = curl.stdout.split('\n');
      expect(lines.at(-1)).toBe('200');
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ unit: 'web.service', result: 'done' });
      expect((await d.cli('is-active', 'web.service')).stdout).toBe('inactive\n');
    }
    // ?no-block answers once the job is queued.
    const queued = await post(`${url}/api/units/web.service/restart?no-block`, TOKEN);
    expect(await queued.json()).toMatchObject({ unit: 'web.service', kind: 'queued' });
    await d.waitForLog((l) => l.msg === 'Started web.service.');
  });

  test('without --http-control a POST with the token is refused and changes nothing', async () => {
    const { d, url } = await daemonWith([]);
    const res = await post(`${url}/api/units/web.service/start`, TOKEN);
    expect(res.status).toBe(405);
    expect(await res.text()).toBe('Method Not Allowed: this endpoint is read-only (control actions need --http-control and a token).\n');
    expect((await d.cli('is-active', 'web.service')).stdout).toBe('inactive\n');
  });

  test('--http-control without a token, or without --http, does not start', async () => {
    const units = useTmpUnits(UNITS);
    const socket = join(units.dir, 'control.sock');
    const env = { ...process.env, UNITVISOR_HTTP_TOKEN: '' };
    expect(await runCli(['init', '--unit-path', units.dir, '--socket', socket, '--http', '127.0.0.1:0', '--http-control'], env)).toEqual({
      stdout: '',
      stderr: '--http-control needs a token: set UNITVISOR_HTTP_TOKEN or pass --http-token-file FILE.\n',
      code: 1,
    });
    expect((await runCli(['init', '--unit-path', units.dir, '--socket', socket, '--http-control'], { ...env, UNITVISOR_HTTP_TOKEN: TOKEN })).stderr).toBe('--http-control needs --http [HOST:]PORT.\n');
  });
});
