// The Docker example image (docker/example/Dockerfile), run exactly as the image runs it but without a
// Docker engine: the quickstart units and the image's drop-in copied into a root's /etc/systemd/system,
// `unitvisor enable` there, `unitvisor init` as PID 1 of a PID namespace, a request to the web server,
// then SIGTERM (what `docker stop` sends): reverse-order stop lines and exit code 0.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { runCli } from '../helpers/start-daemon.js';
import { lifecycle, startInNamespace, stopNamespaceDaemons } from './namespace-daemon.js';
import { freePort } from '../helpers/free-port.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

const REPO = resolve(import.meta.dirname, '../..');

/** The image's file system, in a temporary root: /opt/examples and /etc/systemd/system as the Dockerfile makes them. */
function buildRoot(port: number): { root: string; unitDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'unitvisor-image-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const opt = join(root, 'opt/examples');
  // COPY examples/lib /opt/examples/lib; COPY examples/quickstart /opt/examples/quickstart
  cpSync(join(REPO, 'examples/lib'), join(opt, 'lib'), { recursive: true });
  cpSync(join(REPO, 'examples/quickstart'), join(opt, 'quickstart'), { recursive: true, filter: (src) => !src.endsWith('/data') });
  // The base image's /node_modules/unitvisor (docker/install.sh): `import 'unitvisor/sd-notify'` resolves.
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(REPO, join(root, 'node_modules/unitvisor'));
  // COPY examples/quickstart/*.service /etc/systemd/system/
  const unitDir = join(root, 'etc/systemd/system');
  mkdirSync(join(unitDir, 'service.d'), { recursive: true });
  for (const unit of ['migrate.service', 'web.service', 'worker.service']) cpSync(join(REPO, 'examples/quickstart', unit), join(unitDir, unit));
  // COPY docker/example/quickstart.conf /etc/systemd/system/service.d/ — its /opt paths moved into the root.
  const dropIn = readFileSync(join(REPO, 'docker/example/quickstart.conf'), 'utf8').replaceAll('/opt/examples', opt);
  writeFileSync(join(unitDir, 'service.d/quickstart.conf'), dropIn);
  // Only for this test: a free port instead of 8080, which another test may be using.
  writeFileSync(join(unitDir, 'service.d/zz-test-port.conf'), `[Service]\nEnvironment=PORT=${port}\n`);
  return { root, unitDir };
}

test('the example image: migration, web server and worker start in order, serve, and stop in reverse on SIGTERM', async () => {
  const port = await freePort();
  const { root, unitDir } = buildRoot(port);
  // RUN unitvisor enable migrate.service web.service worker.service
  const enabled = await runCli(['enable', '--root', root, 'migrate.service', 'web.service', 'worker.service']);
  expect(enabled.code, enabled.stderr).toBe(0);
  expect(enabled.stderr).toContain(`Created symlink ${unitDir}/multi-user.target.wants/worker.service → /etc/systemd/system/worker.service.`);

  // ENTRYPOINT ["unitvisor", "init"] (here with the root's unit directory instead of /etc/systemd/system).
  const d = await startInNamespace([unitDir], root);
  await d.waitForLog((l) => l.msg === 'Reached target multi-user.target - Multi-User System.');
  const page = (await (await fetch(`http://127.0.0.1:${port}/hello`)).json()) as { path: string; schema: number };
  expect(page).toMatchObject({ path: '/hello', schema: 1 });
  await d.waitForLog((l) => l.unit === 'worker.service' && /^worker: server has served \d+ requests$/.test(l.msg), 10_000);
  expect((await d.cli('is-active', 'migrate.service', 'web.service', 'worker.service')).stdout).toBe('active\nactive\nactive\n');

  d.signal('SIGTERM'); // docker stop
  expect(await d.exited).toBe(0);
  const units = ['migrate.service', 'web.service', 'worker.service'];
  const lines = lifecycle(d.logs, units).filter((l) => /\|(Start|Finish|Stopp)/.test(l));
  expect(lines, d.logs.map((l) => `${l.unit}: ${l.msg}`).join('\n')).toEqual([
    'migrate.service|Starting migrate.service - Database migration...',
    'migrate.service|Finished migrate.service - Database migration.',
    'web.service|Starting web.service - Web server...',
    'web.service|Started web.service - Web server.',
    // The worker's [X-Readiness] holds its start until its first answer from the web server.
    'worker.service|Starting worker.service - Background worker...',
    'worker.service|Started worker.service - Background worker.',
    'worker.service|Stopping worker.service - Background worker...',
    'worker.service|Stopped worker.service - Background worker.',
    'web.service|Stopping web.service - Web server...',
    'web.service|Stopped web.service - Web server.',
    // No "Stopping" line: without ExecStop= the stop job completes at once, and systemd 252 then prints none.
    'migrate.service|Stopped migrate.service - Database migration.',
  ]);
  expect(d.logs.some((l) => l.unit === 'worker.service' && l.msg === 'worker: finishing')).toBe(true);
});
