// The command table: every verb with its arguments, options and the module that runs it. A verb's
// module is imported only when that verb runs, so `is-active` never loads the daemon or the unit
// loader. To add a verb: write src/cli/verbs/NAME.ts and add one entry here.
import type { OptionSpec, VerbSpec } from './command.js';
import { JOB_VERBS } from '../protocol/protocol.js';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--socket <path>', description: 'the daemon’s control socket' },
  { flags: '--unit-path <dir>', description: 'a unit directory (repeatable; replaces the default search path)', multiple: 'append' },
  { flags: '--no-block', description: 'do not wait for queued jobs to finish' },
  { flags: '-a, --all', description: 'show all units / properties' },
  { flags: '--failed', description: 'list only failed units' },
  { flags: '-p, --property <names>', description: 'properties to show (repeatable, comma-separated)', multiple: 'split' },
  { flags: '--value', description: 'print only property values' },
  { flags: '--offline', description: 'show: load the unit files without a daemon' },
  { flags: '--root <dir>', description: 'enable/disable: operate on this root directory' },
  { flags: '--now', description: 'enable/disable: also start/stop the units' },
  { flags: '-q, --quiet', description: 'suppress output' },
  { flags: '--no-pager', description: 'accepted for systemctl compatibility' },
  { flags: '-o, --output <mode>', description: 'journal output (logs, status): short, short-precise, cat, json, json-pretty, json-sse; json modes also for list-units, list-jobs, list-timers, list-unit-files and show', choices: ['short', 'short-precise', 'cat', 'json', 'json-pretty', 'json-sse'] },
  { flags: '--dry-run', description: 'start, stop, ...: print the transaction, change nothing' },
  { flags: '-h, --help', description: 'show this help' },
  { flags: '-V, --version', description: 'show the version' },
];

/** `--json=pretty|short|off` on the verbs that print tables or properties. */
const JSON_OPTION: OptionSpec = { flags: '--json[=<mode>]', description: 'JSON output: short (the default) or pretty', choices: ['pretty', 'short', 'off'] };

const DAEMON_OPTIONS: readonly OptionSpec[] = [
  { flags: '--target <unit>', description: 'the unit to start (init)', default: 'default.target' },
  { flags: '--log-format <format>', description: 'event log on stdout', choices: ['json', 'text'] },
  { flags: '--journal-dir <dir>', description: 'also keep the journal in rotating files there' },
  { flags: '--debug', description: 'log state changes and job steps too' },
  { flags: '--http <address>', description: 'serve /healthz, /readyz, /metrics, /api and a status page on [HOST:]PORT (loopback unless a host is named)' },
  { flags: '--http-control', description: 'also run job verbs for HTTP clients with the bearer token ($UNITVISOR_HTTP_TOKEN or --http-token-file)' },
  { flags: '--http-token-file <file>', description: 'the file holding the --http-control token (a Docker secret)' },
];

/** `unitvisor` without a verb does what `systemctl` does. */
export const DEFAULT_VERB = 'list-units';

