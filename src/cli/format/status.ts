// `systemctl status` output (systemctl-show.c print_status_info), from a UnitInfo and journal lines.
import type { JournalEntry } from '../../protocol/events.js';
import type { ProcessRun, UnitInfo } from '../../protocol/unit-info.js';
import { formatTimespan } from '../../unit/values/timespan.js';
import { exitStatusName } from '../../unit/values/exit-status.js';
import { errnoText } from './errno-text.js';
import { signalName } from '../../unit/values/signal.js';
import { formatJournalLine } from './journal-line.js';
import { escapeControls } from '../../common/printable.js';
import { formatRelative, formatTimestamp } from '../../common/timestamp.js';

/** systemctl's status glyphs: ● active-ish, × failed, ○ inactive. */
function glyph(info: UnitInfo): string {
  if (info.activeState === 'failed') return '×';
  if (info.activeState === 'inactive') return '○';
  return '●';
}

/** "status=1/FAILURE": systemctl names only libc and systemd exit statuses here, not the LSB ones. */
function formatRunStatus(run: ProcessRun): string {
  if (run.code === 'exited') {
    const named = run.status <= 1 || run.status >= 200 ? exitStatusName(run.status) : undefined;
    return `code=exited, status=${run.status}${named ? `/${named}` : ''}`;
  }
  return `code=${run.code ?? 'exited'}, status=${run.status}/${signalName(run.status) ?? run.status}`;
}

function loadedLine(info: UnitInfo): string {
  if (info.loadState === 'loaded') {
    return `loaded (${info.fragmentPath ?? '/dev/null'}; ${info.unitFileState})`;
  }
  if (info.loadState === 'masked') return 'masked (Reason: Unit ' + info.id + ' is masked.)';
  return `${info.loadState}${info.loadError ? ` (Reason: ${info.loadError})` : ''}`;
}

function activeLine(info: UnitInfo, nowMs: number): string {
  const sub = info.activeState === 'failed' ? `(Result: ${info.result})` : `(${info.subState})`;
  const since = info.stateChangeTime > 0 ? ` since ${formatTimestamp(info.stateChangeTime)}; ${formatRelative(nowMs, info.stateChangeTime)}` : '';
  return `${info.activeState} ${sub}${since}`;
}

const field = (name: string, value: string) => `${name.padStart(11)}: ${value}`;

/** A field with one line per value, continuation lines aligned under the first value. */
const fieldLines = (name: string, values: readonly string[]) => values.map((v, i) => (i === 0 ? field(name, v) : `${' '.repeat(13)}${v}`));

const propertyValues = (info: UnitInfo, key: string): string[] => info.properties.filter(([k]) => k === key).map(([, v]) => v);
const unitList = (info: UnitInfo, key: string): string[] => propertyValues(info, key).flatMap((v) => v.split(' ')).filter((u) => u !== '');

/** A timer's next elapse: "Tue 2026-03-03 03:00:00 UTC; 15h left", or n/a. */
const nextElapse = (info: UnitInfo, nowMs: number): string =>
  info.nextElapseTime !== undefined ? `${formatTimestamp(info.nextElapseTime)}; ${formatRelative(nowMs, info.nextElapseTime)}` : 'n/a';

/** TriggeredBy:, a timer's Trigger:, Triggers:, Listen: and Accept=yes counters (print_status_info()). */
function triggerLines(info: UnitInfo, nowMs: number): string[] {
  const lines = [
    ...fieldLines('TriggeredBy', unitList(info, 'TriggeredBy').map((u) => `● ${u}`)),
    ...(info.id.endsWith('.timer') ? [field('Trigger', nextElapse(info, nowMs))] : []),
    ...fieldLines('Triggers', unitList(info, 'Triggers').map((u) => `● ${u}`)),
    ...fieldLines('Listen', propertyValues(info, 'Listen')),
  ];
  if (propertyValues(info, 'Accept')[0] === 'yes') {
    lines.push(field('Accepted', `${propertyValues(info, 'NAccepted')[0] ?? 0}; Connected: ${propertyValues(info, 'NConnections')[0] ?? 0};`));
  }
  return lines;
}

/** `up` runs units with the user's PATH: a command systemd's fixed PATH would not find is named, so the difference is no surprise. */
function userPathLines(info: UnitInfo): string[] {
  const found = new Set([...info.runs, ...(info.mainRun ? [info.mainRun] : [])].flatMap((run) => (run.foundOnUserPath !== undefined ? [run.foundOnUserPath] : [])));
  return [...found].map((path) => field('Command', `${escapeControls(path.slice(path.lastIndexOf('/') + 1))} is ${escapeControls(path)}, found on the user's PATH`));
}

