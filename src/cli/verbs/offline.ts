// Verbs that read unit files without a daemon: verify, cat, enable, disable, is-enabled (verify and cat
// read them where a running daemon loads them).
import type { Io, Options } from '../command.js';
import { listUnitFiles as listFiles, runCat, runEnable, runIsEnabled, runReport, runVerify } from '../offline/index.js';
import { formatListUnitFiles, listUnitFilesJson } from '../format/list-unit-files.js';
import { formatJson, jsonModeOf } from '../format/json.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import { unitPathOf } from '../daemon-unit-path.js';

function printed(result: { stdout: string; stderr: string; exitCode: number }, io: Io): number {
  if (result.stdout) io.out(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
}

/** verify UNIT...; verify --report [UNIT...]: how far each setting the units set is honoured here. */
export async function verify(names: string[], o: Options, io: Io): Promise<number> {
  const unitPath = await unitPathOf(o);
  if (o['report'] === true) return printed(runReport({ unitPath, names, json: jsonModeOf({ json: o['json'] }) }), io);
  if (names.length === 0) {
    io.err('verify: name the units or unit files to check (or ask for --report).');
    return 1;
  }
  return printed(runVerify({ unitPath, names }), io);
}
export const cat = async (names: string[], o: Options, io: Io) => printed(runCat({ unitPath: await unitPathOf(o), names }), io);
/** list-unit-files [PATTERN...] [--state=A,B]: every unit file of the search path with its state and preset. */
export async function listUnitFiles(patterns: string[], o: Options, io: Io): Promise<number> {
  const { rows, warnings } = listFiles({ root: o.root, unitPath: o.unitPath, patterns, states: (o['state'] as string[] | undefined) ?? [] });
  for (const warning of warnings) io.err(warning);
  const json = jsonModeOf(o);
  io.out(json ? formatJson(listUnitFilesJson(rows), json) : formatListUnitFiles(rows));
  // As systemctl 252: nothing listed (no file, or none matching) is an error.
  return rows.length > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

export const isEnabled = async (names: string[], o: Options, io: Io) => printed(runIsEnabled({ root: o.root, unitPath: o.unitPath, names }), io);

/** enable/disable, then with --now start/stop the units through the daemon. */
export async function enable(names: string[], o: Options, io: Io, disable: boolean): Promise<number> {
  const code = printed(runEnable({ root: o.root, unitPath: o.unitPath, names, disable }), io);
  if (code !== EXIT_SUCCESS || !o.now) return code;
  const { jobVerb } = await import('./job.js');
  return jobVerb(disable ? 'stop' : 'start', names, o, io);
}
