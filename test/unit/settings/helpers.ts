// Test helpers: load unit texts through loadFragment with fixed host facts.
import { formatDiagnostic } from '../../../src/unit/diagnostic.js';
import { loadFragment, type UnitSourceFile } from '../../../src/unit/load-fragment.js';
import type { UnitConfig } from '../../../src/unit/model.js';
import type { SpecifierContext } from '../../../src/unit/specifiers.js';
import { ROOT_HOST } from '../../helpers/root-host.js';

export const HOST: SpecifierContext = {
  ...ROOT_HOST,
  unitName: '',
  hostname: 'box.example.org',
  shortHostname: 'box',
  machineId: '0123456789abcdef0123456789abcdef',
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
