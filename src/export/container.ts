// One service unit → one Kubernetes container: command, environment, directory, user, probes and
// lifecycle hooks; whatever does not map is reported, never dropped silently.
import type { ExecCommand, Probe, ServiceSection, UnitConfig } from '../unit/model.js';
import { describeProbe } from '../unit/settings/probe-sections.js';
import { signalName } from '../unit/values/signal.js';
import type { Container, EnvVar, K8sProbe } from './manifest-types.js';
import type { Report } from './report.js';

export interface ContainerContext {
  readonly image: string;
  readonly report: Report;
  /** User=/Group= names → numeric ids (resolved by the caller on the host that has the users). */
  readonly ids: { user(name: string): number | undefined; group(name: string): number | undefined };
  /** ConfigMap name for the unit's i-th EnvironmentFile= (the caller creates the ConfigMaps). */
  configMapName(unit: string, index: number): string;
}

/** A DNS-1123 label from a unit name: "getty@tty1.service" → "getty-tty1". */
export function containerName(unit: string): string {
  const base = unit.replace(/\.[a-z]+$/, '').toLowerCase();
  const label = base.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (label || 'unit').slice(0, 63).replace(/-+$/, '');
}

/**
 * A word as Kubernetes reads command and args: systemd's $VAR/${VAR} become $(VAR), and a literal "$"
 * that Kubernetes would read as an escape or a reference (before "$" or "(") is written "$$", so that
 * "$$" (a shell's PID) and "$(date)" (its command substitution) reach the program unchanged.
 */
function kubernetesWord(word: string, expand: boolean): string {
  // What the program must receive, as literal text between variables (systemd expands those at start).
  const texts = [''];
  const variables: string[] = [];
  let from = 0;
  for (const m of expand ? word.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g) : []) {
    texts[texts.length - 1] += word.slice(from, m.index) + (m[0] === '$$' ? '$' : '');
    if (m[0] !== '$$') {
      variables.push((m[1] ?? m[2])!);
      texts.push('');
    }
    from = m.index + m[0].length;
  }
  texts[texts.length - 1] += word.slice(from);
  // A literal "$" before "$" or "(" is doubled, as is one that ends a text a variable follows.
  const literal = (text: string, beforeVariable: boolean) => text.replace(/\$(?=[$(])/g, '$$$$').replace(/\$$/, beforeVariable ? '$$$$' : '$$');
  return texts.map((t, i) => literal(t, i < variables.length) + (i < variables.length ? `$(${variables[i]})` : '')).join('');
}

/** argv as `command` + `args`; several commands (oneshot sequences, hooks) run in one shell, stopping at the first failure. */
export function commandOf(commands: readonly ExecCommand[]): { command: string[]; args?: string[] } {
  const argvOf = (c: ExecCommand) => [c.path, ...c.argv.slice(1)].map((w) => kubernetesWord(w, !c.noEnvExpand));
  if (commands.length === 1) {
    const [command, ...args] = argvOf(commands[0]!);
    return args.length > 0 ? { command: [command!], args } : { command: [command!] };
  }
  const script = commands.map((c) => argvOf(c).map(shellQuote).join(' ') + (c.ignoreFailure ? ' || true' : '')).join(' && ');
  return { command: ['/bin/sh', '-c', script] };
}

/** Hooks and exec probes take one argv. */
const hookCommand = (commands: readonly ExecCommand[]): { command: string[] } => {
  const c = commandOf(commands);
  return { command: [...c.command, ...(c.args ?? [])] };
};

const shellQuote = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

