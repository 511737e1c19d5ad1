// The [Install] settings table (systemd.unit(5) "[Install] Section Options"); read by enable, not at load.
import type { ParseContext, ValueParser } from './define-settings.js';
import { defineSettings, list, scalar } from './define-settings.js';
import { expandedWords, unset } from './value-parsers.js';

/**
 * Names as written, specifiers expanded. systemd's loader does not look at [Install] at all, so
 * nothing is reported here; `enable` checks the names when it acts on them.
 */
const names: ValueParser<string[]> = (value: string, ctx: ParseContext) => expandedWords(value, ctx);

export const installSettings = defineSettings('Install', {
  WantedBy: list('install', 'wantedBy', names),
  RequiredBy: list('install', 'requiredBy', names),
  UpheldBy: list('install', 'upheldBy', names),
  Alias: list('install', 'alias', names),
  Also: list('install', 'also', names),
  DefaultInstance: scalar('install', 'defaultInstance', (value, ctx) => ctx.expand(value), unset),
});
