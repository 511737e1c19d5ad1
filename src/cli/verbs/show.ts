// show UNIT... [-p NAME,...] [--value] [--all]: Key=Value blocks from the daemon, or --offline from the files.
import type { Io, Options } from '../command.js';
import { formatShow } from '../format/show.js';
import { printResult, request } from '../request.js';
import { EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { ShowResult } from '../../protocol/results.js';
import { unitPathOf } from '../daemon-unit-path.js';
import { jsonModeOf } from '../format/json.js';

export async function show(units: string[], options: Options, io: Io): Promise<number> {
  const showOptions = { properties: options.property ?? [], valueOnly: options.value === true, all: options.all === true };
  if (options.offline) {
    const { showOffline } = await import('../offline/show-offline.js');
    const result = showOffline({ unitPath: await unitPathOf(options), names: units });
    for (const info of result.units) io.out(formatShow(info, showOptions));
    for (const line of result.diagnostics) io.err(line);
    return EXIT_SUCCESS;
  }
  // systemctl's show has no JSON: `-o json` gives the same objects as --json (as list-units, list-jobs and list-timers do).
  if (jsonModeOf(options)) {
    const json = await import('./json-output.js');
    const res = await request<ShowResult>(options, { verb: 'show', units }, io);
    return res.ok ? (json.printShowJson(res.result, options, io), EXIT_SUCCESS) : res.exitCode;
  }
  return printResult<ShowResult>(options, { verb: 'show', units }, io, (result) => result.units.map((info) => formatShow(info, showOptions)).join('\n\n'));
}
