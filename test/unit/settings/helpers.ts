// Test helpers: load unit texts through loadFragment with fixed host facts.
import { formatDiagnostic } from '../../../src/unit/diagnostic.js';
import { loadFragment, type UnitSourceFile } from '../../../src/unit/load-fragment.js';
import type { UnitConfig } from '../../../src/unit/model.js';
import type { SpecifierContext } from '../../../src/unit/specifiers.js';

export const HOST: SpecifierContext = {
  unitName: '',
  hostname: 'box.example.org',
  shortHostname: 'box',
  machineId: '0123456789abcdef0123456789abcdef',
  userName: 'root',
  uid: 0,
  groupName: 'root',
  gid: 0,
  home: '/root',
  shell: '/bin/sh',
  runtimeDir: '/run',
  stateDir: '/var/lib',
  cacheDir: '/var/cache',
  logsDir: '/var/log',
  configDir: '/etc',
  tmpDir: '/tmp',
  varTmpDir: '/var/tmp',
};

export interface Loaded {
  readonly config: UnitConfig;
  /** Diagnostics as `file:line: message`. */
  readonly messages: string[];
}

/** Loads `text` as /u/NAME with optional drop-ins (texts, applied in order). */
export function load(text: string, name = 'a.service', dropIns: readonly string[] = [], fragmentName = name): Loaded {
  const fragment: UnitSourceFile = { path: `/u/${fragmentName}`, text };
  const drops = dropIns.map((t, i): UnitSourceFile => ({ path: `/u/${name}.d/${i}.conf`, text: t }));
  const { config, diagnostics } = loadFragment({ name, fragment, dropIns: drops, aliases: [], specifiers: HOST });
  return { config, messages: diagnostics.map(formatDiagnostic) };
}

/** A service with one valid ExecStart= and the given [Service] lines. */
export const service = (...lines: string[]): Loaded => load(['[Service]', 'ExecStart=/bin/true', ...lines].join('\n'));

/** A service with the given [Unit] lines. */
export const unitLines = (...lines: string[]): Loaded => load(['[Unit]', ...lines, '[Service]', 'ExecStart=/bin/true'].join('\n'));
