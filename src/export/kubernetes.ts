// A set of units → Kubernetes manifests: one Pod template in a Deployment (or a Job when every unit
// is a oneshot), with oneshots ordered before the others as init containers, long-running units that
// others are ordered after as native sidecars, and the rest as containers; plus a report of what
// does not carry over.
import type { UnitConfig } from '../unit/model.js';
import { containerName, containerOf, preContainerOf, type ContainerContext } from './container.js';
import type { Container, Manifest, PodSpec } from './manifest-types.js';
import { Report, type ReportLine } from './report.js';
import { reportUnmapped } from './unmapped.js';
import { cronSchedule } from './cron.js';
import { formatCalendar } from '../unit/values/calendar.js';

export interface ExportOptions {
  /** The workload's name (DNS-1123). */
  readonly name: string;
  readonly image: string;
  readonly ids: ContainerContext['ids'];
  /** Timers with OnCalendar= become CronJobs that run the unit they trigger. */
  readonly cronjobs?: boolean;
  /** EnvironmentFile= contents as KEY=value pairs; undefined where the file could not be read. */
  environmentFile(path: string): Readonly<Record<string, string>> | undefined;
}

export interface ExportResult {
  readonly manifests: Manifest[];
  readonly report: readonly ReportLine[];
}

/** Dependencies that bind units' lifecycles beyond order and requirement: a pod cannot express them. */
const UNEXPRESSIBLE = ['Conflicts', 'PartOf', 'BindsTo', 'Upholds', 'OnFailure', 'OnSuccess', 'PropagatesReloadTo', 'ReloadPropagatedFrom', 'Requisite'] as const;

type Role = 'init' | 'sidecar' | 'container';

export function exportKubernetes(units: readonly UnitConfig[], opts: ExportOptions): ExportResult {
  const report = new Report();
  // 1. The services; other unit types are reported.
  const services = selectServices(units, report, opts.cronjobs === true);
  const ctx: ContainerContext = {
    image: opts.image,
    report,
    ids: opts.ids,
    configMapName: (unit, i) => `${opts.name}-${containerName(unit)}-env${i > 0 ? `-${i}` : ''}`.slice(0, 253),
  };
  const cronJobs = opts.cronjobs ? units.filter((u) => u.type === 'timer' && u.loadState === 'loaded').flatMap((t) => cronJobsOf(t, units, ctx, opts)) : [];
  if (services.length === 0) {
    if (cronJobs.length === 0) report.lossy('(all)', 'no loaded service units to export');
    return { manifests: cronJobs, report: report.lines };
  }
  // 2. systemd's order (After=/Before= among the exported units), then each unit's role in the pod.
  const ordered = orderByAfter(services, report);
  const allOneshot = services.every((u) => u.service!.type === 'oneshot');
  const roles = new Map(ordered.map((u) => [u.id, roleOf(u, ordered, allOneshot, report)]));
  // 3. Containers, ConfigMaps, and what each unit leaves behind.
  const configMaps: Manifest[] = [];
  const init: Container[] = [];
  const preOfMain: Container[] = [];
  const main: Container[] = [];
  for (const unit of ordered) {
    const role = roles.get(unit.id)!;
    const pre = preContainerOf(unit, ctx);
    if (pre) (role === 'container' ? preOfMain : init).push(pre);
    const container = containerOf(unit, ctx, role === 'init');
    if (role === 'container') main.push(container);
    else init.push(role === 'sidecar' ? { ...container, restartPolicy: 'Always' } : container);
    configMaps.push(...environmentConfigMaps(unit, ctx, opts, report));
    reportDependencies(unit, new Set(services.map((s) => s.id)), report);
    reportRestart(unit, role, allOneshot, report);
    reportUnmapped(unit, report);
  }
  // 4. The pod and its workload; container names are unique in a pod.
  const named = uniqueNames([...init, ...preOfMain, ...main], report);
  const initContainers = named.slice(0, init.length + preOfMain.length);
  main.splice(0, main.length, ...named.slice(initContainers.length));
  const grace = Math.max(...services.map((u) => u.service!.timeoutStopUsec));
  if (new Set(services.map((u) => u.service!.timeoutStopUsec)).size > 1) report.note('(pod)', `TimeoutStopSec= is pod-wide in Kubernetes: the longest (${Math.ceil(grace / 1e6)}s) applies to every container`);
  const pod: PodSpec = {
    ...(initContainers.length > 0 ? { initContainers } : {}),
    containers: main,
    restartPolicy: allOneshot ? jobRestartPolicy(services) : 'Always',
    ...(Number.isFinite(grace) ? { terminationGracePeriodSeconds: Math.ceil(grace / 1_000_000) } : {}),
    ...([...initContainers, ...main].some((c) => c.lifecycle?.stopSignal !== undefined) ? { os: { name: 'linux' } } : {}),
  };
  const labels = { 'app.kubernetes.io/name': opts.name, 'app.kubernetes.io/managed-by': 'unitvisor' };
  const workload: Manifest = allOneshot
    ? { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: opts.name, labels }, spec: { backoffLimit: pod.restartPolicy === 'Never' ? 0 : 6, template: { spec: pod } } }
    : {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: opts.name, labels },
        spec: { replicas: 1, selector: { matchLabels: { 'app.kubernetes.io/name': opts.name } }, template: { metadata: { labels }, spec: pod } },
      };
  return { manifests: [...configMaps, workload, ...cronJobs], report: report.lines };
}