const seconds = (usec: number): number => Math.max(1, Math.ceil(usec / 1_000_000));
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** [X-Readiness]/[X-HealthCheck] → a probe the kubelet runs; LogLine= has no equivalent. */
export function probeOf(unit: string, section: string, probe: Probe, startTimeoutUsec: number, report: Report): K8sProbe | undefined {
  const check = probe.check;
  let action: Pick<K8sProbe, 'httpGet' | 'tcpSocket' | 'exec'>;
  switch (check.kind) {
    case 'log-line':
      report.lossy(unit, `[${section}] ${describeProbe(check)}: Kubernetes probes cannot watch output; no probe`);
      return undefined;
    case 'exec':
      action = { exec: hookCommand([check.command]) };
      break;
    case 'tcp-connect':
      action = { tcpSocket: { port: check.port, ...(LOOPBACK.has(check.host) ? {} : { host: check.host }) } };
      break;
    case 'http-get': {
      const url = new URL(check.url);
      const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      action = {
        httpGet: {
          path: `${url.pathname}${url.search}`,
          port,
          scheme: url.protocol === 'https:' ? 'HTTPS' : 'HTTP',
          ...(LOOPBACK.has(url.hostname.replace(/^\[|\]$/g, '')) ? {} : { host: url.hostname }),
          ...(check.headers.length > 0 ? { httpHeaders: check.headers.map(([name, value]) => ({ name, value })) } : {}),
        },
      };
      break;
    }
  }
  if (check.kind !== 'exec' && (check.kind === 'tcp-connect' ? LOOPBACK.has(check.host) : true)) {
    report.note(unit, `[${section}] ${describeProbe(check)}: the kubelet connects to the pod's IP, so the server must listen on it (not only on loopback)`);
  }
  if (probe.intervalUsec % 1_000_000 !== 0 || probe.timeoutUsec % 1_000_000 !== 0) {
    report.note(unit, `[${section}] intervals and timeouts are whole seconds in Kubernetes; rounded up`);
  }
  // A readiness probe without Threshold= waits as long as TimeoutStartSec= allows.
  const threshold = probe.threshold > 0 ? probe.threshold : Number.isFinite(startTimeoutUsec) ? Math.max(1, Math.ceil(startTimeoutUsec / Math.max(probe.intervalUsec, 1_000_000))) : 2_147_483_647;
  return {
    ...action,
    periodSeconds: seconds(probe.intervalUsec),
    timeoutSeconds: seconds(probe.timeoutUsec),
    ...(probe.initialDelayUsec > 0 ? { initialDelaySeconds: Math.floor(probe.initialDelayUsec / 1_000_000) } : {}),
    failureThreshold: threshold,
  };
}

function environmentOf(config: UnitConfig, s: ServiceSection, ctx: ContainerContext): Pick<Container, 'env' | 'envFrom'> {
  const env: EnvVar[] = s.exec.environment.map((a) => {
    const eq = a.indexOf('=');
    return { name: a.slice(0, eq), value: a.slice(eq + 1) };
  });
  const envFrom = s.exec.environmentFiles.map((f, i) => ({ configMapRef: { name: ctx.configMapName(config.id, i), ...(f.optional ? { optional: true } : {}) } }));
  if (s.exec.passEnvironment.length > 0) ctx.report.lossy(config.id, `PassEnvironment=${s.exec.passEnvironment.join(' ')}: there is no manager environment to pass from; set the variables with env`);
  if (s.exec.unsetEnvironment.length > 0) ctx.report.lossy(config.id, `UnsetEnvironment=${s.exec.unsetEnvironment.join(' ')} has no Kubernetes equivalent, dropped`);
  return { ...(env.length > 0 ? { env } : {}), ...(envFrom.length > 0 ? { envFrom } : {}) };
}

function securityContextOf(config: UnitConfig, s: ServiceSection, ctx: ContainerContext): Container['securityContext'] {
  const { user, group } = s.exec;
  if (user === undefined && group === undefined) return undefined;
  const runAsUser = user === undefined ? undefined : /^\d+$/.test(user) ? Number(user) : ctx.ids.user(user);
  const runAsGroup = group === undefined ? undefined : /^\d+$/.test(group) ? Number(group) : ctx.ids.group(group);
  if (user !== undefined && runAsUser === undefined) ctx.report.lossy(config.id, `User=${user}: no numeric id known here (Kubernetes needs one), dropped`);
  if (group !== undefined && runAsGroup === undefined) ctx.report.lossy(config.id, `Group=${group}: no numeric id known here (Kubernetes needs one), dropped`);
  if (runAsUser === undefined && runAsGroup === undefined) return undefined;
  return { ...(runAsUser !== undefined ? { runAsUser } : {}), ...(runAsGroup !== undefined ? { runAsGroup } : {}) };
}

