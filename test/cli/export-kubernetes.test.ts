// `unitvisor export kubernetes` over every example folder: the YAML matches its golden file
// (UPDATE_GOLDEN=1 rewrites them), every manifest validates against the Kubernetes API schemas, and
// the report of what did not carry over is on stderr and in the YAML's header.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli/cli.js';
import { validateManifest } from '../export/k8s-schema.js';
import type { Manifest, PodSpec } from '../../src/export/manifest-types.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { runCli as runProgram } from '../helpers/start-daemon.js';

const REPO = resolve(import.meta.dirname, '../..');
const GOLDEN = join(REPO, 'test/fixtures/export');

/** Every folder under examples/ that holds unit files. */
function exampleFolders(dir = join(REPO, 'examples')): string[] {
  const here = readdirSync(dir, { withFileTypes: true });
  const nested = here.filter((e) => e.isDirectory()).flatMap((e) => exampleFolders(join(dir, e.name)));
  return here.some((e) => e.isFile() && /\.(service|timer|socket)$/.test(e.name)) ? [dir, ...nested] : nested;
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The manifests of an export's stdout, each validated against the Kubernetes API schemas. */
function manifestsOf(stdout: string) {
  const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Manifest);
  for (const doc of docs) validateManifest(doc);
  return docs;
}

/** The pod of a Deployment, Job or CronJob. */
function podOf(m: Manifest | undefined): PodSpec {
  if (m?.kind === 'Deployment' || m?.kind === 'Job') return m.spec.template.spec;
  if (m?.kind === 'CronJob') return m.spec.jobTemplate.spec.template.spec;
  throw new Error(`no pod in ${m?.kind}`);
}
const containerNames = (m: Manifest | undefined) => podOf(m).containers.map((c) => c.name);

