// Verbs addressed to the manager itself or to units' processes: reset-failed, kill, daemon-reload,
// poweroff, exit.
import type { Io, Options } from '../command.js';
import { acknowledged } from '../request.js';
import { EXIT_USAGE } from '../../protocol/exit-codes.js';
import { parseSignal } from '../../unit/values/signal.js';

export async function kill(units: string[], options: Options, io: Io): Promise<number> {
  const name = String(options['signal']);
  const signal = parseSignal(name);
  if (signal === undefined) {
    io.err(`Failed to parse signal string "${name}".`);
    return EXIT_USAGE;
  }
  return acknowledged(options, { verb: 'kill', units, signal, whom: options['killWhom'] as 'main' | 'control' | 'all' }, io);
}

export async function exit(code: string | undefined, options: Options, io: Io): Promise<number> {
  const n = code === undefined ? undefined : Number(code);
  if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 255)) {
    io.err('Invalid exit code.');
    return EXIT_USAGE;
  }
  return acknowledged(options, { verb: 'exit', code: n }, io);
}
