// A client verb loads the argument parser, the client, the protocol (with the pure value rules it
// validates with) and its own formatter: never the
// daemon, the engine, the unit loader or a heavy dependency (checked on the modules Node really loads).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';

const ROOT = resolve(import.meta.dirname, '../..');
const REGISTER = resolve(import.meta.dirname, '../helpers/module-trace/register.mjs');
const BUILTINS = resolve(import.meta.dirname, '../helpers/module-trace/builtins-at-exit.cjs');
const dir = mkdtempSync(join(tmpdir(), 'unitvisor-lean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs the CLI with the module tracer; returns the loaded modules (package-relative paths and node: builtins). */
function loadedModules(args: readonly string[]): Promise<string[]> {
  const file = join(dir, `trace-${runs++}`);
  return new Promise((done) => {
    execFile(process.execPath, ['--import', REGISTER, CLI, ...args], { env: { ...process.env, MODULE_TRACE_FILE: file } }, () => {
      const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      done(urls.filter((u) => u !== `file://${REGISTER}` && !u.endsWith('/hooks.mjs')).map((u) => (u.startsWith('file:') ? relative(ROOT, fileURLToPath(u)) : u)));
    });
  });
}

const socket = () => ['--socket', join(dir, 'no-daemon.sock')];

describe('the client loads only the client', () => {
  test.each([
    ['is-active', ['is-active', 'x.service'], 'dist/cli/verbs/is-state.js'],
    ['status', ['status', 'x.service'], 'dist/cli/format/status.js'],
    ['start --no-block', ['start', '--no-block', 'x.service'], 'dist/cli/verbs/job.js'],
    ['list-units (no verb)', [], 'dist/cli/verbs/list.js'],
  ])('%s', async (_name, args, own) => {
    const modules = await loadedModules([...socket(), ...args]);
    expect(modules).toContain(own);
    const outside = modules.filter((m) => !m.startsWith('node:') && !/^dist\/(bin\.cjs|cli\.js|cli\/|protocol\/|common\/|unit\/values\/|unit\/unit-name(-mangle)?\.js$)/.test(m));
    expect(outside, 'modules beyond the client, the protocol and the formatters').toEqual([]);
    expect(modules.filter((m) => /^dist\/cli\/(offline|verbs\/daemon)/.test(m))).toEqual([]);
  });

  test('start --no-block leaves out the progress display and the failure texts, which only a waiting start uses', async () => {
    const modules = await loadedModules([...socket(), 'start', '--no-block', 'x.service']);
    expect(modules).toContain('dist/cli/verbs/job.js');
    expect(modules.filter((m) => /^dist\/(protocol\/job-progress|common\/clock|cli\/format\/job-result)\.js$/.test(m))).toEqual([]);
  });

  test('the daemon modes never load the ES module loader (CommonJS only, as a bare script)', async () => {
    const loaded = (args: readonly string[]): Promise<string[]> => {
      const file = join(dir, `builtins-${runs++}`);
      return new Promise((done) => {
        execFile(process.execPath, ['--require', BUILTINS, ...args], { env: { ...process.env, BUILTINS_TRACE_FILE: file } }, () => {
          done(readFileSync(file, 'utf8').split('\n').filter((m) => m.includes('internal/modules/esm/')));
        });
      });
    };
    const daemon = await loaded([CLI, 'up', join(dir, 'missing'), ...socket()]);
    expect(daemon).toEqual(await loaded(['-e', '0']));
  });

  test('daemon modes and offline verbs are loaded when they run (the trace sees lazy imports)', async () => {
    const modules = await loadedModules(['verify', join(dir, 'missing.service')]);
    expect(modules).toContain('dist/cli/offline/verify.js');
    expect(modules).toContain('dist/unit/unit-directory.js');
    expect(modules.some((m) => m.startsWith('dist/daemon/'))).toBe(false);
  });
});
