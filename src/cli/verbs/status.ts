// status [UNIT...]: systemctl's status blocks and LSB exit codes.
import type { Io, Options } from '../command.js';
import { request } from '../request.js';
import { EXIT_PROGRAM_NOT_RUNNING, EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { StatusResult } from '../../protocol/results.js';

export async function status(units: string[], options: Options, io: Io): Promise<number> {
  // The formatter's modules load while the daemon answers.
  const formatting = import('../format/status.js');
  const res = await request<StatusResult>(options, { verb: 'status', units }, io);
  if (!res.ok) return res.exitCode;
  const { formatStatus } = await formatting;
  const { result } = res;
  if (options['json'] !== undefined || options['output'] !== undefined) {
    const json = await import('./json-output.js');
    if (json.printStatusJson(result, options, io)) return json.statusExitCode(result);
  }
  let code = EXIT_SUCCESS;
  let printed = false;
  for (const entry of result.units) {
    if (!entry.found) {
      io.err(`Unit ${entry.name} could not be found.`);
      code = EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN;
      continue;
    }
    io.out(`${printed ? '\n' : ''}${formatStatus(entry.info, entry.journal, result)}`);
    printed = true;
    // print_status_info() ends with warn_unit_file_changed(), on stderr.
    if (entry.info.properties.some(([key, value]) => key === 'NeedDaemonReload' && value === 'yes')) io.err(unitFileChangedWarning(entry.info.id));
    if (entry.info.activeState !== 'active' && entry.info.activeState !== 'reloading' && code === EXIT_SUCCESS) code = EXIT_PROGRAM_NOT_RUNNING;
  }
  return code;
}

export const unitFileChangedWarning = (unit: string): string =>
  `Warning: The unit file, source configuration file or drop-ins of ${unit} changed on disk. Run 'unitvisor daemon-reload' to reload units.`;
