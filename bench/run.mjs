// `npm run bench`: M1–M10 for unitvisor side by side with a bare Node spawn loop (the floor), a C loop,
// and supervisord, pm2 and tini where installed, in one run on one machine. Prints a table of medians
// with unitvisor's ratio to the Node floor, and writes every record as JSON (bench/results/).
//
//   npm run build && npm run bench [-- --quick] [-- --metrics m1,m5] [-- --n 100,500] [-- --runs 3]
//
// M1–M5 are taken by bench/harness (Python, stdlib only; see its lib/harness.py), M6 by harness/lib/m6.py
// in a fresh PID namespace (needs root and unshare), M7 by transaction.bench.mjs, M8 and M9 here, M10 by
// probes.bench.mjs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const HARNESS = join(ROOT, 'bench', 'harness');
const CLI = join(ROOT, 'dist', 'bin.cjs');
const BUILD = process.env.BENCH_BUILD ?? join(tmpdir(), 'unitvisor-bench-build');
const PM2_PREFIX = process.env.PM2_PREFIX ?? '/tmp/peers/pm2';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const metrics = (option('--metrics') ?? 'm1,m2,m3,m4,m5,m6,m7,m8,m9,m10').split(',');
const counts = (option('--n') ?? (quick ? '100' : '1,100,500,1000')).split(',').map(Number);
const runs = Number(option('--runs') ?? (quick ? 1 : 3));

if (!existsSync(CLI)) throw new Error('Build first: npm run build');
execFileSync('sh', [join(HARNESS, 'build.sh')], { env: { ...process.env, BENCH_BUILD: BUILD }, stdio: 'ignore' });

const unitsCmd = `node ${CLI} init --unit-path {units} --socket {units}/../control.sock --log-format json`;
const has = (path) => existsSync(path);
const peers = [
  { name: 'floor-node', adapter: 'floor-node' },
  { name: 'floor-c', adapter: 'floor-c' },
  { name: 'supervisord', adapter: 'supervisord', missing: has('/usr/bin/supervisord') ? undefined : 'supervisord is not installed (apt-get install supervisor)' },
  { name: 'pm2', adapter: 'pm2', missing: has(join(PM2_PREFIX, 'node_modules/.bin/pm2-runtime')) ? undefined : `pm2 is not installed in ${PM2_PREFIX} (npm install pm2 there)` },
  { name: 'unitvisor', adapter: 'units' },
];
const notes = peers.filter((p) => p.missing).map((p) => `${p.name} skipped: ${p.missing}`);
const present = peers.filter((p) => !p.missing);
const records = [];
const results = new Map(); // "metric|n|peer" → value shown in the table

