// The cost of health checks: N sleeping services, each with an [X-HealthCheck] probing a local TCP
// server every second, against the same N services without probes, measured in the same run as the
// supervisor's CPU time per second of wall time, and how late its event loop ran (p99 delay) meanwhile.
//
// Run after building: npm run build && node bench/probes.bench.mjs [--units N] [--seconds S] [--json]
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Supervisor } from '../dist/api/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const UNITS = option('--units', 100);
const SECONDS = option('--seconds', 10);

// The probed server runs in its own process, so that only the supervisor's side is measured.
const server = spawn(process.execPath, ['-e', "const s=require('net').createServer((c)=>c.end()).listen(0,'127.0.0.1',()=>console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));

async function measure(probed) {
  const units = {};
  for (let i = 0; i < UNITS; i++) {
    units[`s${i}.service`] = `[Service]\nExecStart=/bin/sleep 3600\n${probed ? `[X-HealthCheck]\nTcpConnect=127.0.0.1:${port}\nIntervalSec=1s\n` : ''}`;
  }
  const sv = await Supervisor.boot({ units });
  try {
    await Promise.all(Object.keys(units).map((u) => sv.start(u)));
    // Let the first round of probes pass before measuring.
    await new Promise((r) => setTimeout(r, 1500));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const used = process.cpuUsage(cpu);
    lag.disable();
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const healthy = Object.keys(units).filter((u) => sv.show(u)['HealthState'] === 'healthy').length;
    return { cpuMsPerS: (used.user + used.system) / 1000 / wallS, healthy, lagP99Ms: lag.percentile(99) / 1e6 };
  } finally {
    await sv.shutdown();
  }
}

/** The floor: the same connections from a bare loop (connect, then close), no supervisor. */
async function floor() {
  const { connect } = await import('node:net');
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let s = 0; s < SECONDS; s++) {
    const tick = new Promise((r) => setTimeout(r, 1000));
    await Promise.all(Array.from({ length: UNITS }, () => new Promise((resolve) => {
      const c = connect({ host: '127.0.0.1', port });
      c.once('connect', () => (c.destroy(), resolve()));
      c.once('error', resolve);
    })));
    await tick;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / (Number(process.hrtime.bigint() - start) / 1e9);
}

const floorCpu = await floor();
const without = await measure(false);
const withProbes = await measure(true);
server.kill();
const result = {
  units: UNITS,
  probesPerSecond: UNITS,
  idleCpuMsPerS: Number(without.cpuMsPerS.toFixed(2)),
  probedCpuMsPerS: Number(withProbes.cpuMsPerS.toFixed(2)),
  cpuPerProbeMs: Number(((withProbes.cpuMsPerS - without.cpuMsPerS) / UNITS).toFixed(3)),
  floorCpuPerConnectMs: Number((floorCpu / UNITS).toFixed(3)),
  healthy: withProbes.healthy,
  idleLagP99Ms: Number(without.lagP99Ms.toFixed(2)),
  probedLagP99Ms: Number(withProbes.lagP99Ms.toFixed(2)),
};
if (args.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`${UNITS} services, one TCP health check each per second, ${SECONDS} s measured`);
  console.log(`supervisor CPU without probes: ${result.idleCpuMsPerS} ms/s; with probes: ${result.probedCpuMsPerS} ms/s (${(result.probedCpuMsPerS / 10).toFixed(2)}% of one core)`);
  console.log(`per probe: ${result.cpuPerProbeMs} ms of CPU (a bare connect-and-close loop: ${result.floorCpuPerConnectMs} ms, ratio ${(result.cpuPerProbeMs / result.floorCpuPerConnectMs).toFixed(1)}x); healthy: ${result.healthy}/${UNITS}`);
  console.log(`event-loop delay p99: ${result.idleLagP99Ms} ms without probes, ${result.probedLagP99Ms} ms with them`);
}
