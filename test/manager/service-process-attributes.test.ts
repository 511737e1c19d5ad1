// Process attributes of a real service, read back from /proc as the kernel sees them (systemd.exec(5)
// Limit*=, Nice=, OOMScoreAdjust=, IOScheduling*=, CPUScheduling*=, capabilities, NoNewPrivileges=, ...).
import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/** Starts a `sleep` service with the given [Service] lines and returns its main pid (Type=exec: after execve()). */
async function sleeper(...lines: string[]): Promise<number> {
  const { sv } = await supervise({ 's.service': ['[Service]', 'Type=exec', 'ExecStart=/bin/sleep 1000', ...lines].join('\n') });
  await sv.start('s.service');
  return Number(sv.show('s.service')['MainPID']);
}

/** One line of /proc/PID/limits: [soft, hard]. */
function limit(pid: number, title: string): [string, string] {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith(title)) ?? '';
  const [soft, hard] = line.slice(26).trim().split(/\s+/);
  return [soft ?? '', hard ?? ''];
}

/** A field of /proc/PID/status. */
const status = (pid: number, field: string): string => /^\S+:\s*(.*)$/.exec(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`)) ?? '')?.[1] ?? '';

/** What setrlimit() can give: a hard limit above ours needs CAP_SYS_RESOURCE, else systemd takes the closest. */
const closest = (n: number, title = 'Max open files'): string => String(Math.min(n, Number(limit(process.pid, title)[1])));

describe('Limit*=', () => {
  test('soft:hard, sizes, seconds and infinity reach setrlimit()', async () => {
    const pid = await sleeper('LimitNOFILE=65535', 'LimitCORE=1M:infinity', 'LimitCPU=1h', 'LimitNPROC=100:200', 'LimitNICE=-5');
    expect(limit(pid, 'Max open files')).toEqual([closest(65535), closest(65535)]);
    expect(limit(pid, 'Max core file size')).toEqual(['1048576', 'unlimited']);
    expect(limit(pid, 'Max cpu time')).toEqual(['3600', '3600']);
    expect(limit(pid, 'Max processes')).toEqual(['100', '200']);
    expect(limit(pid, 'Max nice priority')).toEqual([closest(25, 'Max nice priority'), closest(25, 'Max nice priority')]);
  });

  test("without LimitNOFILE= a service gets systemd's 1024:524288, not the supervisor's raised limit", async () => {
    expect(limit(await sleeper(), 'Max open files')).toEqual(['1024', closest(524288)]);
  });
});

describe('scheduling', () => {
  test('Nice=, OOMScoreAdjust=, IOSchedulingClass=/Priority=, CPUSchedulingPolicy=/Priority=', async () => {
    const pid = await sleeper('Nice=7', 'OOMScoreAdjust=500', 'IOSchedulingClass=best-effort', 'IOSchedulingPriority=6', 'CPUSchedulingPolicy=rr', 'CPUSchedulingPriority=10');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is 3, so nice (19) is index 16, rt_priority (40) 37, policy (41) 38.
    expect({ rtPriority: stat[37], policy: stat[38] }).toEqual({ rtPriority: '10', policy: '2' });
    expect(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim()).toBe('500');
    expect(execFileSync('ionice', ['-p', String(pid)], { encoding: 'utf8' }).trim()).toBe('best-effort: prio 6');
  });

  test('Nice= alone, and the idle I/O class', async () => {
    const pid = await sleeper('Nice=-3', 'IOSchedulingClass=idle');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    expect(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]).toBe('-3');
    expect(execFileSync('ionice', ['-p', String(pid)], { encoding: 'utf8' }).trim()).toBe('idle');
  });
});

describe('privileges', () => {
  test('CapabilityBoundingSet=, AmbientCapabilities= for a User= service, NoNewPrivileges=, SecureBits=', async () => {
    const pid = await sleeper('User=nobody', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_CHOWN', 'AmbientCapabilities=CAP_NET_BIND_SERVICE', 'NoNewPrivileges=yes');
    expect(status(pid, 'CapBnd')).toBe('0000000000000401');
    expect(status(pid, 'CapAmb')).toBe('0000000000000400');
    // A non-root process gets its ambient set as effective and permitted capabilities at execve().
    expect(status(pid, 'CapEff')).toBe('0000000000000400');
    expect(status(pid, 'NoNewPrivs')).toBe('1');
  });

  test('"~" drops the listed capabilities from the bounding set; "+" commands keep every capability', async () => {
    const { sv } = await supervise({
      'c.service': "[Service]\nType=oneshot\nCapabilityBoundingSet=~CAP_SYS_ADMIN\nExecStart=/bin/sh -c 'grep CapBnd /proc/self/status'\nExecStart=+/bin/sh -c 'grep CapBnd /proc/self/status'\n",
    });
    await sv.start('c.service');
    const all = BigInt(`0x${status(process.pid, 'CapBnd')}`);
    const withoutSysAdmin = (all & ~(1n << 21n)).toString(16).padStart(16, '0');
    expect(sv.output('c.service')).toEqual([`CapBnd:\t${withoutSysAdmin}`, `CapBnd:\t${all.toString(16).padStart(16, '0')}`]);
  });

  test('IgnoreSIGPIPE= (default yes) and SecureBits=', async () => {
    const ignored = await sleeper('SecureBits=keep-caps noroot');
    expect(BigInt(`0x${status(ignored, 'SigIgn')}`) & (1n << 12n)).toBe(1n << 12n);
    await shutdownSupervisors();
    const dfl = await sleeper('IgnoreSIGPIPE=no');
    expect(BigInt(`0x${status(dfl, 'SigIgn')}`) & (1n << 12n)).toBe(0n);
  });

  test('KeyringMode=private gives each service a session keyring of its own; inherit keeps the supervisor\'s', async () => {
    // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING) through perl, which every Debian has.
    const keyctl = ({ x64: 250, arm64: 219 } as Record<string, number>)[process.arch];
    if (keyctl === undefined) return console.log(`keyring test skipped: no keyctl syscall number for ${process.arch}`);
    const session = `/usr/bin/perl -e 'printf "%%x\\n", syscall(${keyctl}, 0, -3, 0)'`;
    const { sv } = await supervise({
      'p.service': `[Service]\nType=oneshot\nExecStart=${session}\n`,
      'q.service': `[Service]\nType=oneshot\nExecStart=${session}\n`,
      'i.service': `[Service]\nType=oneshot\nKeyringMode=inherit\nExecStart=${session}\n`,
    });
    for (const unit of ['p.service', 'q.service', 'i.service']) await sv.start(unit);
    const ours = execFileSync('/usr/bin/perl', ['-e', `printf "%x\\n", syscall(${keyctl}, 0, -3, 0)`], { encoding: 'utf8' }).trim();
    const [p, q, i] = ['p.service', 'q.service', 'i.service'].map((u) => sv.output(u)[0]);
    expect(p).toMatch(/^[0-9a-f]+$/);
    expect(new Set([p, q, ours]).size).toBe(3);
    expect(i).toBe(ours);
  });

  test('a failing step exits with its own status and systemd\'s words (214/SETSCHEDULER)', async () => {
    const { sv } = await supervise({ 'l.service': '[Service]\nType=exec\nExecStart=/bin/true\nCPUSchedulingPriority=50\n' });
    await expect(sv.start('l.service')).rejects.toThrow();
    expect(sv.show('l.service')['ExecMainStatus']).toBe('214');
    expect(messagesOf(sv, 'l.service')).toContain('l.service: Main process exited, code=exited, status=214/SETSCHEDULER');
  });
});
