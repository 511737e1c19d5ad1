// What this host lets the supervisor enforce (unit/setting-support.ts turns it into each setting's status).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { HostAbilities } from '../unit/setting-support.js';
import { cgroupDelegated } from './cgroup.js';
import { nativePaths } from './native.js';

const CAP_SYS_ADMIN = 21n;

/** unshare(CLONE_NEWNS) needs CAP_SYS_ADMIN in the effective set (the exec helper runs as this process does). */
function canUnshareMounts(): boolean {
  try {
    const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return capEff !== undefined && (BigInt(`0x${capEff}`) >> CAP_SYS_ADMIN) % 2n === 1n;
  } catch {
    return false;
  }
}

let seccomp: boolean | undefined;

/** The exec helper opens libseccomp.so.2 at run time: ask it once whether it can. */
function canLoadSeccomp(): boolean {
  try {
    seccomp ??= spawnSync(nativePaths().execHelperPath, ['--seccomp-available'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    seccomp = false;
  }
  return seccomp;
}

/**
 * This host's abilities; `cgroups` as the running manager found it, else whether a cgroup v2 subtree is ours
 * to write. Seccomp is asked of the helper (a process) only when a unit's setting needs the answer.
 */
export function hostAbilities(known: { readonly cgroups?: boolean } = {}): HostAbilities {
  return {
    mountNamespaces: canUnshareMounts(),
    cgroups: known.cgroups ?? cgroupDelegated(),
    get seccomp() {
      return canLoadSeccomp();
    },
  };
}
