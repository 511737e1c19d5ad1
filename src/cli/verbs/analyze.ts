// analyze critical-chain|blame|dot|plot|verify: systemd-analyze's views of what the manager did,
// computed here from one snapshot of the daemon's units (times, edges, jobs).
import type { Io, Options } from '../command.js';
import { request } from '../request.js';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../../protocol/exit-codes.js';
import type { SystemSnapshot } from '../../protocol/analysis.js';
import { formatBlame } from '../../analyze/blame.js';
import { BOOT_NOT_FINISHED, formatCriticalChain } from '../../analyze/critical-chain.js';
import { DOT_HINT, DOT_LEGEND, formatDot } from '../../analyze/dot.js';
import { formatPlot } from '../../analyze/plot.js';

export const ANALYZE_VERBS = ['critical-chain', 'blame', 'dot', 'plot', 'verify'] as const;

export async function analyze(args: string[], options: Options, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') return printVerify(rest, options, io);
  if (sub === undefined || !(ANALYZE_VERBS as readonly string[]).includes(sub)) {
    io.err(`Unknown analyze command '${sub ?? ''}' (expected ${ANALYZE_VERBS.join(', ')}).`);
    return EXIT_USAGE;
  }
  const res = await request<SystemSnapshot>(options, { verb: 'snapshot' }, io);
  if (!res.ok) return res.exitCode;
  const snapshot = res.result;
  switch (sub) {
    case 'blame':
      io.out(formatBlame(snapshot));
      return EXIT_SUCCESS;
    case 'critical-chain': {
      const text = formatCriticalChain(snapshot, rest);
      if (text === undefined) {
        io.err(BOOT_NOT_FINISHED);
        return EXIT_FAILURE;
      }
      io.out(text);
      return EXIT_SUCCESS;
    }
    case 'dot': {
      io.err(DOT_LEGEND);
      if (process.stdout.isTTY) io.err(DOT_HINT);
      const list = (key: string) => (options[key] as string[] | undefined) ?? [];
      const only = options['order'] === true ? 'order' : options['require'] === true ? 'require' : undefined;
      io.out(formatDot(snapshot, { patterns: rest, from: list('fromPattern'), to: list('toPattern'), ...(only ? { only } : {}) }));
      return EXIT_SUCCESS;
    }
    default: {
      const { VERSION } = await import('../../api/version.js');
      io.out(formatPlot(snapshot, { version: VERSION }).replace(/\n$/, ''));
      return EXIT_SUCCESS;
    }
  }
}

/** `analyze verify` is `verify`: every problem as file:line: message. */
async function printVerify(names: string[], options: Options, io: Io): Promise<number> {
  const result = (await import('../offline/index.js')).runVerify({ unitPath: options.unitPath ?? [], names });
  if (result.stdout) io.out(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
}
