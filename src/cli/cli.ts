// The `unitvisor` (and `systemctl`) command line: argv → verb → exit code, in systemctl's words.
import { Command, Option } from 'commander';
import { ConnectError, defaultSocketPath, sendRequest, call } from './client.js';
import { formatStatus } from './format/status.js';
import { formatShow } from './format/show.js';
import { formatListJobs, formatListUnits } from './format/list-units.js';
import { formatTree } from './format/tree.js';
import { formatJournalLine } from './format/journal-line.js';
import { jobFailureMessage } from './format/job-result.js';
import { runCat, runEnable, runIsEnabled, runVerify } from './offline/index.js';
import { runDaemon } from '../daemon/main.js';
import { showOffline } from './offline/show-offline.js';
import { parseSignal } from '../unit/values/signal.js';
import { ERROR_EXIT_CODES, EXIT_FAILURE, EXIT_PROGRAM_NOT_RUNNING, EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN, EXIT_SUCCESS, EXIT_USAGE } from '../protocol/exit-codes.js';
import { JOB_VERBS, type JobVerb, type Reply, type Request } from '../protocol/protocol.js';
import type { JobVerbResult, ListJobsResult, ListUnitsResult, LogsResult, ShowResult, StatesResult, StatusResult, TreeResult } from '../protocol/results.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface GlobalOptions {
  socket?: string;
  unitPath?: string[];
  block?: boolean;
  all?: boolean;
  failed?: boolean;
  property?: string[];
  value?: boolean;
  offline?: boolean;
  root?: string;
  now?: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** Prints an error reply the way systemctl does and returns its exit code. */
function replyError(io: Io, reply: Extract<Reply, { ok: false }>, prefix = ''): number {
  io.err(`${prefix}${reply.message}`);
  return ERROR_EXIT_CODES[reply.code] ?? EXIT_FAILURE;
}

async function request<T>(opts: GlobalOptions, req: Request, io: Io): Promise<{ ok: true; result: T } | { ok: false; exitCode: number }> {
  const reply = await call(opts.socket ?? defaultSocketPath(), req);
  if (!reply.ok) return { ok: false, exitCode: replyError(io, reply) };
  return { ok: true, result: reply.result as T };
}

/** A verb whose only answer is success or an error. */
async function acknowledged(opts: GlobalOptions, req: Request, io: Io): Promise<number> {
  const res = await request<unknown>(opts, req, io);
  return res.ok ? EXIT_SUCCESS : res.exitCode;
}

async function jobVerb(verb: JobVerb, units: string[], opts: GlobalOptions, io: Io): Promise<number> {
  const res = await request<JobVerbResult>(opts, { verb, units, noBlock: opts.block === false }, io);
  if (!res.ok) return res.exitCode;
  let code = EXIT_SUCCESS;
  for (const outcome of res.result.outcomes) {
    if (outcome.kind === 'refused') {
      io.err(`Failed to ${verb} ${outcome.unit}: ${outcome.message}`);
      code = Math.max(code, ERROR_EXIT_CODES[outcome.code]);
    } else if (outcome.kind === 'finished') {
      const message = jobFailureMessage(outcome.unit, outcome.result, outcome.serviceResult);
      if (message) {
        io.err(message);
        code = Math.max(code, EXIT_FAILURE);
      }
    }
  }
  return code;
}

async function status(units: string[], opts: GlobalOptions, io: Io): Promise<number> {
  const res = await request<StatusResult>(opts, { verb: 'status', units }, io);
  if (!res.ok) return res.exitCode;
  const { result } = res;
  let code = EXIT_SUCCESS;
  const blocks: string[] = [];
  for (const entry of result.units) {
    if (!entry.found) {
      io.err(`Unit ${entry.name} could not be found.`);
      code = EXIT_PROGRAM_OR_SERVICE_STATUS_UNKNOWN;
      continue;
    }
    blocks.push(formatStatus(entry.info, entry.journal, result));
    if (entry.info.activeState !== 'active' && entry.info.activeState !== 'reloading' && code === EXIT_SUCCESS) code = EXIT_PROGRAM_NOT_RUNNING;
  }
  if (blocks.length > 0) io.out(blocks.join('\n\n'));
  return code;
}

