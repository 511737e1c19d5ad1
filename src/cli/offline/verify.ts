// `verify UNIT|FILE...`: load units as the daemon would and report every problem as `file:line: message` (systemd-analyze(1) verify).
import * as path from 'node:path';
import { dedupeDiagnostics, formatDiagnostic } from '../../unit/diagnostic.js';
import { resolveUnitPath } from '../../unit/search-path.js';
import { loadUnitByName } from '../../unit/unit-directory.js';
import { isValidUnitName } from '../../unit/unit-name.js';
import { hostSpecifierContext } from '../../process/host-facts.js';
import type { OfflineResult } from './result.js';

export interface VerifyArgs {
  readonly unitPath: readonly string[];
  readonly names: readonly string[];
}

/**
 * A FILE argument (any argument with a "/") puts its directory first in the search path and
 * loads the unit by its file name, as systemd-analyze does. Exit 1 when any unit failed to
 * load or any problem is an error; warnings alone exit 0.
 */
export function runVerify(args: VerifyArgs): OfflineResult {
  const base = resolveUnitPath({ unitPath: args.unitPath, env: process.env });
  const lines: string[] = [];
  let failed = false;
  for (const arg of args.names) {
    const isFile = arg.includes('/');
    const name = isFile ? path.basename(arg) : arg;
    if (!isValidUnitName(name)) {
      lines.push(`Failed to prepare filename ${arg}: Invalid argument`);
      failed = true;
      continue;
    }
    const unitPath = isFile ? [path.dirname(path.resolve(arg)), ...base] : base;
    const { config, diagnostics } = loadUnitByName(name, { unitPath, specifiers: hostSpecifierContext() });
    for (const d of dedupeDiagnostics(diagnostics)) {
      lines.push(formatDiagnostic(d));
      if (d.severity === 'error') failed = true;
    }
    if (config.loadState === 'not-found' || config.loadState === 'masked') lines.push(config.loadError ?? `Unit ${name} failed to load.`);
    if (config.loadState !== 'loaded') failed = true;
  }
  return { stdout: '', stderr: lines.map((l) => `${l}\n`).join(''), exitCode: failed ? 1 : 0 };
}