function lifecycleOf(config: UnitConfig, s: ServiceSection, ctx: ContainerContext): Container['lifecycle'] {
  const asHook = (commands: readonly ExecCommand[]) => ({ exec: hookCommand(commands) });
  const lifecycle: NonNullable<Container['lifecycle']> = {
    ...(s.execStartPost.length > 0 ? { postStart: asHook(s.execStartPost) } : {}),
    ...(s.execStop.length > 0 ? { preStop: asHook(s.execStop) } : {}),
  };
  if (s.kill.killSignal !== 15) {
    const name = signalName(s.kill.killSignal);
    if (name !== undefined) {
      lifecycle.stopSignal = `SIG${name}`;
      ctx.report.note(config.id, `KillSignal=SIG${name} → lifecycle.stopSignal (needs the ContainerStopSignals feature of Kubernetes 1.33+)`);
    }
  }
  return Object.keys(lifecycle).length > 0 ? lifecycle : undefined;
}

/**
 * The container for a service unit (its ExecStartPre= become a separate init container, made by the
 * caller). An init container that runs to completion may have no lifecycle hooks and no probes (the API
 * server refuses them): its ExecStartPost= runs after its ExecStart= in the same shell, and what else
 * would need a hook or a probe is reported.
 */
export function containerOf(config: UnitConfig, ctx: ContainerContext, runsToCompletion = false): Container {
  const s = config.service!;
  const wd = s.exec.workingDirectory;
  if (wd !== undefined && (wd.optional || !wd.path.startsWith('/'))) ctx.report.lossy(config.id, `WorkingDirectory=${wd.optional ? '-' : ''}${wd.path}: only an absolute, required directory maps to workingDir, dropped`);
  const securityContext = securityContextOf(config, s, ctx);
  if (runsToCompletion) {
    if (s.execStop.length > 0) ctx.report.lossy(config.id, 'ExecStop=: an init container has no preStop hook; dropped');
    if (s.kill.killSignal !== 15) ctx.report.lossy(config.id, 'KillSignal=: an init container has no stop signal of its own; dropped');
    if (s.healthCheck) ctx.report.lossy(config.id, `[X-HealthCheck] ${describeProbe(s.healthCheck.check)}: an init container has no probes; dropped`);
  }
  const lifecycle = runsToCompletion ? undefined : lifecycleOf(config, s, ctx);
  const startupProbe = !runsToCompletion && s.readiness ? probeOf(config.id, 'X-Readiness', s.readiness, s.timeoutStartUsec, ctx.report) : undefined;
  const health = !runsToCompletion && s.healthCheck ? probeOf(config.id, 'X-HealthCheck', s.healthCheck, s.timeoutStartUsec, ctx.report) : undefined;
  // Threshold=0 only reports (the unit stays active): Kubernetes' probe that never restarts is a readinessProbe.
  const reportOnly = s.healthCheck?.threshold === 0;
  if (health && reportOnly) ctx.report.note(config.id, '[X-HealthCheck] Threshold=0 only reports: a readinessProbe (the pod is marked not ready while it fails, never restarted)');
  return {
    name: containerName(config.id),
    image: ctx.image,
    ...commandOf(runsToCompletion ? [...s.execStart, ...s.execStartPost] : s.execStart),
    ...environmentOf(config, s, ctx),
    ...(wd !== undefined && !wd.optional && wd.path.startsWith('/') ? { workingDir: wd.path } : {}),
    ...(securityContext ? { securityContext } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(startupProbe ? { startupProbe } : {}),
    ...(health ? (reportOnly ? { readinessProbe: { ...health, failureThreshold: 1 } } : { livenessProbe: health }) : {}),
  };
}

/** ExecStartPre= (and ExecCondition=) run to completion before the service: an init container of their own. */
export function preContainerOf(config: UnitConfig, ctx: ContainerContext): Container | undefined {
  const s = config.service!;
  const pre = [...s.execCondition, ...s.execStartPre];
  if (pre.length === 0) return undefined;
  if (s.execCondition.length > 0) ctx.report.lossy(config.id, 'ExecCondition=: a failing condition fails the pod instead of skipping the unit');
  const main = containerOf({ ...config, service: { ...s, execStart: pre, execStartPost: [] } }, { ...ctx, report: ctx.report.silent() }, true);
  return { ...main, name: `${containerName(config.id)}-pre`.slice(0, 63) };
}
