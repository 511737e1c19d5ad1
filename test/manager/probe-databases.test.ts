// Databases from Debian's packages, started from unit files that never speak sd_notify, held in
// "activating (start)" by [X-Readiness] until they accept clients, and watched by [X-HealthCheck]:
// a client ordered after the database runs only once it can connect. Each test skips with one line
// where its package is absent (.ci/run installs them).
import { afterEach, describe, expect, test } from 'vitest';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { freePort } from '../helpers/free-port.js';
import { shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const REDIS = ['/usr/bin/redis-server', '/usr/bin/redis-cli'].every((p) => existsSync(p));
if (!REDIS) console.log('redis-server is not installed (Debian package redis-server): skipping the Redis readiness test');

/** Debian's PostgreSQL binaries (/usr/lib/postgresql/VERSION/bin), the newest version installed. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((b) => ['postgres', 'initdb', 'pg_isready', 'psql'].every((p) => existsSync(join(b, p))));
  return bin;
}
const PG_BIN = postgresBin();
/** The postgres user's uid and gid, from /etc/passwd (Debian's package creates it). */
const PG_IDS = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === 'postgres')?.slice(2, 4).map(Number);
const IS_ROOT = process.getuid?.() === 0;
if (PG_BIN === undefined || PG_IDS === undefined) console.log('postgresql is not installed (Debian package postgresql): skipping the PostgreSQL readiness test');
else if (!IS_ROOT) console.log('not root: skipping the PostgreSQL readiness test (its units run as User=postgres)');

describe.skipIf(!REDIS)('a real Redis from Debian, probed', () => {
  test('TcpConnect= readiness holds back a client ordered after it; Exec=redis-cli ping is its health check', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-redis-'));
    try {
      const { sv } = await supervise({
        'redis.service':
          `[Service]\nExecStart=/usr/bin/redis-server --port ${port} --bind 127.0.0.1 --save "" --appendonly no --dir ${dir}\n` +
          `[X-Readiness]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=20ms\n[X-HealthCheck]\nExec=/usr/bin/redis-cli -p ${port} ping\nIntervalSec=100ms\n`,
        // Without the readiness probe this client would race the server's start.
        'client.service': `[Unit]\nRequires=redis.service\nAfter=redis.service\n[Service]\nType=oneshot\nExecStart=/usr/bin/redis-cli -p ${port} set greeting hello\n`,
      });
      expect(await tryStart(sv, 'client.service')).toMatchObject({ result: 'done' });
      expect(sv.output('client.service')).toEqual(['OK']);
      await expect.poll(() => sv.show('redis.service')['HealthState'], { timeout: 20_000 }).toBe('healthy');
      expect(sv.show('redis.service')).toMatchObject({ ReadinessState: 'passed', HealthLastResult: 'exit status 0' });
      // redis-cli's PONG every 100 ms stays out of the server's journal.
      expect(sv.output('redis.service').filter((l) => l.includes('PONG'))).toEqual([]);
    } finally {
      await shutdownSupervisors();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(PG_BIN === undefined || PG_IDS === undefined || !IS_ROOT)('a real PostgreSQL from Debian, probed', () => {
  test('Exec=pg_isready readiness (the port opens before the database accepts clients), TcpConnect= health; psql ordered after it connects', async () => {
    const bin = PG_BIN!;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-pg-'));
    // postgres refuses to run as root: the cluster belongs to the postgres user, as Debian's does.
    chownSync(dir, PG_IDS![0]!, PG_IDS![1]!);
    try {
      const { sv } = await supervise({
        'postgresql.service':
          `[Unit]\nDescription=PostgreSQL\n[Service]\nUser=postgres\nEnvironment=PGDATA=${dir}/data\n` +
          `ExecStartPre=/bin/sh -c 'test -e "$PGDATA/PG_VERSION" || exec ${bin}/initdb -D "$PGDATA" -A trust -U postgres --no-sync'\n` +
          `ExecStart=${bin}/postgres -D \${PGDATA} -h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off\n` +
          // Debian's own units stop it the fast way.
          'KillSignal=SIGINT\nTimeoutStartSec=120\n' +
          `[X-Readiness]\nExec=${bin}/pg_isready -h 127.0.0.1 -p ${port} -q\nIntervalSec=100ms\n` +
          `[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=200ms\n`,
        'query.service':
          `[Unit]\nRequires=postgresql.service\nAfter=postgresql.service\n[Service]\nType=oneshot\nUser=postgres\n` +
          `ExecStart=${bin}/psql -h 127.0.0.1 -p ${port} -U postgres -tAc "select 'answered ' || 6 * 7"\n`,
      });
      expect(await tryStart(sv, 'query.service')).toMatchObject({ result: 'done' });
      expect(sv.output('query.service')).toEqual(['answered 42']);
      expect(sv.show('postgresql.service')).toMatchObject({ ActiveState: 'active', ReadinessState: 'passed', ReadinessLastResult: 'exit status 0' });
      await expect.poll(() => sv.show('postgresql.service')['HealthState'], { timeout: 20_000 }).toBe('healthy');
      expect(sv.show('postgresql.service')['HealthLastResult']).toBe('connected');
    } finally {
      await shutdownSupervisors();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
