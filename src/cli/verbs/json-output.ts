// --json=pretty|short for show and status, and systemctl's `status -o json` (journal lines as JSON).
import type { Io, Options } from '../command.js';
import { formatJson, jsonModeOf, showJson } from '../format/json.js';
import { formatStatus } from '../format/status.js';
import { journalFields } from '../../protocol/journal-fields.js';
import { EXIT_PROGRAM_NOT_RUNNING, EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { ShowResult, StatusResult } from '../../protocol/results.js';

/** `show --json` (or `-o json`): an array of property objects, one per unit, in argument order. */
export function printShowJson(result: ShowResult, options: Options, io: Io): boolean {
  const mode = jsonModeOf(options);
  if (!mode) return false;
  io.out(formatJson(result.units.map((u) => showJson(u, options.property ?? [], options.all === true)), mode));
  return true;
}

/**
 * `status --json`: per unit its properties and its journal lines with journald's fields.
 * `status -o json` is systemctl's: the status text, with the journal lines as JSON objects.
 */
export function printStatusJson(result: StatusResult, options: Options, io: Io): boolean {
  const origin = { hostname: result.hostname, daemonPid: result.daemonPid };
  const found = result.units.flatMap((u) => (u.found ? [u] : []));
  const json = jsonModeOf({ json: options['json'] });
  if (json) {
    io.out(formatJson(found.map((u) => ({ ...showJson(u.info, [], false), Journal: u.journal.map((e) => journalFields(e, origin)) })), json));
    return true;
  }
  const output = jsonModeOf({ output: options['output'] });
  if (!output) return false;
  io.out(found.map((u) => [formatStatus(u.info, [], result), '', ...u.journal.map((e) => formatJson(journalFields(e, origin), output))].join('\n')).join('\n\n'));
  return true;
}

/** status's exit code: 4 when a unit is unknown, else 3 when one is not active. */
export function statusExitCode(result: StatusResult): number {
  if (result.units.some((u) => !u.found)) return EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN;
  return result.units.every((u) => u.found && (u.info.activeState === 'active' || u.info.activeState === 'reloading')) ? EXIT_SUCCESS : EXIT_PROGRAM_NOT_RUNNING;
}