async function show(units: string[], opts: GlobalOptions, io: Io): Promise<number> {
  const showOptions = { properties: opts.property ?? [], valueOnly: opts.value === true, all: opts.all === true };
  if (opts.offline) {
    const result = showOffline({ unitPath: opts.unitPath ?? [], names: units });
    for (const info of result.units) io.out(formatShow(info, showOptions));
    for (const line of result.diagnostics) io.err(line);
    return EXIT_SUCCESS;
  }
  const res = await request<ShowResult>(opts, { verb: 'show', units }, io);
  if (!res.ok) return res.exitCode;
  io.out(res.result.units.map((info) => formatShow(info, showOptions)).join('\n\n'));
  return EXIT_SUCCESS;
}

async function isState(verb: 'is-active' | 'is-failed', units: string[], opts: GlobalOptions, io: Io): Promise<number> {
  const res = await request<StatesResult>(opts, { verb, units }, io);
  if (!res.ok) return res.exitCode;
  const good = verb === 'is-active' ? ['active', 'reloading'] : ['failed'];
  let found = false;
  for (const { activeState } of res.result.states) {
    if (!opts.quiet) io.out(activeState);
    if (good.includes(activeState)) found = true;
  }
  return found ? EXIT_SUCCESS : verb === 'is-active' ? EXIT_PROGRAM_NOT_RUNNING : EXIT_FAILURE;
}

async function logs(opts: GlobalOptions & { unit?: string[]; follow?: boolean; lines?: string; json?: boolean }, io: Io): Promise<number> {
  const lines = opts.lines === undefined ? (opts.follow ? 10 : -1) : Number(opts.lines);
  if (!Number.isInteger(lines)) {
    io.err(`Failed to parse line count: ${opts.lines}`);
    return EXIT_USAGE;
  }
  let code = EXIT_SUCCESS;
  await sendRequest(opts.socket ?? defaultSocketPath(), { verb: 'logs', units: opts.unit ?? [], follow: opts.follow === true, lines }, (reply) => {
    if (!reply.ok) {
      code = replyError(io, reply);
      return;
    }
    const result = reply.result as LogsResult;
    for (const entry of result.entries) {
      io.out(opts.json ? JSON.stringify(entry) : formatJournalLine(entry, result.hostname, result.daemonPid));
    }
  });
  return code;
}

type Action = (args: string[], opts: GlobalOptions & Record<string, unknown>, io: Io) => Promise<number> | number;

