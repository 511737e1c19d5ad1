// Units → Kubernetes manifests: each mapping of the README's table, checked on the manifest, and
// every manifest valid against the Kubernetes API schemas, with no field the API does not know.
import { describe, expect, test } from 'vitest';
import { exportKubernetes, type ExportOptions } from '../../src/export/kubernetes.js';
import { formatReport } from '../../src/export/report.js';
import type { Manifest } from '../../src/export/manifest-types.js';
import { load } from '../unit/settings/helpers.js';
import { validateManifest } from './k8s-schema.js';

const OPTIONS: ExportOptions = {
  name: 'app',
  image: 'registry.example/app:1',
  ids: { user: (n) => (n === 'postgres' ? 105 : undefined), group: (n) => (n === 'postgres' ? 110 : undefined) },
  environmentFile: (path) => (path === '/etc/app.env' ? { MODE: 'production' } : undefined),
};

/** Loads each text as a unit and exports them; every manifest must validate. */
function exported(units: Readonly<Record<string, string>>, more: Partial<ExportOptions> = {}) {
  const result = exportKubernetes(Object.entries(units).map(([name, text]) => load(text, name).config), { ...OPTIONS, ...more });
  for (const m of result.manifests) validateManifest(m);
  return { ...result, report: formatReport(result.report) };
}

const workload = (r: { manifests: Manifest[] }) => r.manifests.at(-1)!;
const pod = (r: { manifests: Manifest[] }) => {
  const w = workload(r);
  return w.kind === 'Deployment' || w.kind === 'Job' ? w.spec.template.spec : undefined;
};

