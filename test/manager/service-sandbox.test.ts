// Sandboxing through a mount namespace of the service's own, checked from inside a real service and from the
// host (systemd.exec(5) PrivateTmp=, ProtectSystem=, ProtectHome=, ReadWritePaths=, ReadOnlyPaths=,
// InaccessiblePaths=, ProtectKernelTunables=, ProtectControlGroups=, PrivateDevices=).
import { afterEach, describe, expect, test } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { shutdownSupervisors, supervise } from './supervise.js';

const temps: string[] = [];
afterEach(async () => {
  await shutdownSupervisors();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  await expectNoLeakedProcesses();
});

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-sandbox-'));
  chmodSync(dir, 0o755);
  temps.push(dir);
  return dir;
}

/** Runs one oneshot with `lines` and a shell script; returns its output. */
async function inside(script: string, ...lines: string[]): Promise<string[]> {
  const { sv } = await supervise({ 's.service': ['[Service]', 'Type=oneshot', ...lines, `ExecStart=/bin/sh -c '${script}'`].join('\n') });
  await sv.start('s.service');
  return sv.output('s.service');
}

const writable = (path: string) => `if touch ${path} 2>/dev/null; then echo ${path}: rw; rm -f ${path}; else echo ${path}: ro; fi`;
const mountHostSnapshot = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').length;

describe('PrivateTmp=', () => {
  test('every command of an activation shares a /tmp of its own, the host never sees it, and it goes at stop', async () => {
    const mark = `unitvisor-private-${process.pid}-${Date.now()}`;
    const { sv } = await supervise({
      'p.service': `[Service]\nType=oneshot\nRemainAfterExit=yes\nPrivateTmp=yes\nExecStartPre=/bin/sh -c 'echo pre > /tmp/${mark}; ls -ld /tmp | cut -c1-10'\nExecStart=/bin/cat /tmp/${mark}\n`,
    });
    await sv.start('p.service');
    expect(sv.output('p.service')).toEqual(['drwxrwxrwt', 'pre']);
    expect(existsSync(`/tmp/${mark}`)).toBe(false);
    const dirs = () => readdirSync('/tmp').filter((d) => d.startsWith(`systemd-private-${sv.show('p.service')['InvocationID']}-`));
    expect(dirs()).toHaveLength(1);
    await sv.stop('p.service');
    expect(dirs()).toHaveLength(0);
  });
});

describe('PrivateTmp= and the notify socket', () => {
  test('a Type=notify service of another user still reaches a supervisor whose notify socket is in /tmp', async () => {
    const { sv } = await supervise({
      'n.service': "[Service]\nType=notify\nNotifyAccess=all\nUser=nobody\nPrivateTmp=yes\nProtectSystem=strict\nExecStart=/bin/sh -c 'systemd-notify --ready && exec sleep 1000'\n",
    });
    await sv.start('n.service');
    expect(sv.show('n.service')).toMatchObject({ ActiveState: 'active', SubState: 'running' });
  });
});

describe('ProtectSystem=, ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=', () => {
  test('strict: the whole tree read-only but /dev, /proc, /sys, ReadWritePaths= and the unit\'s StateDirectory=', async () => {
    const rw = tmp();
    const state = tmp();
    const { sv } = await supervise({
      's.service': [
        '[Service]', 'Type=oneshot', 'ProtectSystem=strict', `ReadWritePaths=${rw} -/nonexistent/x`, 'StateDirectory=sandboxed',
        `ExecStart=/bin/sh -c '${[writable('/usr/.uv'), writable(`${tmpdir()}/.uv`), writable(`${rw}/f`), writable('$STATE_DIRECTORY/f'), writable('/dev/shm/.uv-${INVOCATION_ID}')].join('; ')}'`,
      ].join('\n'),
    });
    void state;
    const before = mountHostSnapshot();
    await sv.start('s.service');
    expect(sv.output('s.service').map((l) => l.replace(/\/var\/lib\/sandboxed\/f/, 'STATE').replace(/\/dev\/shm\/\S*:/, '/dev/shm/X:'))).toEqual([
      '/usr/.uv: ro',
      `${tmpdir()}/.uv: ro`,
      `${rw}/f: rw`,
      'STATE: rw',
      '/dev/shm/X: rw',
    ]);
    // Nothing of the namespace reached the host's mount table.
    expect(mountHostSnapshot()).toBe(before);
    rmSync('/var/lib/sandboxed', { recursive: true, force: true });
  });

  test('full: /usr and /etc read-only, the rest writable; ReadOnlyPaths= and InaccessiblePaths=', async () => {
    const ro = tmp();
    const hidden = tmp();
    writeFileSync(join(hidden, 'secret'), 'x');
    const out = await inside(
      [writable('/etc/.uv'), writable(`${tmpdir()}/.uv-${process.pid}`), writable(`${ro}/f`), `ls -A ${hidden} | wc -l`].join('; '),
      'ProtectSystem=full',
      `ReadOnlyPaths=${ro}`,
      `InaccessiblePaths=${hidden}`,
    );
    expect(out).toEqual(['/etc/.uv: ro', `${tmpdir()}/.uv-${process.pid}: rw`, `${ro}/f: ro`, '0']);
  });

  test('a missing ReadWritePaths= without "-" fails the start with 226/NAMESPACE', async () => {
    const { sv } = await supervise({ 'm.service': '[Service]\nType=oneshot\nReadOnlyPaths=/nonexistent/unitvisor\nExecStart=/bin/true\n' });
    await expect(sv.start('m.service')).rejects.toThrow();
    expect(sv.show('m.service')['ExecMainStatus']).toBe('226');
  });
});