export const VERBS: readonly VerbSpec[] = [
  ...JOB_VERBS.map(
    (verb): VerbSpec => ({
      name: verb,
      args: '<units...>',
      unitNames: 'glob',
      description: `${verb} one or more units (one transaction each, in order)`,
      run: async (units, o, io) => (await import('./verbs/job.js')).jobVerb(verb, units, o, io),
    }),
  ),
  {
    name: 'init',
    description: 'run as the service manager (PID 1 in a container): start the default target, stop everything on SIGTERM',
    options: [...DAEMON_OPTIONS, { flags: '--force', description: "boot systemd's search path even when not PID 1 of a container" }],
    run: async (_a, o, io) => (await import('./verbs/daemon.js')).daemon('init', undefined, o, io),
  },
  {
    name: 'up',
    args: '[dir]',
    description: 'dev mode: run every unit of DIR in the foreground; Ctrl-C stops them all',
    options: [...DAEMON_OPTIONS, { flags: '--watch', description: 'reload and restart units whose files change' }],
    run: async ([dir], o, io) => (await import('./verbs/daemon.js')).daemon('up', dir ?? '.', o, io),
  },
  { name: 'status', args: '[units...]', unitNames: 'glob', description: 'show runtime status of units', options: [JSON_OPTION], run: async (u, o, io) => (await import('./verbs/status.js')).status(u, o, io) },
  { name: 'show', args: '<units...>', unitNames: 'glob', description: 'show properties of units', options: [JSON_OPTION], run: async (u, o, io) => (await import('./verbs/show.js')).show(u, o, io) },
  { name: 'is-active', args: '<units...>', unitNames: 'glob', description: 'check whether units are active', run: async (u, o, io) => (await import('./verbs/is-state.js')).isState('is-active', u, o, io) },
  { name: 'is-failed', args: '<units...>', unitNames: 'glob', description: 'check whether units are failed', run: async (u, o, io) => (await import('./verbs/is-state.js')).isState('is-failed', u, o, io) },
  { name: 'list-units', args: '[patterns...]', description: 'list units the daemon has loaded', options: [JSON_OPTION], run: async (p, o, io) => (await import('./verbs/list.js')).listUnits(p, o, io) },
  { name: 'list-sockets', args: '[patterns...]', description: 'list socket units by listening address', run: async (p, o, io) => (await import('./verbs/list.js')).listSockets(p, o, io) },
  { name: 'list-timers', args: '[patterns...]', description: 'list timer units: when each elapses next and what it activates', options: [JSON_OPTION], run: async (p, o, io) => (await import('./verbs/list.js')).listTimers(p, o, io) },
  { name: 'list-jobs', description: 'list queued and running jobs', options: [JSON_OPTION], run: async (_a, o, io) => (await import('./verbs/list.js')).listJobs(o, io) },
  { name: 'is-system-running', description: 'print the manager state (starting, running, degraded, stopping); exit 0 only when running', run: async (_a, o, io) => (await import('./verbs/system-state.js')).isSystemRunning(o, io) },
  { name: 'completion', args: '<shell>', description: 'print a bash or zsh completion script (source <(unitvisor completion bash))', run: async (a, o, io) => (await import('./verbs/completion.js')).completion(a, o, io) },
  { name: 'why', args: '<unit>', unitNames: 'plain', description: 'explain why a unit is not running or did not start', run: async ([u], o, io) => (await import('./verbs/why.js')).why(u ?? '', o, io) },
  {
    name: 'analyze',
    args: '<units...>',
    description: 'critical-chain [UNIT...] | blame | dot [PATTERN...] | plot | verify FILE...: what the manager did, as systemd-analyze shows it',
    options: [
      { flags: '--order', description: 'dot: only ordering edges' },
      { flags: '--require', description: 'dot: only requirement edges' },
      { flags: '--from-pattern <glob>', description: 'dot: only edges from these units', multiple: 'append' },
      { flags: '--to-pattern <glob>', description: 'dot: only edges to these units', multiple: 'append' },
    ],
    run: async (a, o, io) => (await import('./verbs/analyze.js')).analyze(a, o, io),
  },
  {
    name: 'list-dependencies',
    args: '[unit]',
    unitNames: 'plain',
    description: 'show a unit’s dependency tree',
    options: [
      { flags: '--reverse', description: 'show reverse dependencies' },
      { flags: '--after', description: 'show units ordered before it' },
      { flags: '--before', description: 'show units ordered after it' },
    ],
    run: async ([unit], o, io) => (await import('./verbs/list.js')).listDependencies(unit, o, io),
  },
  { name: 'reset-failed', args: '[units...]', unitNames: 'glob', description: 'reset the failed state (and start limit) of units', run: async (units, o, io) => (await import('./request.js')).acknowledged(o, { verb: 'reset-failed', units }, io) },
  {
    name: 'kill',
    args: '<units...>',
    unitNames: 'glob',
    description: 'send a signal to the processes of units',
    options: [
      { flags: '-s, --signal <signal>', description: 'the signal to send', default: 'SIGTERM' },
      { flags: '--kill-whom <whom>', description: 'which processes', choices: ['main', 'control', 'all'], default: 'all' },
    ],
    run: async (units, o, io) => (await import('./verbs/manager.js')).kill(units, o, io),
  },
  {
    name: 'logs',
    description: 'show the journal of units',
    options: [
      { flags: '-u, --unit <unit>', description: 'only this unit (repeatable)', multiple: 'append' },
      { flags: '-f, --follow', description: 'keep printing new entries' },
      { flags: '-n, --lines <n>', description: 'the last N entries' },
      { ...JSON_OPTION, description: 'one JSON object per entry: the event log’s (no value), or journald’s fields (=short, =pretty)' },
    ],
    run: async (_a, o, io) => (await import('./verbs/logs.js')).logs(o, io),
  },
  { name: 'daemon-reload', description: 'reload unit files', run: async (_a, o, io) => (await import('./request.js')).acknowledged(o, { verb: 'daemon-reload' }, io) },
  { name: 'poweroff', description: 'stop every unit and end the daemon', run: async (_a, o, io) => (await import('./request.js')).acknowledged(o, { verb: 'poweroff' }, io) },
  { name: 'exit', args: '[code]', description: 'stop every unit and end the daemon with CODE', run: async ([code], o, io) => (await import('./verbs/manager.js')).exit(code, o, io) },
  // Offline verbs: no daemon needed.
  {
    name: 'verify',
    args: '[units...]',
    description: 'check unit files and report every problem as file:line: message',
    options: [{ flags: '--report', description: 'a table of every setting the units (default: all) set and whether it is enforced here' }, JSON_OPTION],
    run: async (n, o, io) => (await import('./verbs/offline.js')).verify(n, o, io),
  },
  { name: 'cat', args: '<units...>', unitNames: 'plain', description: 'print unit files and their drop-ins', run: async (n, o, io) => (await import('./verbs/offline.js')).cat(n, o, io) },
  { name: 'enable', args: '<units...>', description: 'enable units (create the symlinks systemctl enable creates)', run: async (n, o, io) => (await import('./verbs/offline.js')).enable(n, o, io, false) },
  { name: 'disable', args: '<units...>', description: 'disable units (remove their symlinks)', run: async (n, o, io) => (await import('./verbs/offline.js')).enable(n, o, io, true) },
  {
    name: 'install-systemctl-alias',
    args: '[dir]',
    description: 'add a `systemctl` command for unitvisor in DIR (default: beside `unitvisor`), for containers without systemd',
    run: async ([dir], _o, io) => (await import('./verbs/systemctl-alias.js')).installSystemctlAlias(dir, io),
  },
  {
    name: 'export',
    args: '<format> [units...]',
    description: 'print the units as Kubernetes manifests (format: kubernetes), with a report of what does not carry over',
    options: [
      { flags: '--image <image>', description: 'the image that holds the units’ programs (required)' },
      { flags: '--name <name>', description: 'the workload’s name', default: 'unitvisor-app' },
      { flags: '--cronjobs', description: 'turn timers with OnCalendar= into CronJobs' },
    ],
    run: async (a, o, io) => (await import('./verbs/export.js')).exportUnits(a, o, io),
  },
  {
    name: 'calendar',
    args: '<expressions...>',
    description: 'normalize calendar events and show their next elapses (as systemd-analyze calendar)',
    options: [
      { flags: '--iterations <n>', description: 'how many elapses to show', default: '1' },
      { flags: '--base-time <timestamp>', description: 'compute elapses after this time (@SECONDS, now, or a date)' },
    ],
    run: async (e, o, io) => (await import('./verbs/calendar.js')).calendar(e, o, io),
  },
  {
    name: 'list-unit-files',
    args: '[patterns...]',
    description: 'list the unit files of the search path with their enablement state and preset (no daemon needed)',
    options: [JSON_OPTION, { flags: '--state <states>', description: 'only these states (comma-separated): enabled, disabled, static, masked, alias, generated, indirect, ...', multiple: 'split' }],
    run: async (p, o, io) => (await import('./verbs/offline.js')).listUnitFiles(p, o, io),
  },
  { name: 'is-enabled', args: '<units...>', description: 'check whether unit files are enabled', run: async (n, o, io) => (await import('./verbs/offline.js')).isEnabled(n, o, io) },
];