/** Compares with (or, with UPDATE_GOLDEN=1, writes) test/fixtures/export/NAME.yaml; paths relative to the repository. */
function expectGolden(name: string, stdout: string): void {
  const golden = join(GOLDEN, `${name}.yaml`);
  // The units' absolute paths differ per checkout; the golden files keep them relative to the repository.
  const text = `${stdout.replaceAll(`${REPO}/`, '')}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
  expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text).toBe(readFileSync(golden, 'utf8'));
}

/** The reported lines at the top of the YAML (after the "Generated" line). */
const headerOf = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('# ') && !l.startsWith('# Generated')).map((l) => l.slice(2));

describe('export kubernetes', () => {
  const folders = exampleFolders().map((d) => d.slice(REPO.length + 1));

  test('finds the example folders', () => {
    expect(folders).toEqual(expect.arrayContaining(['examples/quickstart', 'examples/notify', 'examples/forking', 'examples/api', 'examples/seed/dag']));
  });

  test.each(folders)('%s: golden YAML, valid manifests, the report on stderr and in the header', async (folder) => {
    const r = await cli('export', 'kubernetes', '--image', 'registry.example/app:1', '--name', 'example', '--unit-path', join(REPO, folder));
    expect(r.code).toBe(0);
    expect(manifestsOf(r.stdout).length).toBeGreaterThan(0);
    expect(headerOf(r.stdout)).toEqual(r.stderr === '' ? [] : r.stderr.split('\n'));
    expectGolden(folder.replace(/^examples\//, '').replace(/\//g, '-'), r.stdout);
  });

  test('--cronjobs: the timer of examples/timers-sockets becomes a CronJob running its unit, out of the Deployment', async () => {
    const r = await cli('export', 'kubernetes', '--image', 'registry.example/app:1', '--name', 'example', '--cronjobs', '--unit-path', join(REPO, 'examples/timers-sockets'));
    expect(r.code).toBe(0);
    const docs = manifestsOf(r.stdout);
    expect(docs.map((d) => [d.kind, d.metadata.name])).toEqual([['Deployment', 'example'], ['CronJob', 'example-backup']]);
    expect(containerNames(docs[0])).toEqual(['echo']);
    expect(containerNames(docs[1])).toEqual(['backup']);
    expect(docs[1]).toMatchObject({ spec: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' } });
    expect(headerOf(r.stdout)).toEqual(r.stderr.split('\n'));
    expect(r.stderr).not.toContain('backup.timer: a timer has no pod equivalent');
    expectGolden('timers-sockets-cronjobs', r.stdout);
  });

  test('without unit names: what default.target pulls in (Wants=, .wants/ links), not the other units of the folder', async () => {
    const units = useTmpUnits({
      'default.target': '[Unit]\nWants=api.service\n',
      'api.service': '[Service]\nExecStart=/app/api\nRestart=always\n',
      'linked.service': '[Service]\nExecStart=/app/linked\nRestart=always\n',
      'stray.service': '[Service]\nExecStart=/app/stray\nRestart=always\n',
    });
    mkdirSync(join(units.dir, 'default.target.wants'));
    symlinkSync(join(units.dir, 'linked.service'), join(units.dir, 'default.target.wants/linked.service'));
    const r = await cli('export', 'kubernetes', '--image', 'x', '--unit-path', units.dir);
    expect(r.code).toBe(0);
    const [deployment] = manifestsOf(r.stdout);
    expect(containerNames(deployment).sort()).toEqual(['api', 'linked']);
  });

  test('User=/Group= become numeric ids from this host\'s /etc/passwd and /etc/group; EnvironmentFile= a ConfigMap of the file\'s variables', async () => {
    const idOf = (file: string, name: string) => Number(readFileSync(file, 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name)?.[2]);
    const units = useTmpUnits({ 'app.env': '# settings\nMODE=production\nGREETING="two words"\n' });
    units.write('app.service', `[Service]\nExecStart=/app/run\nRestart=always\nUser=nobody\nGroup=root\nEnvironmentFile=${units.dir}/app.env\n`);
    const r = await cli('export', 'kubernetes', '--image', 'x', '--name', 'app', '--unit-path', units.dir, 'app.service');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [configMap, deployment] = manifestsOf(r.stdout);
    expect(configMap).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'app-app-env' }, data: { MODE: 'production', GREETING: 'two words' } });
    expect(podOf(deployment).containers[0]).toMatchObject({
      securityContext: { runAsUser: idOf('/etc/passwd', 'nobody'), runAsGroup: idOf('/etc/group', 'root') },
      envFrom: [{ configMapRef: { name: 'app-app-env' } }],
    });
  });

  test('--image is required; an unknown format and a bad --name are usage errors', async () => {
    const dir = join(REPO, 'examples/quickstart');
    expect(await cli('export', 'kubernetes', '--unit-path', dir)).toMatchObject({ code: 1, stdout: '', stderr: "export kubernetes needs --image IMAGE: the image that holds the units' programs." });
    expect(await cli('export', 'nomad', '--image', 'x', '--unit-path', dir)).toMatchObject({ code: 1, stderr: "Unknown export format 'nomad' (expected: kubernetes)." });
    expect(await cli('export', 'kubernetes', '--image', 'x', '--name', 'Bad_Name', '--unit-path', dir)).toMatchObject({ code: 1, stderr: "Invalid --name 'Bad_Name': lowercase letters, digits and '-', at most 63." });
  });

  test('the installed program prints what the command line does in-process (its bundle imports yaml when it exports)', async () => {
    const argv = ['export', 'kubernetes', '--image', 'x', '--unit-path', join(REPO, 'examples/quickstart')];
    const inProcess = await cli(...argv);
    expect(await runProgram(argv)).toEqual({ code: 0, stdout: `${inProcess.stdout}\n`, stderr: `${inProcess.stderr}\n` });
  });

  test('named units only, in the order systemd would start them', async () => {
    const r = await cli('export', 'kubernetes', '--image', 'x', '--unit-path', join(REPO, 'examples/quickstart'), 'worker.service', 'migrate.service');
    expect(r.code).toBe(0);
    const [deployment] = manifestsOf(r.stdout);
    expect(podOf(deployment).initContainers?.map((c) => c.name)).toEqual(['migrate']);
    expect(containerNames(deployment)).toEqual(['worker']);
    expect(r.stderr).toContain('not carried over: worker.service: Wants=web.service: not part of this export');
  });
});
