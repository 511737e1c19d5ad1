// list-units, list-jobs, list-dependencies: systemctl's tables and trees.
import type { Io, Options } from '../command.js';
import { formatListJobs, formatListUnits } from '../format/list-units.js';
import { formatListSockets } from '../format/list-sockets.js';
import { formatTree } from '../format/tree.js';
import { formatListTimers, listTimersJson } from '../format/list-timers.js';
import { printResult } from '../request.js';
import { formatJson, jsonModeOf, listJobsJson, listUnitsJson } from '../format/json.js';
import type { ListJobsResult, ListUnitsResult, TreeResult } from '../../protocol/results.js';

export function listUnits(patterns: string[], o: Options, io: Io): Promise<number> {
  const all = o.all === true;
  const json = jsonModeOf(o);
  return printResult<ListUnitsResult>(o, { verb: 'list-units', all, failed: o.failed === true, patterns }, io, (r) => (json ? formatJson(listUnitsJson(r.units), json) : formatListUnits(r.units, all)));
}

/** list-sockets [PATTERN...]: the socket units among the loaded units, by listening address. */
export function listSockets(patterns: string[], o: Options, io: Io): Promise<number> {
  const all = o.all === true;
  const req = { verb: 'list-units', all, failed: false, patterns: patterns.length > 0 ? patterns : ['*.socket'] } as const;
  return printResult<ListUnitsResult>(o, req, io, (r) => formatListSockets(r.units.filter((u) => u.id.endsWith('.socket')), all));
}

export function listJobs(o: Options, io: Io): Promise<number> {
  const json = jsonModeOf(o);
  return printResult<ListJobsResult>(o, { verb: 'list-jobs' }, io, (r) => (json ? formatJson(listJobsJson(r.jobs, Date.now()), json) : formatListJobs(r.jobs, Date.now())));
}

export function listDependencies(unit: string | undefined, o: Options, io: Io): Promise<number> {
  const direction = o['after'] ? 'after' : o['before'] ? 'before' : 'requirements';
  const req = { verb: 'list-dependencies', unit: unit ?? 'default.target', reverse: o['reverse'] === true, direction, all: o.all === true } as const;
  return printResult<TreeResult>(o, req, io, (r) => formatTree(r.tree));
}

/** list-timers: the daemon's timer units; inactive ones only with --all. */
export function listTimers(patterns: string[], o: Options, io: Io): Promise<number> {
  const all = o.all === true;
  const req = { verb: 'list-units', all, failed: false, patterns: patterns.length > 0 ? patterns : ['*.timer'] } as const;
  const json = jsonModeOf(o);
  return printResult<ListUnitsResult>(o, req, io, (r) => {
    const timers = r.units.filter((u) => u.id.endsWith('.timer') && u.loadState === 'loaded');
    return json ? formatJson(listTimersJson(timers), json) : formatListTimers(timers, all, Date.now());
  });
}