/** The client verbs: name, arguments, and what each does. */
const VERBS: readonly { name: string; args?: string; description: string; options?: Option[]; action: Action }[] = [
  ...JOB_VERBS.map((verb) => ({
    name: verb,
    args: '<units...>',
    description: `${verb} one or more units (one transaction each, in order)`,
    action: ((units, opts, io) => jobVerb(verb, units, opts, io)) as Action,
  })),
  {
    name: 'init',
    description: 'run as the service manager (PID 1 in a container): start the default target, stop everything on SIGTERM',
    options: daemonOptions(),
    action: (_a, o) => daemon('init', undefined, o),
  },
  {
    name: 'up',
    args: '[dir]',
    description: 'dev mode: run every unit of DIR in the foreground; Ctrl-C stops them all',
    options: [...daemonOptions(), new Option('--watch', 'reload and restart units whose files change')],
    action: ([dir], o) => daemon('up', dir ?? '.', o),
  },
  { name: 'status', args: '[units...]', description: 'show runtime status of units', action: (u, o, io) => status(u, o, io) },
  { name: 'show', args: '<units...>', description: 'show properties of units', action: (u, o, io) => show(u, o, io) },
  { name: 'is-active', args: '<units...>', description: 'check whether units are active', action: (u, o, io) => isState('is-active', u, o, io) },
  { name: 'is-failed', args: '<units...>', description: 'check whether units are failed', action: (u, o, io) => isState('is-failed', u, o, io) },
  {
    name: 'list-units',
    args: '[patterns...]',
    description: 'list units the daemon has loaded',
    action: async (patterns, o, io) => {
      const res = await request<ListUnitsResult>(o, { verb: 'list-units', all: o.all === true, failed: o.failed === true, patterns }, io);
      if (!res.ok) return res.exitCode;
      io.out(formatListUnits(res.result.units, o.all === true));
      return EXIT_SUCCESS;
    },
  },
  {
    name: 'list-jobs',
    description: 'list queued and running jobs',
    action: async (_a, o, io) => {
      const res = await request<ListJobsResult>(o, { verb: 'list-jobs' }, io);
      if (!res.ok) return res.exitCode;
      io.out(formatListJobs(res.result.jobs));
      return EXIT_SUCCESS;
    },
  },
  {
    name: 'list-dependencies',
    args: '[unit]',
    description: 'show a unit’s dependency tree',
    options: [new Option('--reverse'), new Option('--after'), new Option('--before')],
    action: async ([unit], o, io) => {
      const direction = o['after'] ? 'after' : o['before'] ? 'before' : 'requirements';
      const req: Request = { verb: 'list-dependencies', unit: unit ?? 'default.target', reverse: o['reverse'] === true, direction, all: o.all === true };
      const res = await request<TreeResult>(o, req, io);
      if (!res.ok) return res.exitCode;
      io.out(formatTree(res.result.tree));
      return EXIT_SUCCESS;
    },
  },
  {
    name: 'reset-failed',
    args: '[units...]',
    description: 'reset the failed state (and start limit) of units',
    action: async (units, o, io) => {
      return acknowledged(o, { verb: 'reset-failed', units }, io);
    },
  },
  {
    name: 'kill',
    args: '<units...>',
    description: 'send a signal to the processes of units',
    options: [new Option('-s, --signal <signal>').default('SIGTERM'), new Option('--kill-whom <whom>').choices(['main', 'control', 'all']).default('all')],
    action: async (units, o, io) => {
      const signal = parseSignal(String(o['signal']));
      if (signal === undefined) {
        io.err(`Failed to parse signal string ${String(o['signal'])}.`);
        return EXIT_USAGE;
      }
      return acknowledged(o, { verb: 'kill', units, signal, whom: o['killWhom'] as 'main' | 'control' | 'all' }, io);
    },
  },
  {
    name: 'logs',
    description: 'show the journal of units',
    options: [new Option('-u, --unit <unit>').argParser(repeat), new Option('-f, --follow'), new Option('-n, --lines <n>'), new Option('--json')],
    action: (_a, o, io) => logs(o, io),
  },
  {
    name: 'daemon-reload',
    description: 'reload unit files',
    action: async (_a, o, io) => {
      return acknowledged(o, { verb: 'daemon-reload' }, io);
    },
  },
  {
    name: 'poweroff',
    description: 'stop every unit and end the daemon',
    action: async (_a, o, io) => {
      return acknowledged(o, { verb: 'poweroff' }, io);
    },
  },
  {
    name: 'exit',
    args: '[code]',
    description: 'stop every unit and end the daemon with CODE',
    action: async ([code], o, io) => {
      const n = code === undefined ? undefined : Number(code);
      if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 255)) {
        io.err(`Invalid exit code: ${code}`);
        return EXIT_USAGE;
      }
      return acknowledged(o, { verb: 'exit', code: n }, io);
    },
  },
  // Offline verbs: no daemon needed.
  { name: 'verify', args: '<units...>', description: 'check unit files and report every problem as file:line: message', action: (names, o, io) => printed(runVerify({ unitPath: o.unitPath ?? [], names }), io) },
  { name: 'cat', args: '<units...>', description: 'print unit files and their drop-ins', action: (names, o, io) => printed(runCat({ unitPath: o.unitPath ?? [], names }), io) },
  {
    name: 'enable',
    args: '<units...>',
    description: 'enable units (create the symlinks systemctl enable creates)',
    action: (names, o, io) => enableVerb(names, o, io, false),
  },
  {
    name: 'disable',
    args: '<units...>',
    description: 'disable units (remove their symlinks)',
    action: (names, o, io) => enableVerb(names, o, io, true),
  },
  { name: 'is-enabled', args: '<units...>', description: 'check whether unit files are enabled', action: (names, o, io) => printed(runIsEnabled({ root: o.root, unitPath: o.unitPath, names }), io) },
];

