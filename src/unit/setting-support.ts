// How far unitvisor honours each setting a unit asks for, on this host: the rows of `verify --report` and
// show's NotEnforced=. Pure: the host's abilities are facts passed in (process/host-abilities.ts finds them).
import type { SettingsTable } from './settings/define-settings.js';
import { unitSettings, removedSetting } from './settings/unit-section.js';
import { serviceSettings } from './settings/service-section.js';
import { socketSettings } from './settings/socket-section.js';
import { timerSettings } from './settings/timer-section.js';
import { installSettings } from './settings/install-section.js';
import { healthCheckSettings, readinessSettings } from './settings/probe-sections.js';
import { sandboxSettingRows } from './settings/sandbox-settings.js';
import { seccompSettingRows } from './settings/seccomp-settings.js';
import { UNSUPPORTED_SERVICE_KEYS, UNSUPPORTED_SOCKET_KEYS, UNSUPPORTED_UNIT_KEYS } from './settings/unsupported.js';
import type { UnitConfig } from './model.js';

/**
 * supported: done as systemd does, everywhere. enforced here / not enforced here: done only where the host
 * allows (a mount namespace, ...). approximated: done another way with the same intent. ignored: unknown
 * or removed keys, which systemd ignores too.
 */
export const SETTING_STATUSES = ['supported', 'enforced here', 'approximated', 'not enforced here', 'ignored'] as const;
export type SettingStatus = (typeof SETTING_STATUSES)[number];

export interface HostAbilities {
  /** The supervisor may unshare a mount namespace (root with CAP_SYS_ADMIN, not refused by a seccomp filter). */
  readonly mountNamespaces: boolean;
  /** A cgroup v2 subtree the supervisor may write: KillMode=control-group kills by cgroup, not by process tree. */
  readonly cgroups: boolean;
  /** The exec helper can load libseccomp.so.2 (SystemCallFilter= & co.). */
  readonly seccomp: boolean;
}

export interface SettingSupport {
  readonly status: SettingStatus;
  /** Why it is not simply supported. */
  readonly why?: string;
}

const TABLES: ReadonlyMap<string, SettingsTable> = new Map(
  [unitSettings, serviceSettings, socketSettings, timerSettings, installSettings, readinessSettings, healthCheckSettings].map((t) => [t.section, t]),
);

const UNSUPPORTED: ReadonlyMap<string, readonly { readonly reason: string; readonly keys: readonly string[] }[]> = new Map([
  ['Unit', UNSUPPORTED_UNIT_KEYS],
  ['Service', UNSUPPORTED_SERVICE_KEYS],
  ['Socket', [...UNSUPPORTED_SOCKET_KEYS, ...UNSUPPORTED_SERVICE_KEYS]],
]);

const SANDBOX_KEYS: ReadonlySet<string> = new Set(Object.keys(sandboxSettingRows));
const SECCOMP_KEYS: ReadonlySet<string> = new Set(Object.keys(seccompSettingRows));
const NO_SECCOMP = 'needs libseccomp.so.2, which this host lacks';
const NO_NAMESPACE = 'needs a mount namespace, which this host refuses (not root, or unshare() not allowed)';

/** The status of `Section.Key` on a host with `host`'s abilities. */
export function settingSupport(setting: string, host: HostAbilities): SettingSupport {
  const dot = setting.indexOf('.');
  const section = setting.slice(0, dot);
  const key = setting.slice(dot + 1);
  const row = TABLES.get(section)?.rows[key];
  if (row === undefined) return { status: 'ignored', why: key.startsWith('X-') ? 'an extension key' : 'unknown key' };
  if (row === removedSetting) return { status: 'ignored', why: 'removed from systemd' };
  const group = UNSUPPORTED.get(section)?.find((g) => g.keys.includes(key));
  if (group !== undefined) return { status: 'not enforced here', why: group.reason };
  if (SANDBOX_KEYS.has(key)) return host.mountNamespaces ? { status: 'enforced here' } : { status: 'not enforced here', why: NO_NAMESPACE };
  if (SECCOMP_KEYS.has(key)) return host.seccomp ? { status: 'enforced here' } : { status: 'not enforced here', why: NO_SECCOMP };
  if (key === 'KillMode' && !host.cgroups) return { status: 'approximated', why: "no writable cgroup here: the unit's processes are found by process tree" };
  return { status: 'supported' };
}

/** Each host's answers per setting: every unit's start asks for each of its settings. */
const answered = new WeakMap<HostAbilities, Map<string, SettingSupport>>();

function cachedSupport(setting: string, host: HostAbilities): SettingSupport {
  let answers = answered.get(host);
  if (answers === undefined) answered.set(host, (answers = new Map()));
  let support = answers.get(setting);
  if (support === undefined) answers.set(setting, (support = settingSupport(setting, host)));
  return support;
}

/** The keys of `config` this host does not enforce, in the order the files set them (show's NotEnforced=). */
export function notEnforcedKeys(config: UnitConfig, host: HostAbilities): string[] {
  const keys = (config.settings ?? []).filter((s) => cachedSupport(s, host).status === 'not enforced here').map((s) => s.slice(s.indexOf('.') + 1));
  return [...new Set(keys)];
}
