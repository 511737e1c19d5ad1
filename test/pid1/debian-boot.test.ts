// A Debian image boots: `unitvisor init` as PID 1 over systemd's real search path, in private PID, mount and
// network namespaces made to look like a container (debian-container.sh). Every service the packages enable
// comes up as shipped and answers its own protocol; SIGTERM stops them all.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';
import { watchForInternalErrors } from '../helpers/internal-errors.js';

const SCRIPT = resolve(import.meta.dirname, 'debian-container.sh');
const SERVICES = ['nginx.service', 'redis-server.service', 'memcached.service', 'postgresql@15-main.service', 'ssh.service', 'rsyslog.service', 'cron.service'];
const PROGRAMS = ['/usr/sbin/nginx', '/usr/bin/redis-server', '/usr/bin/memcached', '/usr/lib/postgresql/15/bin/postgres', '/usr/sbin/sshd', '/usr/sbin/rsyslogd', '/usr/sbin/cron', '/usr/bin/unshare', '/usr/bin/nsenter'];
const missing = PROGRAMS.filter((p) => !existsSync(p));
const root = process.getuid?.() === 0;
// The container gets a fresh /tmp: a Node or a checkout that lives under /tmp would vanish inside it.
const underTmp = (path: string) => path.startsWith('/tmp/');
const NODE = underTmp(process.execPath) ? ['/usr/local/bin/node', '/usr/bin/node'].find((p) => existsSync(p) && !underTmp(p)) : process.execPath;
const hidden = NODE === undefined || underTmp(CLI);
if (missing.length > 0 || !root) console.log(`Debian boot test skipped: ${!root ? 'needs root' : `not installed: ${missing.join(', ')}`} (.ci/run installs the packages)`);
else if (hidden) console.log(`Debian boot test skipped: ${NODE === undefined ? 'Node' : 'the checkout'} lives under /tmp, which the container's fresh /tmp hides`);

interface LogLine {
  readonly msg: string;
  readonly unit?: string;
}

describe.skipIf(missing.length > 0 || !root || hidden)('a Debian image booted by unitvisor init', () => {
  const socketDir = mkdtempSync('/dev/shm/unitvisor-debian-');
  const socket = join(socketDir, 'control.sock');
  const logs: LogLine[] = [];
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '--mount', '--net', '--propagation', 'private', SCRIPT, socket], {
    env: { ...process.env, NODE, CLI, UNITVISOR_UNIT_PATH: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      watchForInternalErrors('Debian PID 1', text);
      try {
        logs.push(JSON.parse(text) as LogLine);
      } catch {
        // not an event line
      }
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  afterAll(async () => {
    // --kill-child: PID 1 and with it the whole namespace die with unshare.
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(socketDir, { recursive: true, force: true });
  });

  const client = (...args: string[]) => execa(process.execPath, [CLI, '--socket', socket, ...args], { reject: false });
  /** PID 1 of the namespace, as this side sees it: unshare's only child. */
  const pid1 = (): number => Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  /** A command inside the container's mount and network namespaces. */
  const inside = (command: string) => execa('nsenter', ['--target', String(pid1()), '--mount', '--net', '--', '/bin/bash', '-c', command], { reject: false, timeout: 20_000 });
  const messages = () => logs.map((l) => l.msg);

  test('every service comes up active', async () => {
    await expect
      .poll(async () => (await client('is-active', ...SERVICES)).stdout.split('\n'), { timeout: 120_000, interval: 1000 })
      .toEqual(SERVICES.map(() => 'active'));
  }, 130_000);

  test('each answers its own protocol', async () => {
    expect((await inside('curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1/')).stdout).toBe('200');
    expect((await inside('redis-cli -h 127.0.0.1 ping')).stdout).toBe('PONG');
    expect((await inside('exec 3<>/dev/tcp/127.0.0.1/11211; printf "stats\\r\\nquit\\r\\n" >&3; cat <&3')).stdout).toMatch(/^STAT pid \d+/m);
    expect((await inside("runuser -u postgres -- psql -tAc 'select 1'")).stdout).toBe('1');
    expect((await inside('ssh-keyscan -T 10 127.0.0.1 2>/dev/null')).stdout).toMatch(/^127\.0\.0\.1 (ssh-ed25519|ecdsa-sha2|ssh-rsa) /m);
    const mark = `unitvisor-${process.pid}-${Date.now()}`;
    await inside(`logger -t debian-boot-test ${mark}`);
    await expect.poll(async () => (await inside('cat /var/log/syslog')).stdout, { timeout: 20_000 }).toContain(mark);
  }, 120_000);

  test('the boot prints no wall of warnings: one line per unit for settings not enforced', () => {
    // No line per setting: the units' sandboxing and resource settings are summed up per unit as it starts.
    expect(messages().filter((m) => /Setting '.*' is not supported by unitvisor \(.*\), ignoring\./.test(m))).toEqual([]);
    expect(messages().filter((m) => /^\d+ settings? of redis-server\.service not enforced here: /.test(m))).toHaveLength(1);
    // systemd 252 loads every unit the boot wants and prints none of these at its default level: the units of types
    // unitvisor does not run and the ones it refuses were told once at load; sockets of netlink kinds load.
    expect(messages().filter((m) => m.includes('Cannot add dependency job'))).toEqual([]);
    expect(messages().filter((m) => m.includes('Unit has no Listen setting'))).toEqual([]);
    // systemd's own units: stood in for or skipped in one line each, nothing crash-loops.
    expect(messages()).toContain('Not starting systemd-journald.service - Journal Service: unitvisor keeps the journal (unitvisor logs).');
    expect(messages().filter((m) => m.includes('Scheduled restart job') && /getty|journald|logind|udev|dbus/.test(m))).toEqual([]);
  });

  test('SIGTERM stops every service, then PID 1 exits', async () => {
    process.kill(pid1(), 'SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 150_000))]);
    expect(code, stderr).not.toBe('timeout');
    const stopped = messages().filter((m) => m.startsWith('Stopped '));
    for (const unit of SERVICES) expect(stopped.some((m) => m.startsWith(`Stopped ${unit}`)), `${unit} stopped`).toBe(true);
    // Reverse order: the cluster, ordered Before=postgresql.service, stops after it.
    const order = (u: string) => messages().findIndex((m) => m.startsWith(`Stopped ${u}`));
    expect(order('postgresql@15-main.service')).toBeGreaterThan(order('postgresql.service'));
  }, 160_000);
});