function harness(metric, peer, extra) {
  const out = join(mkdtempSync(join(tmpdir(), 'unitvisor-bench-')), 'out.jsonl');
  const env = { ...process.env, BENCH_BUILD: BUILD, UNITS_CMD: unitsCmd, PM2_PREFIX };
  spawnSync('/usr/bin/python3', [join(HARNESS, 'lib', 'harness.py'), metric, peer.adapter, '--label', peer.name, '--out', out, ...extra], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const lines = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  rmSync(dirname(out), { recursive: true, force: true });
  records.push(...lines);
  return lines;
}

const set = (metric, n, peer, value) => results.set(`${metric}|${n}|${peer}`, value);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (text) => process.stderr.write(`${text}\n`);

// ── M1–M5 ──────────────────────────────────────────────────────────────────
if (metrics.includes('m1')) {
  for (const peer of present) {
    log(`m1 ${peer.name}`);
    for (const r of harness('m1', peer, ['--runs', String(runs), ...counts.flatMap((n) => ['--n', String(n)])])) set('m1', r.n, peer.name, r.rss_kb);
  }
  if (has('/usr/bin/tini')) for (const r of harness('m1', { name: 'tini', adapter: 'tini' }, ['--runs', String(runs), '--n', '1'])) set('m1', r.n, 'tini', r.rss_kb);
}
for (const metric of ['m2', 'm5']) {
  if (!metrics.includes(metric)) continue;
  for (const n of counts.filter((c) => c >= 100)) {
    for (const peer of present) {
      log(`${metric} ${peer.name} n=${n}`);
      const [r] = harness(metric, peer, ['--n', String(n), '--runs', String(runs), '--timeout', '600', '--stop-timeout', '120']);
      set(metric, n, peer.name, r === undefined ? undefined : metric === 'm2' ? r.median_s * 1000 : r.median_all_gone_s === null ? undefined : r.median_all_gone_s * 1000);
    }
  }
}
if (metrics.includes('m3')) {
  for (const peer of present) {
    log(`m3 ${peer.name}`);
    const [r] = harness('m3', peer, ['--timeout', '120']);
    set('m3', 1, peer.name, r?.median_ms);
  }
}
if (metrics.includes('m4')) {
  for (const peer of present) {
    log(`m4 ${peer.name}`);
    const [r] = harness('m4', peer, ['--n', '100', '--timeout', '600']);
    set('m4', 100, peer.name, r === undefined ? undefined : `${r.cpu_ms} ms / ${r.wakeups_per_s.toFixed(2)}/s`);
  }
}

// ── M6: 1000 orphans under PID 1 ───────────────────────────────────────────
if (metrics.includes('m6')) {
  const inits = [
    ['floor-c', `${BUILD}/floor-c 1`],
    ['floor-node', `node ${HARNESS}/floors/floor.cjs 1`],
    ...(has('/usr/bin/tini') ? [['tini', 'tini --']] : []),
    ...(has('/usr/bin/supervisord') ? [['supervisord', `bash ${HARNESS}/peers/m6/supervisord.sh`]] : []),
    ['unitvisor', `bash ${HARNESS}/peers/m6/unitvisor.sh`],
  ];
  for (const [name, init] of inits) {
    log(`m6 ${name}`);
    const out = join(mkdtempSync(join(tmpdir(), 'unitvisor-bench-')), 'out.jsonl');
    spawnSync('/usr/bin/python3', [join(HARNESS, 'lib', 'm6.py'), name, init, '--runs', String(runs), '--watch-ms', '60000', '--out', out], { env: { ...process.env, BENCH_BUILD: BUILD, UNITVISOR_CLI: CLI }, stdio: ['ignore', 'ignore', 'inherit'] });
    const r = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8').trim().split('\n').at(-1)) : undefined;
    rmSync(dirname(out), { recursive: true, force: true });
    if (r !== undefined) records.push(r);
    set('m6', 1000, name, r === undefined ? undefined : r.reaped_all ? `lag ${r.median_reap_lag_ms} ms, peak ${r.median_max_zombies} zombies` : `not all reaped (${r.median_left_zombies} left)`);
  }
}

// ── M7: a transaction over 10,000 units / 50,000 edges ─────────────────────
if (metrics.includes('m7')) {
  log('m7');
  const cpu = [];
  let floor = [];
  for (let i = 0; i < runs; i++) {
    const r = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench', 'transaction.bench.mjs'), '--json'], { encoding: 'utf8' }));
    records.push({ metric: 'm7', ...r });
    cpu.push(r.cpuMs ?? r.transactionCpuMs ?? r.totalCpuMs);
    floor.push(r.floorCpuMs);
  }
  set('m7', 10000, 'unitvisor', median(cpu));
  set('m7', 10000, 'floor-node', median(floor));
}

// ── M8: a service printing lines as fast as it can ─────────────────────────
/**
 * The daemon running `units`, its stdout given to `onStdout` a read at a time (the bytes are valid during
 * the call only). Its stdout is a UNIX stream socket, as with spawn()'s 'pipe', read here into one reused
 * buffer (net's onread): a stream's reads of 64 KiB, each into fresh memory, cost this process more than
 * the daemon costs in M8.
 */
async function daemonWith(units, onStdout = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-bench-'));
  mkdirSync(join(dir, 'units', 'multi-user.target.wants'), { recursive: true });
  for (const [name, text] of Object.entries(units)) {
    writeFileSync(join(dir, 'units', name), text);
    symlinkSync(`../${name}`, join(dir, 'units', 'multi-user.target.wants', name));
  }
  const server = createServer();
  await new Promise((resolve) => server.listen(join(dir, 'stdout.sock'), resolve));
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const reader = connect({ path: join(dir, 'stdout.sock'), onread: { buffer: Buffer.allocUnsafe(1024 * 1024), callback: (n, buffer) => void onStdout(buffer.subarray(0, n)) } });
  const stdout = await accepted;
  server.close();
  const socket = join(dir, 'control.sock');
  const child = spawn(process.execPath, [CLI, 'init', '--unit-path', join(dir, 'units'), '--socket', socket, '--log-format', 'json'], { stdio: ['ignore', stdout, 'inherit'] });
  // The daemon holds the only writing end: its stdout is read to the end, lines still in the socket when it exits count.
  stdout.destroy();
  const stdoutEnded = new Promise((resolve) => reader.once('end', resolve).once('close', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    await stdoutEnded;
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, socket, stop };
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
/** A process's CPU time so far (user and system, ms), that of its children it reaped, and its context switches (voluntary and not). */
function cpuOf(pid) {
  const [utime, stime, cutime, cstime] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 15).map(Number);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const switches = ['voluntary', 'nonvoluntary'].reduce((sum, kind) => sum + Number(new RegExp(`^${kind}_ctxt_switches:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0), 0);
  const { user, system } = process.cpuUsage();
  return { cpuMs: ((utime + stime) * 1000) / 100, childrenMs: ((cutime + cstime) * 1000) / 100, readerMs: (user + system) / 1000, switches };
}

async function m8(bytes) {
  const line = '0123456789'.repeat(7); // 70 characters and a newline
  const expected = Math.floor(bytes / (line.length + 1));
  let lines = 0;
  let maxRss = 0;
  // From the service's start (the daemon's own start-up is M2's) to its end, every line through the event log.
  let started;
  // The supervisor's CPU and context switches over the same span (load distorts them less than the rate).
  let before;
  let after;
  // The log is searched as bytes, not split into strings, so that this reader takes little of the CPU the
  // daemon needs. A line counts only when it arrived whole and unchanged.
  const whole = Buffer.from(`"stream":"stdout","msg":"${line}"}\n`);
  const starting = Buffer.from('Starting flood.service');
  const finishing = Buffer.from('Finished flood.service');
  // The last bytes read, too few to hold a whole line's end: a line cut in two is found in them and the
  // start of the next chunk (the edge), the rest in the chunk itself, which is never copied.
  const edgeBytes = whole.length - 1;
  let tail = Buffer.alloc(0);
  const count = (data, needle) => {
    let found = 0;
    for (let at = data.indexOf(needle); at !== -1; ) {
      found++;
      const next = data.indexOf(needle, at + needle.length);
      if (next === -1) break;
      // data[at, next + needle.length) holds an occurrence at each end and none between (none overlap: the
      // needle's one "\n" ends it). Where the data goes on repeating that period (a run of identical lines),
      // each repetition holds exactly one more: one comparison checks many, instead of a search for each.
      // Each comparison checks only the bytes past those found repeating so far (`repeating`), so that a
      // run's bytes are compared about once, not once per doubling.
      const period = next - at;
      let periods = 1;
      let repeating = next + needle.length;
      for (let step = 1; step > 0; ) {
        const end = at + (periods + step) * period + needle.length;
        if (end <= data.length && data.compare(data, repeating, end, repeating - period, end - period) === 0) {
          periods += step;
          repeating = end;
          step *= 2;
        } else step >>= 1;
      }
      found += periods - 1;
      at += periods * period;
    }
    return found;
  };
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const d = await daemonWith({ 'flood.service': `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'yes ${line} | head -n ${expected}'\n` }, (chunk) => {
    const edge = Buffer.concat([tail, chunk.subarray(0, edgeBytes)]);
    lines += count(edge, whole) + count(chunk, whole);
    const seen = (needle) => chunk.includes(needle) || edge.includes(needle);
    if (started === undefined && seen(starting)) (started = process.hrtime.bigint()), (before = cpuOf(d.child.pid));
    if (seen(finishing)) (after ??= cpuOf(d.child.pid)), finish(process.hrtime.bigint());
    tail = Buffer.from((chunk.length >= edgeBytes ? chunk : Buffer.concat([tail, chunk])).subarray(-edgeBytes));
  });
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssKb(d.child.pid))), 100);
  await finished;
  clearInterval(sampler);
  // Lines still in the event log's buffers when the unit finished are counted until the daemon has exited.
  await d.stop();
  const seconds = Number((await finished) - started) / 1e9;
  // The service (yes | head) was reaped before it finished: its CPU is the daemon's children's.
  const spent = (key) => after[key] - before[key];
  return { bytes, expected, lines, lost: expected - lines, seconds, mbPerS: bytes / 1e6 / seconds, maxRssKb: maxRss, cpuMs: spent('cpuMs'), serviceCpuMs: spent('childrenMs'), readerCpuMs: spent('readerMs'), switches: spent('switches') };
}

if (metrics.includes('m8')) {
  const bytes = Number(process.env.BENCH_M8_BYTES ?? (quick ? 100e6 : 1e9));
  log(`m8 ${bytes} bytes`);
  const r = await m8(bytes);
  records.push({ metric: 'm8', peer: 'unitvisor', ...r });
  set('m8', bytes, 'unitvisor', `${r.mbPerS.toFixed(0)} MB/s, ${r.lost} lost, RSS ≤ ${(r.maxRssKb / 1024).toFixed(0)} MiB, CPU ${r.cpuMs.toFixed(0)} ms, ${r.switches} switches (service ${r.serviceCpuMs.toFixed(0)} ms, reader ${r.readerCpuMs.toFixed(0)} ms)`);
}

// ── M9: client verbs against `node -e 0` ───────────────────────────────────
/** Median wall time of `argv` and of `node -e 0`, run alternately so that both see the same machine. */
function timeAgainstFloor(argv, times = 15) {
  const once = (command) => {
    const t = process.hrtime.bigint();
    spawnSync(command[0], command.slice(1), { stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const ours = [];
  const floor = [];
  for (let i = 0; i < times; i++) {
    ours.push(once(argv));
    floor.push(once([process.execPath, '-e', '0']));
  }
  return { ms: median(ours), floorMs: median(floor) };
}

/**
 * Median time from the moment `start --no-block c.service` is typed until the log shows "Starting c.service...",
 * the line a user waits for, and of `node -e 0`, run alternately. `lineSeen()` resolves when the log shows it
 * next; c.service is a oneshot, so each start runs it anew (its "Finished" line is waited for between runs).
 */
async function timeToStarting(socket, lineSeen, times = 15) {
  const typed = [];
  const floor = [];
  for (let i = 0; i < times; i++) {
    const seen = lineSeen(STARTING);
    const finished = lineSeen(FINISHED);
    const t = process.hrtime.bigint();
    const client = spawn(process.execPath, [CLI, '--socket', socket, 'start', '--no-block', 'c.service'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => client.once('exit', resolve));
    typed.push(Number((await seen) - t) / 1e6);
    await Promise.all([exited, finished]);
    const f = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    floor.push(Number(process.hrtime.bigint() - f) / 1e6);
  }
  return { ms: median(typed), floorMs: median(floor) };
}
const STARTING = Buffer.from('"msg":"Starting c.service');
const FINISHED = Buffer.from('"msg":"Finished c.service');

if (metrics.includes('m9')) {
  log('m9');
  // Lines awaited in the log: each resolves with the time of the first read that holds its text (the last
  // bytes of the read before are searched too, for a text split between two reads, but a text that lies
  // wholly in them was there before the wait began).
  const awaited = [];
  let tail = Buffer.alloc(0);
  const d = await daemonWith(
    {
      'a.service': '[Service]\nExecStart=/bin/sleep 1000\n',
      'b.service': '[Service]\nExecStart=/bin/sleep 1000\n',
      'c.service': '[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
    },
    (chunk) => {
      const data = Buffer.concat([tail, chunk]);
      const now = process.hrtime.bigint();
      for (const w of [...awaited]) if (data.includes(w.text, Math.max(0, tail.length - w.text.length + 1))) (awaited.splice(awaited.indexOf(w), 1), w.found(now));
      tail = Buffer.from(data.subarray(-64));
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const verb of [['is-active', 'a.service'], ['status', 'a.service'], ['start', '--no-block', 'b.service']]) {
    const { ms, floorMs } = timeAgainstFloor([process.execPath, CLI, '--socket', d.socket, ...verb]);
    records.push({ metric: 'm9', peer: 'unitvisor', verb: verb[0], medianMs: ms, floorMs });
    set(`m9 ${verb[0]}`, 1, 'unitvisor', ms);
    set(`m9 ${verb[0]}`, 1, 'floor-node', floorMs);
  }
  const { ms, floorMs } = await timeToStarting(d.socket, (text) => new Promise((found) => awaited.push({ text, found })));
  records.push({ metric: 'm9', peer: 'unitvisor', verb: 'start → Starting', medianMs: ms, floorMs });
  set('m9 start → Starting', 1, 'unitvisor', ms);
  set('m9 start → Starting', 1, 'floor-node', floorMs);
  await d.stop();
}

// ── M10: 100 services with a TCP health check every second ─────────────────
if (metrics.includes('m10')) {
  log('m10');
  const r = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench', 'probes.bench.mjs'), '--json', '--seconds', quick ? '5' : '10'], { encoding: 'utf8' }));
  records.push({ metric: 'm10', peer: 'unitvisor', ...r });
  // The floor: the same connections from a bare Node loop; unitvisor's figure is what the probes add.
  set('m10', r.units, 'unitvisor', r.probedCpuMsPerS - r.idleCpuMsPerS);
  set('m10', r.units, 'floor-node', r.floorCpuPerConnectMs * r.units);
  notes.push(`m10: event-loop delay p99 ${r.idleLagP99Ms} ms without probes, ${r.probedLagP99Ms} ms with them; ${r.healthy}/${r.units} healthy`);
}

// ── report ─────────────────────────────────────────────────────────────────
const columns = ['floor-node', 'floor-c', 'supervisord', 'pm2', 'tini', 'unitvisor'];
const show = (v) => (v === undefined || v === null ? '—' : typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : String(v));
const UNITS = { 'm9 is-active': 'ms (floor: node -e 0)', 'm9 status': 'ms (floor: node -e 0)', 'm9 start': 'ms --no-block (floor: node -e 0)', 'm9 start → Starting': 'ms to the "Starting" line (floor: node -e 0)', m1: 'RSS KiB', m2: 'ms to all running', m3: 'ms crash → respawn', m4: 'idle 30 s CPU / wake-ups', m5: 'ms SIGTERM → all gone', m6: 'orphans reaped', m7: 'ms CPU', m8: 'throughput', m10: 'CPU ms/s added by TCP health checks' };
const keys = [...new Set([...results.keys()].map((k) => k.split('|').slice(0, 2).join('|')))];
const rows = ['| metric | N | ' + columns.join(' | ') + ' | unitvisor / Node floor |', '|' + ' --- |'.repeat(columns.length + 3)];
for (const key of keys) {
  const [metric, n] = key.split('|');
  const values = columns.map((c) => results.get(`${key}|${c}`));
  const [floor, , , , , ours] = values;
  const ratio = typeof floor === 'number' && typeof ours === 'number' && floor > 0 ? `${(ours / floor).toFixed(2)}×` : '—';
  rows.push(`| ${metric} ${UNITS[metric] ?? 'ms'} | ${n} | ${values.map(show).join(' | ')} | ${ratio} |`);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
const table = [`Machine: ${machine}`, `Command: npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`, '', ...rows, '', ...notes.map((n) => `Note: ${n}`)].join('\n');
process.stdout.write(`${table}\n`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ machine, args, notes, table: Object.fromEntries(results), records }, null, 2));
log(`JSON: ${file}`);
