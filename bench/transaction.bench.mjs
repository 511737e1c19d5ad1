// Scheduler benchmark: a 10,000-unit graph with 50,000 dependency edges; one transaction for the root
// target, then the run queue driven to completion with every job finishing at once. Reports CPU time and
// its ratio to a floor measured in the same run: a plain Kahn topological sort of the same ordering graph.
//
// Run after building: npm run build && node bench/transaction.bench.mjs [--units N] [--json]
import { buildGraph } from '../dist/job/unit-graph.js';
import { InstalledJobs } from '../dist/job/installed-jobs.js';
import { activate } from '../dist/job/transaction.js';
import { applyPlan, dispatch, finishJob } from '../dist/job/run-queue.js';
import { FORWARD_DEPENDENCIES } from '../dist/unit/model.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--units') + 1]) || 10_000;
const asJson = args.includes('--json');
const ROOT = 'bench.target';

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every run measures the same graph. */
function lcg(seed) {
  let s = seed >>> 0;
  return (n) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
}

/**
 * The root Wants= every unit (N edges); each unit i Requires= two units and is After= two units, all of
 * lower index (4N edges), so ordering is acyclic and every unit is pulled in: 5N edges in all.
 */
function makeConfigs(n) {
  const rnd = lcg(42);
  const name = (i) => `u${i}.service`;
  const config = (id, type, deps) => ({
    id,
    type,
    aliases: [],
    loadState: 'loaded',
    unit: {
      description: undefined,
      dependencies: Object.fromEntries(FORWARD_DEPENDENCIES.map((k) => [k, deps[k] ?? []])),
      allowIsolate: false,
      ignoreOnIsolate: false,
      stopWhenUnneeded: false,
      onFailureJobMode: 'replace',
    },
    service: type === 'service' ? { type: 'simple', execReload: [] } : undefined,
  });
  const configs = [config(ROOT, 'target', { Wants: Array.from({ length: n }, (_, i) => name(i)) })];
  let edges = n;
  for (let i = 0; i < n; i++) {
    const lower = () => name(rnd(Math.max(i, 1)));
    const deps = i === 0 ? {} : { Requires: [...new Set([lower(), lower()])], After: [...new Set([lower(), lower()])] };
    edges += (deps.Requires?.length ?? 0) + (deps.After?.length ?? 0);
    configs.push(config(name(i), 'service', deps));
  }
  return { configs, edges };
}

function cpuMs(fn) {
  const t = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(t);
  return { ms: (d.user + d.system) / 1000, value };
}

/** The floor: Kahn's algorithm over the After= edges of the same graph, on plain arrays. */
function topologicalSort(configs) {
  const index = new Map(configs.map((c, i) => [c.id, i]));
  const indegree = new Int32Array(configs.length);
  const out = configs.map(() => []);
  configs.forEach((c, i) => {
    for (const dep of c.unit.dependencies.After) {
      out[index.get(dep)].push(i);
      indegree[i]++;
    }
  });
  const queue = [];
  indegree.forEach((d, i) => d === 0 && queue.push(i));
  for (let h = 0; h < queue.length; h++) for (const j of out[queue[h]]) if (--indegree[j] === 0) queue.push(j);
  return queue.length;
}

function schedule(configs) {
  const phase = {};
  const time = (name, fn) => {
    const r = cpuMs(fn);
    phase[name] = Math.round(r.ms);
    return r.value;
  };
  const graph = time('graph', () => buildGraph(configs));
  const installed = new InstalledJobs();
  const r = time('transaction', () => activate(graph, installed, { unit: ROOT, type: 'start', mode: 'replace' }));
  if (!r.ok) throw new Error(r.error.message);
  const { ran, waves } = time('runQueue', () => {
    applyPlan(graph, installed, r.value);
    let ran = 0;
    let waves = 0;
    for (let jobs = dispatch(graph, installed); jobs.length > 0; jobs = dispatch(graph, installed)) {
      waves++;
      for (const job of jobs) {
        graph.setActiveState(job.unit, 'active');
        finishJob(graph, installed, job.id, 'done');
        ran++;
      }
    }
    return { ran, waves };
  });
  if (installed.size !== 0) throw new Error(`${installed.size} jobs never ran`);
  return { planned: r.value.jobs.length, ran, waves, phase };
}

const { configs, edges } = makeConfigs(N);
// Warm up the JIT on a smaller graph so both measurements see optimized code.
schedule(makeConfigs(1000).configs);
topologicalSort(makeConfigs(1000).configs);

const floor = cpuMs(() => topologicalSort(configs));
const run = cpuMs(() => schedule(configs));
if (floor.value !== configs.length) throw new Error('ordering graph is cyclic');

const report = {
  units: configs.length,
  edges,
  jobs: run.value.planned,
  ran: run.value.ran,
  waves: run.value.waves,
  cpuMs: Math.round(run.ms),
  floorCpuMs: Number(floor.ms.toFixed(2)),
  ratio: Number((run.ms / Math.max(floor.ms, 0.001)).toFixed(1)),
  phasesCpuMs: run.value.phase,
};
if (asJson) console.log(JSON.stringify(report));
else
  console.log(
    `transaction+run-queue: ${report.units} units, ${report.edges} edges, ${report.jobs} jobs in ${report.waves} waves: ` +
      `${report.cpuMs} ms CPU (graph ${report.phasesCpuMs.graph}, transaction ${report.phasesCpuMs.transaction}, run queue ${report.phasesCpuMs.runQueue}); ` +
      `floor (topological sort) ${report.floorCpuMs} ms; ratio ${report.ratio}x`,
  );
