// systemctl's argument rules (getopt_long with permutation): options may stand before or after the
// verb, `--opt=value` or `--opt value`, short switches cluster (`-aq`), `--` ends the options.
import type { OptionSpec, Options, VerbSpec } from './command.js';

export interface Parsed {
  readonly verb: VerbSpec;
  readonly args: string[];
  readonly options: Options;
}

interface CompiledOption {
  readonly short?: string;
  readonly long: string;
  readonly key: string;
  readonly takesValue: boolean;
  /** `--json[=<mode>]`: a switch, or a value given with `=` (getopt's optional_argument). */
  readonly optionalValue: boolean;
  readonly spec: OptionSpec;
}

const camel = (long: string) => long.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function compileOption(spec: OptionSpec): CompiledOption {
  const m = /^(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)(?: <[^>]+>|\[=<[^>]+>\])?$/.exec(spec.flags);
  if (!m) throw new Error(`bad option flags: ${spec.flags}`);
  const long = m[2] as string;
  return { ...(m[1] ? { short: m[1] } : {}), long, key: camel(long), takesValue: spec.flags.includes(' <'), optionalValue: spec.flags.includes('[='), spec };
}

type Found = { option: CompiledOption; inline?: string } | undefined;

function lookup(options: readonly CompiledOption[], token: string): Found {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=');
    const long = token.slice(2, eq < 0 ? undefined : eq);
    const option = options.find((o) => o.long === long);
    return option && (eq < 0 ? { option } : { option, inline: token.slice(eq + 1) });
  }
  const option = options.find((o) => o.short === token[1]);
  return option && (token.length > 2 ? { option, inline: token.slice(2) } : { option });
}

/** The first word that is neither an option nor an option's value: the verb. */
function findVerb(argv: readonly string[], options: readonly CompiledOption[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') return argv[i + 1];
    if (!token.startsWith('-') || token === '-') return token;
    const found = lookup(options, token);
    if (found?.option.takesValue && found.inline === undefined) i++;
  }
  return undefined;
}

function store(options: Options, option: CompiledOption, value: string | undefined): string | undefined {
  const { spec, key } = option;
  if (value === undefined) {
    options[key] = true;
    return undefined;
  }
  if (spec.choices && !spec.choices.includes(value)) return `Invalid value '${value}' for --${option.long} (expected ${spec.choices.join(', ')}).`;
  const previous = (options[key] as string[] | undefined) ?? [];
  if (spec.multiple === 'append') options[key] = [...previous, value];
  else if (spec.multiple === 'split') options[key] = [...previous, ...value.split(',').filter(Boolean)];
  else options[key] = value;
  return undefined;
}

function arity(args: string | undefined): { min: number; max: number } {
  if (!args) return { min: 0, max: 0 };
  const variadic = args.includes('...');
  return { min: args.startsWith('<') ? 1 : 0, max: variadic ? Infinity : 1 };
}

/**
 * Parses a command line against the global options and the verb table (the verb found first, so that
 * its own options are known wherever they stand). `defaultVerb` runs when none is named.
 * Returns the error text systemctl would print for bad arguments.
 */
export function parseArgv(
  argv: readonly string[],
  globals: readonly OptionSpec[],
  verbs: readonly VerbSpec[],
  defaultVerb: string,
): { ok: true; value: Parsed } | { ok: false; message: string } {
  const every = [...globals, ...verbs.flatMap((v) => v.options ?? [])].map(compileOption);
  const name = findVerb(argv, every) ?? defaultVerb;
  const verb = verbs.find((v) => v.name === name);
  if (!verb) return { ok: false, message: `Unknown command verb ${name}.` };

  const known = [...globals, ...(verb.options ?? [])].map(compileOption);
  const options: Options = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positional.push(token);
      continue;
    }
    // A cluster of short switches (`-aq`) is split one letter at a time.
    const found = lookup(known, token);
    if (!found) return { ok: false, message: `unitvisor: unrecognized option '${token.startsWith('--') ? token.split('=')[0] : token.slice(0, 2)}'` };
    const { option } = found;
    let value: string | undefined;
    if (option.takesValue) {
      value = found.inline ?? argv[++i];
      if (value === undefined) return { ok: false, message: `unitvisor: option '${token.startsWith('--') ? `--${option.long}` : `-${option.short}`}' requires an argument` };
    } else if (found.inline !== undefined && option.optionalValue) {
      value = found.inline;
    } else if (found.inline !== undefined) {
      if (token.startsWith('--')) return { ok: false, message: `unitvisor: option '--${option.long}' doesn't allow an argument` };
      argv = [...argv.slice(0, i + 1), `-${found.inline}`, ...argv.slice(i + 1)];
    }
    const error = store(options, option, value);
    if (error) return { ok: false, message: error };
  }
  for (const { key, spec } of known) if (spec.default !== undefined && options[key] === undefined) options[key] = spec.default;

  const args = positional[0] === verb.name ? positional.slice(1) : positional;
  // --help and --version answer without the verb's arguments.
  if (options['help'] === true || options['version'] === true) return { ok: true, value: { verb, args, options } };
  const { min, max } = arity(verb.args);
  if (args.length < min) return { ok: false, message: 'Too few arguments.' };
  if (args.length > max) return { ok: false, message: 'Too many arguments.' };
  return { ok: true, value: { verb, args, options } };
}