/** Containers whose names would repeat (web-pre.service beside web.service's ExecStartPre=) get a suffix. */
function uniqueNames(containers: readonly Container[], report: Report): Container[] {
  const seen = new Set<string>();
  return containers.map((c) => {
    let name = c.name;
    for (let i = 2; seen.has(name); i++) name = `${c.name.slice(0, 60)}-${i}`;
    seen.add(name);
    if (name === c.name) return c;
    report.note('(pod)', `two containers would be named ${c.name}: the second is ${name}`);
    return { ...c, name };
  });
}

/** What a trigger unit means for the unit it triggers, in a pod. */
const TRIGGER_REPORT: Readonly<Record<string, (service: string) => string>> = {
  timer: (service) => `a timer has no pod equivalent (a CronJob would run ${service}); ${service} is left out, so it does not run at start`,
  socket: (service) => `socket activation has no pod equivalent: ${service} runs from the start and must open its own listening socket (no LISTEN_FDS)`,
};

/** Triggers= as the unit set wires it, or systemd's default (the same name with .service) for a lone timer or socket. */
function triggeredBy(u: UnitConfig): readonly string[] {
  if (u.type !== 'timer' && u.type !== 'socket') return [];
  const wired = u.unit.dependencies.Triggers;
  return wired.length > 0 ? wired : [u.id.replace(/\.(timer|socket)$/, '.service')];
}

function selectServices(units: readonly UnitConfig[], report: Report, cronjobs: boolean): UnitConfig[] {
  const out: UnitConfig[] = [];
  // A unit that only a timer starts must not run at the pod's start.
  const timed = new Set(units.filter((u) => u.type === 'timer').flatMap(triggeredBy));
  for (const u of units) {
    const triggered = triggeredBy(u);
    if (u.loadState !== 'loaded') report.lossy(u.id, `not loaded (${u.loadState}${u.loadError ? `: ${u.loadError}` : ''}), skipped`);
    else if (u.type === 'target') continue; // a target only groups units; the pod is the group
    else if (triggered.length > 0 && !(cronjobs && u.type === 'timer')) report.lossy(u.id, TRIGGER_REPORT[u.type]!(triggered.join(' ')));
    else if (triggered.length > 0) continue; // a CronJob of its own
    else if (u.service === undefined) report.lossy(u.id, `${u.type} units have no Kubernetes equivalent here, skipped`);
    else if (timed.has(u.id)) continue;
    else if (u.service.execStart.length === 0) report.lossy(u.id, 'no ExecStart=, nothing to run, skipped');
    else out.push(u);
  }
  return out;
}

/** Units ordered by After=/Before= among themselves (ties by name), as systemd would start them. */
function orderByAfter(services: readonly UnitConfig[], report: Report): UnitConfig[] {
  const byId = new Map(services.map((u) => [u.id, u]));
  const before = new Map(services.map((u) => [u.id, new Set<string>()]));
  for (const u of services) {
    for (const a of u.unit.dependencies.After) if (byId.has(a) && a !== u.id) before.get(u.id)!.add(a);
    for (const b of u.unit.dependencies.Before) if (byId.has(b) && b !== u.id) before.get(b)!.add(u.id);
  }
  const out: UnitConfig[] = [];
  const done = new Set<string>();
  const pending = [...services].sort((a, b) => a.id.localeCompare(b.id));
  while (pending.length > 0) {
    const i = pending.findIndex((u) => [...before.get(u.id)!].every((p) => done.has(p)));
    if (i < 0) {
      report.lossy(pending.map((u) => u.id).join(', '), 'ordering cycle: these units are placed by name');
      out.push(...pending);
      break;
    }
    const [next] = pending.splice(i, 1);
    out.push(next!);
    done.add(next!.id);
  }
  return out;
}

function roleOf(u: UnitConfig, ordered: readonly UnitConfig[], allOneshot: boolean, report: Report): Role {
  const after = ordered.filter((o) => o.id !== u.id && (o.unit.dependencies.After.includes(u.id) || u.unit.dependencies.Before.includes(o.id)));
  if (u.service!.type === 'oneshot') {
    if (after.length > 0) return 'init';
    if (allOneshot) return 'container';
    report.note(u.id, 'a oneshot nothing is ordered after: it runs once as an init container, before every container starts');
    return 'init';
  }
  return after.length > 0 ? 'sidecar' : 'container';
}

function jobRestartPolicy(services: readonly UnitConfig[]): 'OnFailure' | 'Never' {
  return services.some((u) => u.service!.restart !== 'no') ? 'OnFailure' : 'Never';
}