export interface StatusContext {
  readonly nowMs: number;
  readonly hostname: string;
  readonly daemonPid: number;
}

/** unitvisor's [X-Readiness]/[X-HealthCheck]: "Health: unhealthy (HttpGet=…: HTTP 503, 3 failures in a row)". */
function probeLines(info: UnitInfo): string[] {
  const prop = (key: string) => info.properties.find(([k]) => k === key)?.[1];
  return (['Readiness', 'Health'] as const).flatMap((kind) => {
    const probe = prop(`${kind}Probe`);
    if (probe === undefined) return [];
    const last = prop(`${kind}LastResult`);
    const failures = Number(prop(`${kind}Failures`) ?? 0);
    const detail = [last ? `${probe}: ${escapeControls(last)}` : probe, ...(failures > 0 ? [`${failures} failure${failures === 1 ? '' : 's'} in a row`] : [])];
    return [field(kind, `${prop(`${kind}State`)} (${detail.join(', ')})`)];
  });
}

export function formatStatus(info: UnitInfo, journal: readonly JournalEntry[], ctx: StatusContext): string {
  const lines = [`${glyph(info)} ${info.id}${info.description !== info.id ? ` - ${info.description}` : ''}`];
  lines.push(field('Loaded', loadedLine(info)));
  if (info.dropInPaths.length > 0) {
    const byDir = new Map<string, string[]>();
    for (const path of info.dropInPaths) {
      const slash = path.lastIndexOf('/');
      const dir = path.slice(0, slash);
      byDir.set(dir, [...(byDir.get(dir) ?? []), path.slice(slash + 1)]);
    }
    let first = true;
    for (const [dir, files] of byDir) {
      lines.push(`${first ? '    Drop-In' : '           '}: ${dir}`);
      lines.push(`             └─${files.join(', ')}`);
      first = false;
    }
  }
  lines.push(field('Active', activeLine(info, ctx.nowMs)));
  if (info.job) lines.push(field('Job', `${info.job.id} (${info.job.type}/${info.job.state})`));
  const endMs = info.activeExitTime > info.activeEnterTime ? info.activeExitTime : 0;
  if (info.activeEnterTime > 0 && endMs > 0 && (info.activeState === 'inactive' || info.activeState === 'failed')) {
    lines.push(field('Duration', formatTimespan((endMs - info.activeEnterTime) * 1000)));
  }
  lines.push(...triggerLines(info, ctx.nowMs));
  for (const run of info.runs) {
    lines.push(field('Process', `${run.pid} ${run.setting}=${escapeControls(run.commandLine)} (${formatRunStatus(run)})`));
  }
  if (info.mainPid > 0) {
    const proc = info.processes.find((p) => p.pid === info.mainPid);
    const comm = proc ? escapeControls(proc.commandLine).split(' ')[0]?.split('/').pop() : undefined;
    lines.push(field('Main PID', `${info.mainPid}${comm ? ` (${comm})` : ''}`));
  } else if (info.mainRun && info.mainRun.code !== undefined) {
    lines.push(field('Main PID', `${info.mainRun.pid} (${formatRunStatus(info.mainRun)})`));
  }
  lines.push(...userPathLines(info));
  if (info.statusText) lines.push(field('Status', `"${escapeControls(info.statusText)}"`));
  lines.push(...probeLines(info));
  // ERRNO= from sd_notify (systemctl's "Error:" line).
  const errno = Number(info.properties.find(([key]) => key === 'StatusErrno')?.[1] ?? 0);
  if (errno > 0) lines.push(field('Error', `${errno} (${errnoText(errno)})`));
  if (info.processes.length > 0) {
    lines.push(field('Tasks', String(info.processes.length)));
    // Without a cgroup of its own, the unit's process set (kept by descent) is listed under the unit itself.
    if (info.tracking?.mode === 'cgroup') lines.push(field('CGroup', info.tracking.controlGroup));
    else lines.push(field('Processes', `${info.id} (process tree, no cgroup)`));
    info.processes.forEach((p, i) => {
      lines.push(`             ${i === info.processes.length - 1 ? '└─' : '├─'}${p.pid} ${escapeControls(p.commandLine)}`);
    });
  }
  if (journal.length > 0) {
    lines.push('');
    for (const entry of journal) lines.push(formatJournalLine(entry, ctx.hostname, ctx.daemonPid));
  }
  return lines.join('\n');
}
