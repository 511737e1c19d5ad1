// A client verb runs the argument parser, the client, the protocol (with the pure value rules it
// validates with) and its own formatter: never the daemon, the engine, the unit loader or a heavy
// dependency. The verbs run from one bundle (dist/cli/cli.cjs) whose modules each run when first imported,
// so what a verb runs is read from V8's coverage of the bundle: the module bodies that were called.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';

const BUILTINS = resolve(import.meta.dirname, '../helpers/module-trace/builtins-at-exit.cjs');
const dir = mkdtempSync(join(tmpdir(), 'unitvisor-lean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

let runs = 0;
/** Runs the CLI under V8's coverage; returns the scripts it loaded and the bundled modules (src/ paths) whose bodies ran. */
function ranModules(args: readonly string[]): Promise<{ scripts: string[]; modules: string[] }> {
  const coverage = join(dir, `coverage-${runs++}`);
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_V8_COVERAGE: coverage } }, () => {
      const results = readdirSync(coverage).flatMap((file) => (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as Coverage).result);
      const scripts = results.map((r) => r.url).filter((url) => url.includes('/dist/'));
      const modules = results
        .filter((r) => r.url.endsWith('/dist/cli/cli.cjs'))
        .flatMap((r) => r.functions)
        .filter((f) => /^src\/.*\.ts$/.test(f.functionName) && (f.ranges[0]?.count ?? 0) > 0)
        .map((f) => f.functionName);
      done({ scripts, modules });
    });
  });
}

const socket = () => ['--socket', join(dir, 'no-daemon.sock')];

describe('the client runs only the client', () => {
  test.each([
    ['is-active', ['is-active', 'x.service'], 'src/cli/verbs/is-state.ts'],
    ['status', ['status', 'x.service'], 'src/cli/format/status.ts'],
    ['start --no-block', ['start', '--no-block', 'x.service'], 'src/cli/verbs/job.ts'],
    ['list-units (no verb)', [], 'src/cli/verbs/list.ts'],
  ])('%s', async (_name, args, own) => {
    const { scripts, modules } = await ranModules([...socket(), ...args]);
    expect(modules).toContain(own);
    const outside = modules.filter((m) => !/^src\/(cli\/|protocol\/|common\/|unit\/values\/|unit\/unit-name(-mangle)?\.ts$)/.test(m));
    expect(outside, 'modules beyond the client, the protocol and the formatters').toEqual([]);
    expect(modules.filter((m) => /^src\/cli\/(offline|verbs\/daemon)/.test(m))).toEqual([]);
    expect(scripts.filter((s) => s.includes('/dist/daemon/'))).toEqual([]);
  });

  test('start --no-block leaves out the progress display and the failure texts, which only a waiting start uses', async () => {
    const { modules } = await ranModules([...socket(), 'start', '--no-block', 'x.service']);
    expect(modules).toContain('src/cli/verbs/job.ts');
    expect(modules.filter((m) => /^src\/(protocol\/job-progress|common\/clock|cli\/format\/job-result)\.ts$/.test(m))).toEqual([]);
  });

  test('neither the daemon modes nor a client verb load the ES module loader (CommonJS only, as a bare script)', async () => {
    const loaded = (args: readonly string[]): Promise<string[]> => {
      const file = join(dir, `builtins-${runs++}`);
      return new Promise((done) => {
        execFile(process.execPath, ['--require', BUILTINS, ...args], { env: { ...process.env, BUILTINS_TRACE_FILE: file } }, () => {
          done(readFileSync(file, 'utf8').split('\n').filter((m) => m.includes('internal/modules/esm/')));
        });
      });
    };
    // What a bare script loads of it, and no more (the daemon loads less: not node:module, which -e needs).
    const bare = await loaded(['-e', '0']);
    const beyondBare = (modules: string[]) => modules.filter((m) => !bare.includes(m));
    expect(beyondBare(await loaded([CLI, 'up', join(dir, 'missing'), ...socket()]))).toEqual([]);
    expect(beyondBare(await loaded([CLI, ...socket(), 'status', 'x.service']))).toEqual([]);
  });

  test('offline verbs run the unit loader when they run, from the client bundle, not the daemon', async () => {
    const { scripts, modules } = await ranModules(['verify', join(dir, 'missing.service')]);
    expect(modules).toContain('src/cli/offline/verify.ts');
    expect(modules).toContain('src/unit/unit-directory.ts');
    expect(scripts.filter((s) => s.includes('/dist/daemon/'))).toEqual([]);
  });
});
