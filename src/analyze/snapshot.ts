// A unit's UnitInfo and last job, turned into the flat facts the analysis verbs read.
import type { JobRecord, UnitSnapshot } from '../protocol/analysis.js';
import type { UnitInfo } from '../protocol/unit-info.js';
import { DEPENDENCY_KINDS } from '../unit/dependencies.js';
import { parseTimespan } from '../unit/values/timespan.js';

const KINDS: ReadonlySet<string> = new Set(DEPENDENCY_KINDS);

export function unitSnapshot(info: UnitInfo, lastJob: JobRecord | undefined, startLimitHits = 0): UnitSnapshot {
  const props = new Map(info.properties);
  const number = (key: string) => Number(props.get(key) ?? 0) || 0;
  const deps: Record<string, string[]> = {};
  for (const [key, value] of info.properties) if (KINDS.has(key) && value !== '') deps[key] = value.split(' ');
  const timeout = props.get('TimeoutStartUSec');
  return {
    id: info.id,
    description: info.description,
    loadState: info.loadState,
    loadError: info.loadError,
    activeState: info.activeState,
    subState: info.subState,
    result: info.result,
    timestamps: info.timestamps,
    deps,
    lastJob,
    conditionResult: props.get('ConditionResult') !== 'no',
    assertResult: props.get('AssertResult') !== 'no',
    nRestarts: number('NRestarts'),
    mainPid: info.mainPid,
    execMainCode: number('ExecMainCode'),
    execMainStatus: number('ExecMainStatus'),
    processCount: info.processes.length,
    timeoutStartUsec: timeout === undefined ? undefined : parseTimespan(timeout),
    probes: (['Readiness', 'Health'] as const).flatMap((kind) => {
      const probe = props.get(`${kind}Probe`);
      return probe === undefined ? [] : [{ kind, probe, state: props.get(`${kind}State`) ?? '', lastResult: props.get(`${kind}LastResult`) ?? '', failures: number(`${kind}Failures`) }];
    }),
    startLimitHits,
  };
}