describe('ProtectHome=, ProtectKernelTunables=, ProtectControlGroups=, "+"', () => {
  test('the homes are hidden, /proc/sys and /sys/fs/cgroup are read-only; a "+" command runs outside the sandbox', async () => {
    mkdirSync('/root', { recursive: true });
    if (readdirSync('/root').length === 0) writeFileSync('/root/.unitvisor-sandbox-test', '');
    const { sv } = await supervise({
      'h.service': [
        '[Service]', 'Type=oneshot', 'ProtectHome=yes', 'ProtectKernelTunables=yes', 'ProtectControlGroups=yes',
        "ExecStart=/bin/sh -c 'echo root: $(ls -A /root | wc -l); grep -E \" (/proc/sys|/sys/fs/cgroup) \" /proc/self/mountinfo | cut -d\" \" -f5,6 | cut -d, -f1 | sort -u'",
        "ExecStart=+/bin/sh -c 'echo root: $(ls -A /root | wc -l)'",
      ].join('\n'),
    });
    await sv.start('h.service');
    const out = sv.output('h.service');
    // An empty folder in the namespace; the "+" command sees the real one.
    expect(out[0]).toBe('root: 0');
    expect(out).toContain('/proc/sys ro');
    if (existsSync('/sys/fs/cgroup')) expect(out).toContain('/sys/fs/cgroup ro');
    expect(out.at(-1)).toBe(`root: ${readdirSync('/root').length}`);
  });
});

describe('PrivateDevices=', () => {
  test('a /dev of its own: only the pseudo devices, pts and shm, noexec; the host keeps its /dev and no staging folder', async () => {
    const mounts = mountHostSnapshot();
    const { sv } = await supervise({
      'd.service': [
        '[Service]', 'Type=oneshot', 'PrivateDevices=yes',
        "ExecStart=/bin/sh -c 'ls -A /dev | tr \"\\\\n\" \" \"; echo'",
        "ExecStart=/bin/sh -c 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c && head -c 2 /dev/zero | od -An -tx1 && ls -l /dev/null | cut -c1'",
        "ExecStart=/bin/sh -c 'grep \" /dev \" /proc/self/mountinfo | tail -n1 | grep -o \"tmpfs.*\" | cut -d\" \" -f1; grep \" /dev \" /proc/self/mountinfo | tail -n1 | cut -d\" \" -f6 | tr , \"\\\\n\" | grep -x noexec; grep ^CapBnd: /proc/self/status'",
      ].join('\n'),
    });
    await sv.start('d.service');
    const [devices, ...rest] = sv.output('d.service');
    const expected = ['fd', 'full', 'hugepages', 'log', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero'];
    if (existsSync('/proc/kcore')) expected.push('core');
    expect((devices ?? '').trim().split(' ').sort()).toEqual(expected.sort());
    // Writable, readable, real character devices.
    expect(rest.slice(0, 5).map((l) => l.trim())).toEqual(['4', '00 00', 'c', 'tmpfs', 'noexec']);
    // PrivateDevices= takes CAP_MKNOD (27) and CAP_SYS_RAWIO (17) out of the bounding set, as systemd does.
    const bounding = BigInt(`0x${(rest[5] ?? '').replace(/^CapBnd:\s*/, '')}`);
    expect([(bounding >> 27n) & 1n, (bounding >> 17n) & 1n]).toEqual([0n, 0n]);
    expect(sv.show('d.service')['CapabilityBoundingSet']).not.toMatch(/cap_mknod|cap_sys_rawio/);
    expect(mountHostSnapshot()).toBe(mounts);
    expect(readdirSync('/tmp').filter((d) => d.startsWith('namespace-dev-'))).toEqual([]);
  });
});
