// Supervision overhead: starting a oneshot service N times through unitvisor (transaction, job,
// environment, exec helper, exit classification) against the floor measured in the same run, a bare
// child_process.spawn loop of the same program.
//
// Run after building: npm run build && node bench/spawn.bench.mjs [--runs N] [--json]
import { spawn } from 'node:child_process';
import { Supervisor } from '../dist/api/index.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 200;
const asJson = args.includes('--json');

async function floor(n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    await new Promise((resolve, reject) => {
      const child = spawn('/bin/true', [], { stdio: 'ignore' });
      child.once('exit', resolve);
      child.once('error', reject);
    });
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function supervised(n) {
  const sv = await Supervisor.boot({
    units: { 'tick.service': '[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nExecStart=/bin/true\n' },
  });
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await sv.start('tick.service');
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    await sv.shutdown();
  }
}

async function parallelStarts(n) {
  const units = {};
  for (let i = 0; i < n; i++) units[`s${i}.service`] = '[Service]\nExecStart=/bin/sleep 60\n';
  const sv = await Supervisor.boot({ units });
  try {
    const start = process.hrtime.bigint();
    await Promise.all(Object.keys(units).map((u) => sv.start(u)));
    const started = Number(process.hrtime.bigint() - start) / 1e6;
    const stopStart = process.hrtime.bigint();
    await Promise.all(Object.keys(units).map((u) => sv.stop(u)));
    return { started, stopped: Number(process.hrtime.bigint() - stopStart) / 1e6 };
  } finally {
    await sv.shutdown();
  }
}

await floor(20); // warm-up
const floorMs = await floor(RUNS);
const unitMs = await supervised(RUNS);
const parallel = await parallelStarts(100);
const result = {
  runs: RUNS,
  floorMsPerSpawn: floorMs / RUNS,
  unitvisorMsPerStart: unitMs / RUNS,
  ratio: unitMs / floorMs,
  start100SimpleMs: parallel.started,
  stop100SimpleMs: parallel.stopped,
};
if (asJson) console.log(JSON.stringify(result));
else {
  console.log(`oneshot start x${RUNS}: ${result.unitvisorMsPerStart.toFixed(2)} ms each; bare spawn ${result.floorMsPerSpawn.toFixed(2)} ms each; ratio ${result.ratio.toFixed(1)}x`);
  console.log(`100 simple services: started in ${parallel.started.toFixed(0)} ms, stopped in ${parallel.stopped.toFixed(0)} ms`);
}
