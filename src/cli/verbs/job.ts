// start, stop, restart, …: one transaction per unit; wait for the jobs unless --no-block.
import type { Io, Options } from '../command.js';
import { request, socketOf } from '../request.js';
import { call } from '../client.js';
import type { JobsInProgress } from '../../protocol/job-progress.js';
import type { JobInfo } from '../../protocol/unit-info.js';
import type { ListJobsResult } from '../../protocol/results.js';
import { ERROR_EXIT_CODES, EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { JobVerb } from '../../protocol/protocol.js';
import type { JobVerbResult } from '../../protocol/results.js';

export async function jobVerb(verb: JobVerb, units: string[], options: Options, io: Io): Promise<number> {
  if (options['dryRun'] === true) return (await import('./dry-run.js')).dryRun(verb, units, options, io);
  const noBlock = options.noBlock === true;
  const progress = noBlock ? undefined : await jobsInProgress(options, io);
  progress?.watch();
  const res = await request<JobVerbResult>(options, { verb, units, noBlock }, io).finally(() => progress?.stop());
  if (!res.ok) return res.exitCode;
  let code = EXIT_SUCCESS;
  const stopped: string[] = [];
  for (const outcome of res.result.outcomes) {
    if (verb === 'stop' && outcome.kind !== 'refused') stopped.push(outcome.unit);
    if (outcome.kind === 'refused') {
      io.err(`Failed to ${verb} ${outcome.unit}: ${outcome.message}`);
      code = Math.max(code, ERROR_EXIT_CODES[outcome.code]);
    } else if (outcome.kind === 'finished') {
      const message = (await import('../format/job-result.js')).jobFailureMessage(outcome.unit, outcome.result, outcome.serviceResult);
      if (message) {
        io.err(message);
        code = Math.max(code, EXIT_FAILURE);
      }
    }
  }
  // When stopping, warn of units that an active socket or timer can start again (not with --quiet).
  if (stopped.length > 0 && options.quiet !== true) await (await import('./triggering-units.js')).warnTriggeringUnits(stopped, options, io);
  return code;
}

/**
 * On a terminal, systemd's console status while the jobs run, from list-jobs on a second connection.
 * Loaded only then: a script's `start` (and every --no-block) skips the progress modules.
 */
async function jobsInProgress(options: Options, io: Io): Promise<JobsInProgress | undefined> {
  const terminal = io.terminal;
  if (!terminal) return undefined;
  const [{ realClock }, { JobsInProgress }] = await Promise.all([import('../../common/clock.js'), import('../../protocol/job-progress.js')]);
  const jobs = async (): Promise<readonly JobInfo[]> => {
    const reply = await call(socketOf(options), { verb: 'list-jobs' });
    return reply.ok ? (reply.result as ListJobsResult).jobs : [];
  };
  return new JobsInProgress(realClock, jobs, (text) => terminal.write(text), terminal.colour);
}
