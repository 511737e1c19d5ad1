// The host facts behind the specifiers (%H %m %b %u %h %t ...): read once from the OS (systemd.unit(5) "Specifiers").
import { readFileSync } from 'node:fs';
import { arch, hostname, release, userInfo } from 'node:os';
import type { SpecifierContext } from '../unit/specifiers.js';

const readTrimmed = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
};

function readOsRelease(): Record<string, string> {
  const text = readTrimmed('/etc/os-release') ?? readTrimmed('/usr/lib/os-release') ?? '';
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) fields[m[1] as string] = (m[2] as string).replace(/^(["'])(.*)\1$/, '$2');
  }
  return fields;
}

/** systemd's names for Node's architectures (%a). */
const ARCHITECTURES: Readonly<Record<string, string>> = { x64: 'x86-64', arm64: 'arm64', ia32: 'x86', arm: 'arm', ppc64: 'ppc64-le', s390x: 's390x', riscv64: 'riscv64' };

/** The context for a system manager (root) or a user manager, without the per-unit fields. */
export function hostSpecifierContext(): Omit<SpecifierContext, 'unitName'> {
  const user = userInfo();
  const root = user.uid === 0;
  const runtime = root ? '/run' : (process.env['XDG_RUNTIME_DIR'] ?? `/run/user/${user.uid}`);
  const home = user.homedir;
  const host = hostname();
  const machineId = readTrimmed('/etc/machine-id');
  const bootId = readTrimmed('/proc/sys/kernel/random/boot_id')?.replaceAll('-', '');
  return {
    hostname: host,
    shortHostname: host.split('.')[0] ?? host,
    ...(machineId ? { machineId } : {}),
    ...(bootId ? { bootId } : {}),
    userName: user.username,
    uid: user.uid,
    groupName: root ? 'root' : user.username,
    gid: process.getgid?.() ?? user.gid,
    home,
    shell: user.shell ?? '/bin/sh',
    runtimeDir: runtime,
    stateDir: root ? '/var/lib' : (process.env['XDG_STATE_HOME'] ?? `${home}/.local/state`),
    cacheDir: root ? '/var/cache' : (process.env['XDG_CACHE_HOME'] ?? `${home}/.cache`),
    logsDir: root ? '/var/log' : `${process.env['XDG_STATE_HOME'] ?? `${home}/.local/state`}/log`,
    configDir: root ? '/etc' : (process.env['XDG_CONFIG_HOME'] ?? `${home}/.config`),
    tmpDir: process.env['TMPDIR'] ?? '/tmp',
    varTmpDir: '/var/tmp',
    osRelease: readOsRelease(),
    kernelRelease: release(),
    architecture: ARCHITECTURES[arch()] ?? arch(),
  };
}