function reportRestart(u: UnitConfig, role: Role, inJob: boolean, report: Report): void {
  const restart = u.service!.restart;
  if (inJob) {
    if (restart !== 'no' && restart !== 'on-failure') report.lossy(u.id, `Restart=${restart}: a Job's pod is restarted on failure only (restartPolicy OnFailure)`);
    return;
  }
  if (role === 'init') {
    if (restart !== 'no') report.lossy(u.id, `Restart=${restart}: a failed init container is retried by Kubernetes until it succeeds`);
    return;
  }
  if (u.service!.type === 'forking') report.lossy(u.id, 'Type=forking: a container\'s main process must stay in the foreground; run the daemon without forking');
  if (u.service!.type === 'notify' || u.service!.type === 'notify-reload') {
    report.lossy(u.id, `Type=${u.service!.type}: READY=1 does not reach Kubernetes${u.service!.readiness ? '' : '; add [X-Readiness] for a startupProbe'}`);
  }
  if (restart !== 'always') report.lossy(u.id, `Restart=${restart}: Kubernetes restarts ${role === 'sidecar' ? 'a sidecar' : 'a Deployment\'s containers'} whenever ${role === 'sidecar' ? 'it exits' : 'they exit'} (restartPolicy Always)`);
  if (u.service!.restartUsec !== 100_000) report.note(u.id, 'RestartSec=: Kubernetes restarts with its own exponential back-off');
}

function reportDependencies(u: UnitConfig, exported: ReadonlySet<string>, report: Report): void {
  const deps = u.unit.dependencies;
  for (const kind of UNEXPRESSIBLE) {
    // Conflicts=shutdown.target is a default dependency: the pod's own termination plays its part.
    const names = ((deps as Record<string, readonly string[]>)[kind] ?? []).filter((n) => !(kind === 'Conflicts' && n === 'shutdown.target'));
    if (names.length > 0) report.lossy(u.id, `${kind}=${names.join(' ')}: containers of one pod cannot express it; dropped`);
  }
  for (const kind of ['Requires', 'Wants'] as const) {
    const outside = deps[kind].filter((n) => !exported.has(n) && !n.endsWith('.target'));
    if (outside.length > 0) report.lossy(u.id, `${kind}=${outside.join(' ')}: not part of this export`);
  }
}

function environmentConfigMaps(u: UnitConfig, ctx: ContainerContext, opts: ExportOptions, report: Report): Manifest[] {
  return u.service!.exec.environmentFiles.map((f, i) => {
    const data = opts.environmentFile(f.path);
    if (data === undefined) report.lossy(u.id, `EnvironmentFile=${f.optional ? '-' : ''}${f.path} could not be read here: its ConfigMap is empty, fill it in`);
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ctx.configMapName(u.id, i) }, data: { ...(data ?? {}) } };
  });
}

/** --cronjobs: one CronJob per OnCalendar= of a timer, running the unit it triggers; monotonic timers are reported. */
function cronJobsOf(timer: UnitConfig, units: readonly UnitConfig[], ctx: ContainerContext, opts: ExportOptions): Manifest[] {
  const target = triggeredBy(timer)[0];
  const service = units.find((u) => u.id === target && u.service !== undefined && u.loadState === 'loaded');
  if (service === undefined) {
    ctx.report.lossy(timer.id, `${target ?? 'its unit'} is not part of this export: no CronJob`);
    return [];
  }
  const values = timer.timer?.values ?? [];
  for (const v of values) if (v.base !== 'OnCalendar') ctx.report.lossy(timer.id, `${v.base}=: a CronJob runs on calendar times only; dropped`);
  if (timer.timer?.persistent) ctx.report.note(timer.id, 'Persistent=: a CronJob catches up a missed run only within startingDeadlineSeconds (not set)');
  if ((timer.timer?.randomizedDelayUsec ?? 0) > 0) ctx.report.lossy(timer.id, 'RandomizedDelaySec= has no CronJob equivalent, dropped');
  const calendars = values.flatMap((v) => (v.base === 'OnCalendar' ? [v.calendar] : []));
  const container = containerOf(service, ctx);
  return calendars.flatMap((calendar, i): Manifest[] => {
    const cron = cronSchedule(calendar);
    if ('lossy' in cron) {
      ctx.report.lossy(timer.id, `OnCalendar=${formatCalendar(calendar)}: ${cron.lossy}; no CronJob`);
      return [];
    }
    const name = `${opts.name}-${containerName(timer.id)}${calendars.length > 1 ? `-${i}` : ''}`.slice(0, 52);
    const spec: PodSpec = { containers: [container], restartPolicy: service.service!.restart === 'no' ? 'Never' : 'OnFailure' };
    return [{
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, labels: { 'app.kubernetes.io/name': opts.name, 'app.kubernetes.io/managed-by': 'unitvisor' } },
      spec: { schedule: cron.schedule, ...(cron.timeZone ? { timeZone: cron.timeZone } : {}), concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: spec.restartPolicy === 'Never' ? 0 : 6, template: { spec } } } },
    }];
  });
}
