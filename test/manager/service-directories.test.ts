// RuntimeDirectory= & co. made for a real service as systemd.exec(5) says, and the notify socket any User= can reach.
import { afterEach, describe, expect, test } from 'vitest';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, type DirectoryRoots } from '../../src/api/index.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

const temps: string[] = [];

afterEach(async () => {
  await shutdownSupervisors();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  await expectNoLeakedProcesses();
});

/** Roots below a fresh folder every user can traverse (services run as nobody write there). */
function tmpRoots(): { base: string; roots: DirectoryRoots } {
  const base = mkdtempSync(join(tmpdir(), 'unitvisor-dirs-'));
  chmodSync(base, 0o755);
  temps.push(base);
  const roots = { runtime: `${base}/run`, state: `${base}/lib`, cache: `${base}/cache`, logs: `${base}/log`, configuration: `${base}/etc` };
  return { base, roots };
}

async function boot(files: Readonly<Record<string, string>>, roots?: DirectoryRoots): Promise<Supervisor> {
  const { sv } = await supervise(files, roots ? { directoryRoots: roots } : {});
  return sv;
}

const owner = (path: string) => {
  const st = statSync(path);
  return { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
};

describe('RuntimeDirectory= and friends', () => {
  test('made before ExecStartPre= as User= with their modes; $RUNTIME_DIRECTORY & co. set; configuration stays root', async () => {
    const { base, roots } = tmpRoots();
    const sv = await boot({
      'r.service': [
        '[Service]',
        'User=nobody',
        'RuntimeDirectory=redis foo/bar',
        'RuntimeDirectoryMode=2750',
        'StateDirectory=redis',
        'CacheDirectory=redis:redis-link',
        'LogsDirectory=redis',
        'LogsDirectoryMode=0700',
        'ConfigurationDirectory=redis',
        // The pre command proves the directory is there and writable by the user before ExecStart=.
        'ExecStartPre=/bin/sh -c \'touch "$STATE_DIRECTORY/pre" && echo "$RUNTIME_DIRECTORY|$STATE_DIRECTORY|$CACHE_DIRECTORY|$LOGS_DIRECTORY|$CONFIGURATION_DIRECTORY"\'',
        'ExecStart=/bin/sleep 1000',
      ].join('\n'),
    }, roots);
    await sv.start('r.service');
    // The pre command's output line may still be in its pipe when the start completes.
    await expect.poll(() => sv.output('r.service'), { timeout: 20_000 }).toEqual([`${base}/run/redis:${base}/run/foo/bar|${base}/lib/redis|${base}/cache/redis|${base}/log/redis|${base}/etc/redis`]);
    expect(owner(`${base}/run/redis`)).toEqual({ uid: 65534, gid: 65534, mode: 0o2750 });
    expect(owner(`${base}/lib/redis/pre`).uid).toBe(65534);
    // Parents are root's, 0755; only the innermost directory is the service's.
    expect(owner(`${base}/run/foo`)).toEqual({ uid: 0, gid: 0, mode: 0o755 });
    expect(owner(`${base}/run/foo/bar`)).toMatchObject({ uid: 65534, mode: 0o2750 });
    expect(owner(`${base}/lib/redis`)).toEqual({ uid: 65534, gid: 65534, mode: 0o755 });
    expect(owner(`${base}/log/redis`)).toEqual({ uid: 65534, gid: 65534, mode: 0o700 });
    expect(owner(`${base}/etc/redis`)).toEqual({ uid: 0, gid: 0, mode: 0o755 });
    expect(readlinkSync(`${base}/cache/redis-link`)).toBe(`${base}/cache/redis`);

    await sv.stop('r.service');
    // The runtime directories go at stop (innermost only); the others stay.
    expect([existsSync(`${base}/run/redis`), existsSync(`${base}/run/foo/bar`), existsSync(`${base}/run/foo`)]).toEqual([false, false, true]);
    expect([existsSync(`${base}/lib/redis`), existsSync(`${base}/cache/redis`), existsSync(`${base}/log/redis`)]).toEqual([true, true, true]);
  });

  test('an existing tree owned by someone else is given to User= recursively; an existing one owned right is left as is', async () => {
    const { base, roots } = tmpRoots();
    mkdirSync(`${base}/lib/app/sub`, { recursive: true });
    writeFileSync(`${base}/lib/app/sub/data`, 'x');
    mkdirSync(`${base}/cache/app/sub`, { recursive: true });
    writeFileSync(`${base}/cache/app/sub/data`, 'x');
    chmodSync(`${base}/cache/app`, 0o755);
    chownSync(`${base}/cache/app`, 65534, 65534);
    const sv = await boot({ 'a.service': '[Service]\nType=oneshot\nUser=nobody\nStateDirectory=app\nCacheDirectory=app\nExecStart=/bin/true\n' }, roots);
    await sv.start('a.service');
    expect(owner(`${base}/lib/app/sub/data`).uid).toBe(65534);
    // The documented shortcut: the top already belongs to the user, nothing below is looked at.
    expect(owner(`${base}/cache/app/sub/data`).uid).toBe(0);
  });

  test('RuntimeDirectoryPreserve=restart keeps the directory across a restart and removes it at stop; =yes keeps it', async () => {
    const { base, roots } = tmpRoots();
    const sv = await boot({
      'k.service': '[Service]\nRuntimeDirectory=k\nRuntimeDirectoryPreserve=restart\nExecStartPre=/bin/sh -c \'echo start >> "$RUNTIME_DIRECTORY/starts"\'\nExecStart=/bin/sleep 1000\n',
      'y.service': '[Service]\nType=oneshot\nRuntimeDirectory=y\nRuntimeDirectoryPreserve=yes\nExecStart=/bin/true\n',
      'n.service': '[Service]\nType=oneshot\nRuntimeDirectory=n\nExecStart=/bin/true\n',
    }, roots);
    await sv.start('k.service');
    await sv.restart('k.service');
    expect(readFileSync(`${base}/run/k/starts`, 'utf8').trim().split('\n')).toHaveLength(2);
    await sv.stop('k.service');
    expect(existsSync(`${base}/run/k`)).toBe(false);
    await sv.start('y.service');
    await sv.start('n.service');
    expect([existsSync(`${base}/run/y`), existsSync(`${base}/run/n`)]).toEqual([true, false]);
  });

  test('a directory that cannot be made fails the start with 233/RUNTIME_DIRECTORY in systemd\'s words', async () => {
    const { base, roots } = tmpRoots();
    writeFileSync(`${base}/run`, 'a file where the root should be');
    const sv = await boot({ 'f.service': '[Service]\nType=exec\nRuntimeDirectory=f\nExecStart=/bin/sleep 1000\n' }, roots);
    await expect(sv.start('f.service')).rejects.toThrow();
    expect(sv.show('f.service')).toMatchObject({ Result: 'exit-code', ExecMainStatus: '233' });
    const messages = messagesOf(sv, 'f.service');
    expect(messages).toContain(`f.service: Failed to set up special execution directory in ${base}/run/f: Not a directory`);
    expect(messages).toContain('f.service: Failed at step RUNTIME_DIRECTORY spawning /bin/sleep: Not a directory');
    expect(messages).toContain('f.service: Main process exited, code=exited, status=233/RUNTIME_DIRECTORY');
    expect(messages.filter((m) => m.includes('remove'))).toEqual([]);
  });
});

describe('notify socket', () => {
  test('a Type=notify service with User=nobody reaches the default notify socket through systemd-notify', async () => {
    const sv = await boot({
      'n.service': "[Service]\nType=notify\nNotifyAccess=all\nUser=nobody\nExecStart=/bin/sh -c 'systemd-notify --ready STATUS=up && exec sleep 1000'\nTimeoutStartSec=20\n",
    });
    await sv.start('n.service');
    expect(sv.show('n.service')).toMatchObject({ ActiveState: 'active', SubState: 'running', StatusText: 'up' });
  });
});
