// The cost of one walk of /proc for a process's descendants (every stop, kill and leak check does one),
// against the floor measured in the same run: reading the list of /proc entries alone.
//
// Run after building: npm run build && node bench/proc-walk.bench.mjs [--runs N] [--json]
import { readdirSync } from 'node:fs';
import { descendantsOf } from '../dist/process/process-tree.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 100;
const asJson = args.includes('--json');

function timed(f) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) f();
  return Number(process.hrtime.bigint() - start) / 1e6 / RUNS;
}

const processes = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
const floor = timed(() => readdirSync('/proc'));
const walk = timed(() => descendantsOf(1));
const result = { processes, walkMs: walk, floorMs: floor, ratio: walk / floor };
if (asJson) console.log(JSON.stringify(result));
else console.log(`${processes} processes: a walk takes ${walk.toFixed(2)} ms, listing /proc ${floor.toFixed(2)} ms (${result.ratio.toFixed(1)}×)`);
