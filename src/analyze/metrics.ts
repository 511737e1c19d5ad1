// /metrics in the Prometheus text exposition format (version 0.0.4): unit states, restarts, start-limit
// hits, main PID start times, process counts, job durations, probe states, and the supervisor's own RSS
// and event-loop lag. A writer of its own: one pass over a snapshot, no registry to keep in step.
import { ACTIVE_STATES } from '../unit/active-state.js';
import { SYSTEM_STATES, type SystemSnapshot } from '../protocol/analysis.js';

export interface ProcessFacts {
  readonly residentBytes: number;
  /** Event-loop delay: the mean and the worst seen since the last scrape, in seconds. */
  readonly eventLoopLagSeconds: number;
  readonly eventLoopLagMaxSeconds: number;
  readonly startTimeSeconds: number;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${label(v)}"`).join(',')}}`;
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : 'NaN');

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): (l: Record<string, string>, v: number, suffix?: string) => void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return (l, v, suffix = '') => void this.lines.push(`${name}${suffix}${Object.keys(l).length ? labels(l) : ''} ${num(v)}`);
  }
}

export function formatMetrics(snapshot: SystemSnapshot, proc: ProcessFacts): string {
  const w = new Writer();
  const system = w.family('unitvisor_system_state', 'gauge', 'The manager state as is-system-running reports it (1 for the current state).');
  for (const s of SYSTEM_STATES.filter((s) => s !== 'offline')) system({ state: s }, s === snapshot.state ? 1 : 0);
  const units = snapshot.units.filter((u) => u.loadState === 'loaded');
  const active = w.family('unitvisor_unit_state', 'gauge', 'Unit ActiveState (1 for the current state).');
  for (const u of units) for (const s of ACTIVE_STATES) active({ unit: u.id, state: s }, s === u.activeState ? 1 : 0);
  const sub = w.family('unitvisor_unit_sub_state', 'gauge', 'Unit SubState (the current one, value 1).');
  for (const u of units) sub({ unit: u.id, sub_state: u.subState }, 1);
  const services = units.filter((u) => u.id.endsWith('.service'));
  const restarts = w.family('unitvisor_unit_restarts_total', 'counter', 'Automatic restarts of the service (NRestarts).');
  for (const u of services) restarts({ unit: u.id }, u.nRestarts);
  const hits = w.family('unitvisor_unit_start_limit_hits_total', 'counter', 'Starts refused by StartLimitIntervalSec=/StartLimitBurst=.');
  for (const u of services) hits({ unit: u.id }, u.startLimitHits);
  const started = w.family('unitvisor_unit_main_pid_start_time_seconds', 'gauge', 'When the main process started (ExecMainStartTimestamp), seconds since the epoch.');
  for (const u of services) if (u.mainPid > 0 && u.timestamps.execMainStart > 0) started({ unit: u.id }, u.timestamps.execMainStart / 1000);
  const procs = w.family('unitvisor_unit_processes', 'gauge', 'Processes the unit has now.');
  for (const u of services) procs({ unit: u.id }, u.processCount);
  const probes = w.family('unitvisor_unit_probe_state', 'gauge', 'The [X-Readiness]/[X-HealthCheck] probe state (1 for the current state).');
  for (const u of units) {
    for (const p of u.probes) probes({ unit: u.id, probe: p.kind.toLowerCase(), state: p.state }, 1);
  }
  const jobs = w.family('unitvisor_jobs', 'gauge', 'Installed jobs by state.');
  for (const state of ['waiting', 'running']) jobs({ state }, snapshot.jobs.filter((j) => j.state === state).length);
  const durations = w.family('unitvisor_job_duration_seconds', 'histogram', 'Run time of finished jobs, from installation to result, by job type.');
  for (const [type, d] of Object.entries(snapshot.jobDurations.byType)) {
    snapshot.jobDurations.bounds.forEach((bound, i) => durations({ type, le: String(bound) }, d.buckets[i] ?? 0, '_bucket'));
    durations({ type, le: '+Inf' }, d.count, '_bucket');
    durations({ type }, d.sum, '_sum');
    durations({ type }, d.count, '_count');
  }
  w.family('process_resident_memory_bytes', 'gauge', 'Resident memory of the supervisor in bytes.')({}, proc.residentBytes);
  w.family('process_start_time_seconds', 'gauge', 'Start time of the supervisor since the epoch in seconds.')({}, proc.startTimeSeconds);
  w.family('unitvisor_event_loop_lag_seconds', 'gauge', 'Mean event-loop delay of the supervisor since the last scrape.')({}, proc.eventLoopLagSeconds);
  w.family('unitvisor_event_loop_lag_max_seconds', 'gauge', 'Worst event-loop delay of the supervisor since the last scrape.')({}, proc.eventLoopLagMaxSeconds);
  return `${w.lines.join('\n')}\n`;
}
