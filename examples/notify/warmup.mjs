// A service that needs time to start: it "warms a cache" in steps, tells the supervisor how far it is
// (STATUS=), says READY=1 when it can serve, then pings the watchdog (WATCHDOG=1) while it is healthy.
// The messages go to $NOTIFY_SOCKET, which the supervisor sets for Type=notify services (sd_notify(3)).
import { notify } from '../lib/sd-notify.mjs';

const steps = Number(process.env.WARMUP_STEPS ?? 5);
for (let step = 1; step <= steps; step++) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  notify(`STATUS=Warming up: ${step}/${steps}`);
  console.log(`warm-up step ${step}/${steps}`);
}
notify('READY=1\nSTATUS=Ready: serving from a warm cache');
console.log('ready');

// WatchdogSec= in the unit sets WATCHDOG_USEC; ping twice per period, as sd_watchdog_enabled(3) advises.
// A hung process would stop pinging, and the supervisor would kill it (Result=watchdog) and restart it.
const watchdogUsec = Number(process.env.WATCHDOG_USEC ?? 0);
const heartbeat = watchdogUsec > 0 ? setInterval(() => notify('WATCHDOG=1'), watchdogUsec / 2000) : undefined;

process.on('SIGTERM', () => {
  notify('STOPPING=1\nSTATUS=Shutting down');
  clearInterval(heartbeat);
  console.log('flushing the cache, bye');
  process.exit(0);
});
setInterval(() => {}, 60_000); // keep serving