describe('export kubernetes', () => {
  test('a oneshot ordered before the others is an init container, a server others are ordered after a native sidecar, the rest containers', () => {
    const r = exported({
      'migrate.service': '[Service]\nType=oneshot\nExecStart=/app/migrate --all\n',
      'db.service': '[Unit]\nAfter=migrate.service\n[Service]\nExecStart=/usr/bin/db\nRestart=always\n',
      'web.service': '[Unit]\nRequires=db.service\nAfter=db.service\n[Service]\nExecStart=/app/web\nRestart=always\n',
    });
    expect(workload(r).kind).toBe('Deployment');
    const spec = pod(r)!;
    expect(spec.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['migrate', undefined], ['db', 'Always']]);
    expect(spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(spec.initContainers?.[0]).toMatchObject({ image: 'registry.example/app:1', command: ['/app/migrate'], args: ['--all'] });
    expect(spec.restartPolicy).toBe('Always');
    expect(r.report).toEqual([]);
  });

  test('only oneshots: a Job; Restart=no gives restartPolicy Never and no retries', () => {
    const r = exported({
      'a.service': '[Service]\nType=oneshot\nExecStart=/bin/echo a\n',
      'b.service': '[Unit]\nAfter=a.service\n[Service]\nType=oneshot\nExecStart=/bin/echo b\nExecStart=/bin/echo "b two"\n',
    });
    const job = workload(r);
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } } });
    expect(pod(r)!.initContainers?.map((c) => c.name)).toEqual(['a']);
    // Several ExecStart= of a oneshot run in sequence, stopping at the first failure, as systemd runs them.
    expect(pod(r)!.containers[0]).toMatchObject({ name: 'b', command: ['/bin/sh', '-c', "/bin/echo b && /bin/echo 'b two'"] });
  });

  test('probes: [X-Readiness] → startupProbe, [X-HealthCheck] → livenessProbe; LogLine= is reported', () => {
    const r = exported({
      'db.service': '[Service]\nExecStart=/usr/bin/db\nRestart=always\nTimeoutStartSec=30\n[X-Readiness]\nTcpConnect=5432\nIntervalSec=2\n[X-HealthCheck]\nExec=/usr/bin/pg_isready -q\nThreshold=4\nTimeoutSec=3\nInitialDelaySec=10\n',
      'web.service': '[Unit]\nAfter=db.service\n[Service]\nExecStart=/app/web\nRestart=always\n[X-Readiness]\nHttpGet=https://0.0.0.0:8443/ready?deep=1\nHttpHeader=X-Probe: yes\n[X-HealthCheck]\nHttpGet=http://127.0.0.1:8080/health\n',
      'log.service': '[Service]\nExecStart=/app/log\nRestart=always\n[X-Readiness]\nLogLine=ready\n',
    });
    const spec = pod(r)!;
    const db = spec.initContainers!.find((c) => c.name === 'db')!;
    expect(db.startupProbe).toEqual({ tcpSocket: { port: 5432 }, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 15 });
    expect(db.livenessProbe).toEqual({ exec: { command: ['/usr/bin/pg_isready', '-q'] }, periodSeconds: 10, timeoutSeconds: 3, initialDelaySeconds: 10, failureThreshold: 4 });
    const web = spec.containers.find((c) => c.name === 'web')!;
    expect(web.startupProbe?.httpGet).toEqual({ path: '/ready?deep=1', port: 8443, scheme: 'HTTPS', host: '0.0.0.0', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] });
    expect(web.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, failureThreshold: 3 });
    expect(spec.containers.find((c) => c.name === 'log')!.startupProbe).toBeUndefined();
    expect(r.report).toContain('not carried over: log.service: [X-Readiness] LogLine=ready: Kubernetes probes cannot watch output; no probe');
    expect(r.report).toContain("note: web.service: [X-HealthCheck] HttpGet=http://127.0.0.1:8080/health: the kubelet connects to the pod's IP, so the server must listen on it (not only on loopback)");
  });

  test('a oneshot init container has no hooks or probes (the API refuses them): ExecStartPost= follows ExecStart= in its shell, the rest is reported', () => {
    const r = exported({
      'setup.service': '[Service]\nType=oneshot\nExecStart=/app/setup\nExecStartPost=/app/announce\nExecStop=/app/teardown\nKillSignal=SIGINT\n[X-HealthCheck]\nTcpConnect=9\n',
      'app.service': '[Unit]\nAfter=setup.service\n[Service]\nExecStart=/app/run\nRestart=always\n',
    });
    expect(pod(r)!.initContainers).toEqual([{ name: 'setup', image: 'registry.example/app:1', command: ['/bin/sh', '-c', '/app/setup && /app/announce'] }]);
    expect(r.report).toEqual(
      expect.arrayContaining([
        'not carried over: setup.service: ExecStop=: an init container has no preStop hook; dropped',
        'not carried over: setup.service: KillSignal=: an init container has no stop signal of its own; dropped',
        'not carried over: setup.service: [X-HealthCheck] TcpConnect=127.0.0.1:9: an init container has no probes; dropped',
      ]),
    );
  });

  test('container names stay unique in the pod: web-pre.service beside the ExecStartPre= of web.service', () => {
    const r = exported({
      'web.service': '[Service]\nExecStartPre=/app/check\nExecStart=/app/web\nRestart=always\n',
      'web-pre.service': '[Service]\nExecStart=/app/other\nRestart=always\n',
    });
    const spec = pod(r)!;
    expect([...(spec.initContainers ?? []), ...spec.containers].map((c) => [c.name, c.command[0]])).toEqual([['web-pre', '/app/check'], ['web-pre-2', '/app/other'], ['web', '/app/web']]);
    expect(r.report).toContain('note: (pod): two containers would be named web-pre: the second is web-pre-2');
  });

  test('a health check with Threshold=0 only reports: a readinessProbe, which marks the pod not ready and never restarts it', () => {
    const r = exported({ 'api.service': '[Service]\nExecStart=/app/api\nRestart=always\n[X-HealthCheck]\nHttpGet=http://127.0.0.1:8080/health\nThreshold=0\n' });
    const api = pod(r)!.containers[0]!;
    expect(api.livenessProbe).toBeUndefined();
    expect(api.readinessProbe).toEqual({ httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 1 });
    expect(r.report).toContain('note: api.service: [X-HealthCheck] Threshold=0 only reports: a readinessProbe (the pod is marked not ready while it fails, never restarted)');
  });

  test('environment, ConfigMaps, directory, user, hooks, stop signal and grace period', () => {
    const r = exported({
      'pg.service':
        '[Service]\nExecStart=/usr/lib/postgresql/15/bin/postgres -D ${PGDATA} -c "listen_addresses=*"\nEnvironment=PGDATA=/var/lib/postgresql/15/main "GREETING=two words"\n' +
        'EnvironmentFile=/etc/app.env\nEnvironmentFile=-/etc/missing.env\nWorkingDirectory=/var/lib/postgresql\nUser=postgres\nGroup=postgres\n' +
        'ExecStartPre=/usr/bin/pg_ctlcluster check\nExecStartPost=/usr/bin/touch /run/pg.up\nExecStop=/usr/bin/pg_ctl stop -m fast\nKillSignal=SIGINT\nTimeoutStopSec=2min\nRestart=always\n',
    });
    const [env1, env2, deployment] = r.manifests;
    expect(env1).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-pg-env' }, data: { MODE: 'production' } });
    expect(env2).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'app-pg-env-1' }, data: {} });
    expect(deployment?.kind).toBe('Deployment');
    const spec = pod(r)!;
    expect(spec.initContainers?.map((c) => c.name)).toEqual(['pg-pre']);
    expect(spec.initContainers?.[0]).toMatchObject({ command: ['/usr/bin/pg_ctlcluster'], args: ['check'], securityContext: { runAsUser: 105, runAsGroup: 110 } });
    expect(spec.containers[0]).toEqual({
      name: 'pg',
      image: 'registry.example/app:1',
      command: ['/usr/lib/postgresql/15/bin/postgres'],
      args: ['-D', '$(PGDATA)', '-c', 'listen_addresses=*'],
      env: [{ name: 'PGDATA', value: '/var/lib/postgresql/15/main' }, { name: 'GREETING', value: 'two words' }],
      envFrom: [{ configMapRef: { name: 'app-pg-env' } }, { configMapRef: { name: 'app-pg-env-1', optional: true } }],
      workingDir: '/var/lib/postgresql',
      securityContext: { runAsUser: 105, runAsGroup: 110 },
      lifecycle: { postStart: { exec: { command: ['/usr/bin/touch', '/run/pg.up'] } }, preStop: { exec: { command: ['/usr/bin/pg_ctl', 'stop', '-m', 'fast'] } }, stopSignal: 'SIGINT' },
    });
    expect(spec).toMatchObject({ terminationGracePeriodSeconds: 120, os: { name: 'linux' } });
    expect(r.report).toContain('not carried over: pg.service: EnvironmentFile=-/etc/missing.env could not be read here: its ConfigMap is empty, fill it in');
  });

  test('what cannot be expressed is reported, never dropped silently', () => {
    const r = exported({
      'a.service': '[Unit]\nConflicts=b.service\nPartOf=c.service\nRequires=elsewhere.service\nConditionPathExists=/etc/flag\n[Service]\nExecStart=/bin/a\nRestart=on-abnormal\nRuntimeMaxSec=1h\nUser=nobody-here\n',
      'b.service': '[Service]\nType=forking\nExecStart=/bin/b\nRestart=always\nKillMode=process\n',
      'c.service': '[Service]\nType=notify\nExecStart=/bin/c\nRestart=always\nWatchdogSec=10\nExecReload=/bin/kill -HUP $MAINPID\n',
    });
    expect(r.report).toEqual(
      expect.arrayContaining([
        'not carried over: a.service: Conflicts=b.service: containers of one pod cannot express it; dropped',
        'not carried over: a.service: PartOf=c.service: containers of one pod cannot express it; dropped',
        'not carried over: a.service: Requires=elsewhere.service: not part of this export',
        'not carried over: a.service: ConditionPathExists=/etc/flag: checked at every start by systemd, never by Kubernetes; dropped',
        "not carried over: a.service: Restart=on-abnormal: Kubernetes restarts a Deployment's containers whenever they exit (restartPolicy Always)",
        'not carried over: a.service: RuntimeMaxSec= has no Kubernetes equivalent, dropped',
        'not carried over: a.service: User=nobody-here: no numeric id known here (Kubernetes needs one), dropped',
        "not carried over: b.service: Type=forking: a container's main process must stay in the foreground; run the daemon without forking",
        'not carried over: b.service: KillMode= has no Kubernetes equivalent, dropped',
        'not carried over: c.service: Type=notify: READY=1 does not reach Kubernetes; add [X-Readiness] for a startupProbe',
        'not carried over: c.service: WatchdogSec= has no Kubernetes equivalent, dropped',
        'not carried over: c.service: ExecReload= has no Kubernetes equivalent, dropped',
      ]),
    );
  });

  test('a unit started only by a timer stays out of the pod; a socket-activated one runs from the start', () => {
    const r = exported({
      'backup.timer': '[Timer]\nOnCalendar=daily\n',
      'backup.service': '[Service]\nType=oneshot\nExecStart=/bin/backup\n',
      'echo.socket': '[Socket]\nListenStream=7000\n',
      'echo.service': '[Service]\nExecStart=/bin/echo-server\nRestart=always\n',
    });
    expect(pod(r)!.containers.map((c) => c.name)).toEqual(['echo']);
    expect(pod(r)!.initContainers).toBeUndefined();
    expect(r.report).toEqual([
      'not carried over: backup.timer: a timer has no pod equivalent (a CronJob would run backup.service); backup.service is left out, so it does not run at start',
      'not carried over: echo.socket: socket activation has no pod equivalent: echo.service runs from the start and must open its own listening socket (no LISTEN_FDS)',
    ]);
  });

  test('--cronjobs: each OnCalendar= of a timer becomes a CronJob running its unit; what cron cannot say is reported', () => {
    const r = exported(
      {
        'backup.timer': '[Timer]\nOnCalendar=daily\nOnCalendar=Mon..Fri 09:30\nOnCalendar=*:0/15 Europe/Berlin\nOnCalendar=*-*~01\nOnBootSec=5min\nPersistent=yes\n',
        'backup.service': '[Service]\nType=oneshot\nExecStart=/bin/backup --all\n',
      },
      { cronjobs: true },
    );
    expect(r.manifests.map((m) => (m.kind === 'CronJob' ? [m.metadata.name, m.spec.schedule, m.spec.timeZone] : m.kind))).toEqual([
      ['app-backup-0', '0 0 * * *', undefined],
      ['app-backup-1', '30 9 * * 1,2,3,4,5', undefined],
      ['app-backup-2', '0/15 * * * *', 'Europe/Berlin'],
    ]);
    const job = r.manifests[0]!;
    expect(job.kind === 'CronJob' && job.spec.jobTemplate.spec.template.spec).toEqual({ containers: [{ name: 'backup', image: 'registry.example/app:1', command: ['/bin/backup'], args: ['--all'] }], restartPolicy: 'Never' });
    expect(job).toMatchObject({ spec: { concurrencyPolicy: 'Forbid' } });
    expect(r.report).toEqual([
      'not carried over: backup.timer: OnBootSec=: a CronJob runs on calendar times only; dropped',
      'not carried over: backup.timer: OnCalendar=*-*~01 00:00:00: "~" (days before the end of the month) has no cron form; no CronJob',
      'note: backup.timer: Persistent=: a CronJob catches up a missed run only within startingDeadlineSeconds (not set)',
    ]);
  });

  test('$VAR and ${VAR} become $(VAR) (Kubernetes substitutes them before the shell runs); a literal "$" stays one; ":" turns expansion off', () => {
    const r = exported({ 'e.service': '[Service]\nType=oneshot\nExecStart=/bin/echo $HOME ${USER}x $$5\nExecStart=:/bin/echo $(not) $HOME\n' });
    expect(pod(r)!.containers[0]!.command).toEqual(['/bin/sh', '-c', "/bin/echo '$(HOME)' '$(USER)x' '$5' && /bin/echo '$$(not)' '$HOME'"]);
    const single = exported({ 'one.service': '[Service]\nExecStart=/bin/app --home=${HOME} $$PATH\nRestart=always\n' });
    expect(pod(single)!.containers[0]).toMatchObject({ command: ['/bin/app'], args: ['--home=$(HOME)', '$PATH'] });
    // A shell's command substitution stays one: "$(HOSTNAME)" would be Kubernetes' variable.
    // Kubernetes reads "$$" as "$" and "$(" as a reference: a literal "$" before either is written "$$".
    const shell = exported({ 'sh.service': '[Service]\nExecStart=/bin/sh -c \'echo $(HOSTNAME) $$(date) $$$$ $$$HOME $$\'\nRestart=always\n' });
    expect(pod(shell)!.containers[0]!.args).toEqual(['-c', 'echo $$(HOSTNAME) $$(date) $$$ $$$(HOME) $']);
  });
});
