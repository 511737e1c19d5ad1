// start --dry-run (and the other job verbs): the transaction each request would make, changing nothing.
import type { Io, Options } from '../command.js';
import { request } from '../request.js';
import { formatTable } from '../format/table.js';
import { formatJson, jsonModeOf } from '../format/json.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { JobVerb } from '../../protocol/protocol.js';
import type { DryRunResult } from '../../protocol/results.js';

export async function dryRun(verb: JobVerb, units: string[], options: Options, io: Io): Promise<number> {
  const res = await request<DryRunResult>(options, { verb: 'dry-run', job: verb, units }, io);
  if (!res.ok) return res.exitCode;
  const json = jsonModeOf(options);
  if (json) io.out(formatJson(res.result.reports, json));
  let code = EXIT_SUCCESS;
  for (const report of res.result.reports) {
    if (!report.ok) {
      if (!json) io.err(`Failed to ${verb} ${report.unit}: ${report.messages.at(-1) ?? ''}`);
      code = EXIT_FAILURE;
      continue;
    }
    if (json) continue;
    const lines = report.messages.map((m) => m);
    if (report.jobs.length === 0) lines.push(`Nothing to do for ${verb} ${report.unit}.`);
    else {
      lines.push(...formatTable(['ORDER', 'UNIT', 'TYPE', 'AFTER'], report.jobs.map((j) => [String(j.order), j.unit, j.type, j.waitsFor.join(' ')])).map((l) => l.trimEnd()));
      const n = report.jobs.length;
      lines.push('', `${n} ${n === 1 ? 'job' : 'jobs'} would be queued for ${verb} ${report.unit}; nothing was changed.`);
    }
    for (const c of report.canceled) lines.push(`Would cancel job ${c.id} (${c.unit}/${c.type}).`);
    // What the request stops besides what was asked for (conflicts, units that require a stopped one).
    for (const j of report.jobs.filter((j) => j.type === 'stop' && j.unit !== report.unit)) lines.push(`Would stop ${j.unit}.`);
    io.out(lines.join('\n'));
  }
  return code;
}
