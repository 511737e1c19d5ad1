// start, stop, restart, …: one transaction per unit; wait for the jobs unless --no-block.
import type { Io, Options } from '../command.js';
import { jobFailureMessage } from '../format/job-result.js';
import { request } from '../request.js';
import { ERROR_EXIT_CODES, EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { JobVerb } from '../../protocol/protocol.js';
import type { JobVerbResult } from '../../protocol/results.js';

export async function jobVerb(verb: JobVerb, units: string[], options: Options, io: Io): Promise<number> {
  if (options['dryRun'] === true) return (await import('./dry-run.js')).dryRun(verb, units, options, io);
  const res = await request<JobVerbResult>(options, { verb, units, noBlock: options.noBlock === true }, io);
  if (!res.ok) return res.exitCode;
  let code = EXIT_SUCCESS;
  for (const outcome of res.result.outcomes) {
    if (outcome.kind === 'refused') {
      io.err(`Failed to ${verb} ${outcome.unit}: ${outcome.message}`);
      code = Math.max(code, ERROR_EXIT_CODES[outcome.code]);
    } else if (outcome.kind === 'finished') {
      const message = jobFailureMessage(outcome.unit, outcome.result, outcome.serviceResult);
      if (message) {
        io.err(message);
        code = Math.max(code, EXIT_FAILURE);
      }
    }
  }
  return code;
}
