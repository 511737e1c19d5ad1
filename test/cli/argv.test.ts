// systemctl's argument rules, table by table: options anywhere, clusters, `=` values, `--`, and
// getopt's error texts for bad arguments.
import { describe, expect, test } from 'vitest';
import { compileOption, parseArgv } from '../../src/cli/argv.js';
import { DEFAULT_VERB, GLOBAL_OPTIONS, VERBS } from '../../src/cli/verbs.js';

const parse = (...argv: string[]) => parseArgv(argv, GLOBAL_OPTIONS, VERBS, DEFAULT_VERB);

describe('parseArgv', () => {
  test.each([
    ['options before the verb', ['--socket', 'S', 'start', 'a.service'], 'start', ['a.service'], { socket: 'S' }],
    ['options after the verb', ['start', 'a.service', '--socket', 'S'], 'start', ['a.service'], { socket: 'S' }],
    ['--opt=value', ['--socket=S', 'is-active', 'a'], 'is-active', ['a'], { socket: 'S' }],
    ['--no-block', ['start', '--no-block', 'a', 'b'], 'start', ['a', 'b'], { noBlock: true }],
    ['-p lists split on commas and repeat', ['show', 'a', '-p', 'A,B', '-pC'], 'show', ['a'], { property: ['A', 'B', 'C'] }],
    ['clustered switches', ['list-units', '-aq'], 'list-units', [], { all: true, quiet: true }],
    ['repeatable --unit-path', ['verify', '--unit-path', 'x', '--unit-path', 'y', 'a'], 'verify', ['a'], { unitPath: ['x', 'y'] }],
    ['a verb option before the verb', ['-s', 'KILL', 'kill', 'a'], 'kill', ['a'], { signal: 'KILL', killWhom: 'all' }],
    ['defaults', ['kill', 'a'], 'kill', ['a'], { signal: 'SIGTERM', killWhom: 'all' }],
    ['`--` ends options', ['start', '--', '-weird.service'], 'start', ['-weird.service'], {}],
    ['no verb is list-units', ['--all'], 'list-units', [], { all: true }],
    ['--version needs no verb arguments', ['start', '--version'], 'start', [], { version: true }],
    ['an optional value: --json alone is a switch', ['list-units', '--json', 'a*'], 'list-units', ['a*'], { json: true }],
    ['an optional value given with =', ['show', 'a', '--json=pretty'], 'show', ['a'], { json: 'pretty' }],
    ['-o json', ['-o', 'json', 'list-units'], 'list-units', [], { output: 'json' }],
  ] as const)('%s', (_name, argv, verb, args, options) => {
    const r = parse(...argv);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.verb.name).toBe(verb);
    expect(r.value.args).toEqual(args);
    expect(r.value.options).toMatchObject(options);
  });

  test.each([
    ['an unknown option', ['--bogus'], "unitvisor: unrecognized option '--bogus'"],
    ['an unknown short option', ['-Z'], "unitvisor: unrecognized option '-Z'"],
    ['an unknown verb', ['frob'], 'Unknown command verb frob.'],
    ['too few arguments', ['start'], 'Too few arguments.'],
    ['too many arguments', ['list-jobs', 'x'], 'Too many arguments.'],
    ['a missing value', ['-p'], "unitvisor: option '-p' requires an argument"],
    ['a value for a switch', ['--now=yes', 'enable', 'a'], "unitvisor: option '--now' doesn't allow an argument"],
    ['a value outside the choices', ['up', '--log-format', 'xml'], "Invalid value 'xml' for --log-format (expected json, text)."],
    ["another verb's option", ['status', '--watch'], "unitvisor: unrecognized option '--watch'"],
  ] as const)('%s is an error', (_name, argv, message) => {
    expect(parse(...argv)).toEqual({ ok: false, message });
  });

  test('every flag of the table is well-formed and means one thing', () => {
    const byFlag = new Map<string, string>();
    for (const spec of [...GLOBAL_OPTIONS, ...VERBS.flatMap((v) => v.options ?? [])]) {
      const o = compileOption(spec);
      for (const flag of [o.long, o.short].filter(Boolean) as string[]) {
        expect(byFlag.get(flag) ?? spec.flags, `${flag} is declared twice with different meanings`).toBe(spec.flags);
        byFlag.set(flag, spec.flags);
      }
    }
    expect(new Set(VERBS.map((v) => v.name)).size).toBe(VERBS.length);
  });
});
