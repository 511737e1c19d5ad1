// The `unitvisor` command line: argv → verb → exit code, in systemctl's words. Loads only the
// argument parser and the command table; each verb imports what it needs when it runs.
import { parseArgv } from './argv.js';
import { ConnectError } from './client.js';
import type { Io } from './command.js';
import { DEFAULT_VERB, GLOBAL_OPTIONS, VERBS } from './verbs.js';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../protocol/exit-codes.js';
import { isValidUnitName } from '../unit/unit-name.js';

export type { Io } from './command.js';

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  ...(process.stdout.isTTY ? { terminal: { write: (text: string) => process.stdout.write(text), colour: !process.env['NO_COLOR'] } } : {}),
};

/** Runs the command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: Io = stdio): Promise<number> {
  const parsed = parseArgv(argv, GLOBAL_OPTIONS, VERBS, DEFAULT_VERB);
  if (!parsed.ok) {
    io.err(parsed.message);
    return EXIT_USAGE;
  }
  const { verb, args, options } = parsed.value;
  if (options['version'] === true) {
    io.out(`unitvisor ${(await import('../api/version.js')).VERSION}`);
    return EXIT_SUCCESS;
  }
  if (options['help'] === true) {
    const help = await import('./help.js');
    io.out(argv.includes(verb.name) ? help.verbHelp(verb) : help.programHelp(VERBS, GLOBAL_OPTIONS));
    return EXIT_SUCCESS;
  }
  try {
    let names = args;
    if (verb.unitNames !== undefined && args.some((a) => !isValidUnitName(a))) {
      const expanded = await (await import('./unit-args.js')).expandUnitNames(verb.name, args, options, io, verb.unitNames === 'glob');
      if (!expanded.ok) return expanded.code;
      if (expanded.names.length === 0) return EXIT_SUCCESS;
      names = expanded.names;
    }
    return await verb.run(names, options, io);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    io.err(error.message);
    return EXIT_FAILURE;
  }
}
