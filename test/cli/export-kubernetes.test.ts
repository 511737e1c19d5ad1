// `unitvisor export kubernetes` over every example folder: the YAML matches its golden file
// (UPDATE_GOLDEN=1 rewrites them), every manifest validates against the Kubernetes API schemas, and
// the report of what did not carry over is on stderr and in the YAML's header.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { runCli } from '../../src/cli/cli.js';

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

const MODELS = { Deployment, Job, ConfigMap } as const;

describe('export kubernetes', () => {
  const folders = exampleFolders().map((d) => d.slice(REPO.length + 1));

  test('finds the example folders', () => {
    expect(folders).toEqual(expect.arrayContaining(['examples/quickstart', 'examples/notify', 'examples/forking', 'examples/api', 'examples/seed/dag']));
  });

  test.each(folders)('%s: golden YAML, valid manifests, the report on stderr and in the header', async (folder) => {
    const r = await cli('export', 'kubernetes', '--image', 'registry.example/app:1', '--name', 'example', '--unit-path', join(REPO, folder));
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: keyof typeof MODELS });
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) new MODELS[doc.kind](doc as never).validate();
    const header = r.stdout.split('\n').filter((l) => l.startsWith('# ') && !l.startsWith('# Generated')).map((l) => l.slice(2));
    expect(header).toEqual(r.stderr === '' ? [] : r.stderr.split('\n'));
    const golden = join(GOLDEN, `${folder.replace(/^examples\//, '').replace(/\//g, '-')}.yaml`);
    // The units' absolute paths differ per checkout; the golden files keep them relative to the repository.
    const text = `${r.stdout.replaceAll(`${REPO}/`, '')}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  test('--image is required; an unknown format and a bad --name are usage errors', async () => {
    const dir = join(REPO, 'examples/quickstart');
    expect(await cli('export', 'kubernetes', '--unit-path', dir)).toMatchObject({ code: 1, stdout: '', stderr: "export kubernetes needs --image IMAGE: the image that holds the units' programs." });
    expect(await cli('export', 'nomad', '--image', 'x', '--unit-path', dir)).toMatchObject({ code: 1, stderr: "Unknown export format 'nomad' (expected: kubernetes)." });
    expect(await cli('export', 'kubernetes', '--image', 'x', '--name', 'Bad_Name', '--unit-path', dir)).toMatchObject({ code: 1, stderr: "Invalid --name 'Bad_Name': lowercase letters, digits and '-', at most 63." });
  });

  test('named units only, in the order systemd would start them', async () => {
    const r = await cli('export', 'kubernetes', '--image', 'x', '--unit-path', join(REPO, 'examples/quickstart'), 'worker.service', 'migrate.service');
    expect(r.code).toBe(0);
    const [deployment] = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(deployment.spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['migrate']);
    expect(deployment.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['worker']);
    expect(r.stderr).toContain('not carried over: worker.service: Wants=web.service: not part of this export');
  });
});
