// A classic Unix daemon, as Type=forking expects one: the process that the supervisor starts forks
// the real daemon into the background, waits until it wrote its PID file, and exits 0. The supervisor
// then reads PIDFile= to learn the daemon's pid (MainPID) and supervises it from there.
// argv: --pidfile PATH
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const pidFile = process.argv[process.argv.indexOf('--pidfile') + 1];

if (!process.argv.includes('--background')) {
  // 1. The launcher: start the daemon in a new session (detached), its output still going to ours.
  const daemon = spawn(process.execPath, [...process.argv.slice(1), '--background'], { detached: true, stdio: 'inherit' });
  daemon.unref();
  // 2. Exit once the daemon is ready (its PID file exists): only then is the service "started".
  const waitForPidFile = setInterval(() => {
    if (!existsSync(pidFile)) return;
    clearInterval(waitForPidFile);
    console.log(`launcher: daemon ${daemon.pid} is up, exiting`);
    process.exit(0);
  }, 20);
} else {
  // 3. The daemon: write the PID file when ready, work, remove it on SIGTERM.
  writeFileSync(pidFile, `${process.pid}\n`);
  console.log(`daemon: running as pid ${process.pid}`);
  let ticks = 0;
  const work = setInterval(() => console.log(`daemon: tick ${++ticks}`), 2000);
  process.on('SIGTERM', () => {
    clearInterval(work);
    rmSync(pidFile, { force: true });
    console.log('daemon: stopped');
    process.exit(0);
  });
}
