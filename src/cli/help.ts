// --help text, made from the command table.
import type { OptionSpec, VerbSpec } from './command.js';

const DESCRIPTION = 'A small systemd: runs systemd unit files as PID 1, as a dev process manager, or inside tests.';

function rows(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([left]) => left.length));
  return pairs.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}

const optionRows = (options: readonly OptionSpec[]) => rows(options.map((o) => [o.flags, o.description + (o.default !== undefined ? ` (default: ${o.default})` : '')]));

export function programHelp(verbs: readonly VerbSpec[], globals: readonly OptionSpec[]): string {
  return [
    'Usage: unitvisor [OPTIONS...] COMMAND ...',
    '',
    DESCRIPTION,
    '',
    'Commands:',
    rows(verbs.map((v) => [`${v.name}${v.args ? ` ${v.args}` : ''}`, v.description])),
    '',
    'Options:',
    optionRows(globals),
  ].join('\n');
}

export function verbHelp(verb: VerbSpec): string {
  const lines = [`Usage: unitvisor [OPTIONS...] ${verb.name}${verb.args ? ` ${verb.args}` : ''}`, '', verb.description];
  if (verb.options?.length) lines.push('', 'Options:', optionRows(verb.options));
  return lines.join('\n');
}