function daemonOptions(): Option[] {
  return [
    new Option('--target <unit>', 'the unit to start (init)').default('default.target'),
    new Option('--log-format <format>', 'event log on stdout').choices(['json', 'text']),
    new Option('--journal-dir <dir>', 'also keep the journal in rotating files there'),
    new Option('--debug', 'log state changes and job steps too'),
  ];
}

function daemon(mode: 'init' | 'up', dir: string | undefined, o: GlobalOptions & Record<string, unknown>): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const format = (o['logFormat'] as 'json' | 'text' | undefined) ?? (tty ? 'text' : 'json');
  return runDaemon({
    mode,
    ...(dir !== undefined ? { dir } : {}),
    unitPath: o.unitPath ?? [],
    target: String(o['target'] ?? 'default.target'),
    socket: o.socket ?? defaultSocketPath(),
    logFormat: format,
    colour: tty && format === 'text' && !process.env['NO_COLOR'],
    watch: o['watch'] === true,
    ...(typeof o['journalDir'] === 'string' ? { journalDir: o['journalDir'] } : {}),
    debug: o['debug'] === true,
  });
}

function printed(result: { stdout: string; stderr: string; exitCode: number }, io: Io): number {
  if (result.stdout) io.out(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
}

async function enableVerb(names: string[], opts: GlobalOptions, io: Io, disable: boolean): Promise<number> {
  const code = printed(runEnable({ root: opts.root, unitPath: opts.unitPath, names, disable }), io);
  if (code !== EXIT_SUCCESS || !opts.now) return code;
  return jobVerb(disable ? 'stop' : 'start', names, opts, io);
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('unitvisor')
    .description('A small systemd: runs systemd unit files as PID 1, as a dev process manager, or inside tests.')
    .option('--socket <path>', 'the daemon’s control socket')
    .option('--unit-path <dir>', 'a unit directory (repeatable; replaces the default search path)', repeat)
    .option('--no-block', 'do not wait for queued jobs to finish')
    .option('-a, --all', 'show all units / properties')
    .option('--failed', 'list only failed units')
    .option('-p, --property <names>', 'properties to show (repeatable, comma-separated)', collect)
    .option('--value', 'print only property values')
    .option('--offline', 'show: load the unit files without a daemon')
    .option('--root <dir>', 'enable/disable: operate on this root directory')
    .option('--now', 'enable/disable: also start/stop the units')
    .option('-q, --quiet', 'suppress output')
    .option('--no-pager', 'accepted for systemctl compatibility')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();
  for (const verb of VERBS) {
    const command = program.command(verb.name).description(verb.description);
    if (verb.args) command.argument(verb.args);
    for (const option of verb.options ?? []) command.addOption(option);
    command.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const args = (verb.args ? ([] as string[]).concat((params[0] as string[] | string | undefined) ?? []) : []) as string[];
      setExit(await verb.action(args, cmd.optsWithGlobals(), io));
    });
  }
  return program;
}

/** Runs the command line; returns the exit code. Daemon modes (init, up) are dispatched by the caller. */
export async function runCli(argv: readonly string[], io: Io = stdio): Promise<number> {
  let exitCode = EXIT_SUCCESS;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof ConnectError) {
      io.err(error.message);
      return EXIT_FAILURE;
    }
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? EXIT_SUCCESS : EXIT_USAGE;
    throw error;
  }
  return exitCode;
}
