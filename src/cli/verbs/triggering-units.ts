// systemctl's warning after `stop` (check_triggering_units()): a unit that an active socket, timer or path
// unit can start again is named together with those units, on stderr.
import { call } from '../client.js';
import type { Io, Options } from '../command.js';
import { socketOf } from '../request.js';
import type { ShowResult, StatesResult } from '../../protocol/results.js';

export async function warnTriggeringUnits(units: readonly string[], options: Options, io: Io): Promise<void> {
  if (units.length === 0) return;
  const shown = await call(socketOf(options), { verb: 'show', units });
  if (!shown.ok) return;
  for (const info of (shown.result as ShowResult).units) {
    if (info.loadState === 'masked') continue;
    const triggeredBy = info.properties.find(([name]) => name === 'TriggeredBy')?.[1].split(' ').filter((u) => u !== '') ?? [];
    if (triggeredBy.length === 0) continue;
    const states = await call(socketOf(options), { verb: 'is-active', units: triggeredBy });
    if (!states.ok) continue;
    const active = (states.result as StatesResult).states.filter((s) => s.activeState === 'active' || s.activeState === 'reloading').map((s) => s.unit);
    if (active.length === 0) continue;
    io.err(`Warning: Stopping ${info.id}, but it can still be activated by:`);
    for (const unit of active) io.err(`  ${unit}`);
  }
}
