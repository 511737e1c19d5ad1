// The package as a user gets it: `import { Supervisor } from 'unitvisor'` from another project (its
// node_modules/unitvisor links to this checkout), typed through package.json "exports", and a vitest
// file whose test fails while a service runs still leaves no process behind thanks to afterEach.
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { OWNER_VARIABLE, expectNoLeakedProcesses } from '../helpers/processes.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(expectNoLeakedProcesses);

const ROOT = resolve(import.meta.dirname, '../..');

/** A temp project with unitvisor (and vitest, typescript) installed as links to this checkout. */
function tempProject(files: Readonly<Record<string, string>>): string {
  const dir = useTmpUnits({ 'package.json': '{ "type": "module", "private": true }\n', ...files }).dir;
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/unitvisor'));
  for (const dep of ['vitest', 'typescript', '@types/node']) symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep));
  return dir;
}

function run(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // tsc turns on Node's module compile cache (Node 22 and later), which would leave node-compile-cache in the temp dir.
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_DISABLE_COMPILE_CACHE: '1' };
    execFile(process.execPath, args, { cwd, timeout: 60_000, env }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

test("import { Supervisor } from 'unitvisor' runs a unit, and the package's types check", async () => {
  const app = `import { Supervisor, JobFailedError, type UnitInfo } from 'unitvisor';
import { notify } from 'unitvisor/sd-notify';
const sv = await Supervisor.boot({ units: { 'hello.service': '[Service]\\nType=oneshot\\nExecStart=/bin/echo hello from a unit\\n' } });
await sv.start('hello.service');
// The job ends at the process's exit; its last output line may still be in the pipe.
await sv.waitForOutput('hello.service', 'hello from a unit');
const info: UnitInfo | undefined = sv.status('hello.service');
console.log(JSON.stringify({ output: sv.output('hello.service'), state: info?.activeState, notify: notify('READY=1', {}), error: typeof JobFailedError }));
await sv.shutdown();
`;
  const dir = tempProject({
    'app.ts': app,
    'app.mjs': app.replace(', type UnitInfo', '').replace(': UnitInfo | undefined', ''),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['app.ts'] }),
  });
  const result = await run(dir, ['app.mjs']);
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual({ output: ['hello from a unit'], state: 'inactive', notify: false, error: 'function' });
  const types = await run(dir, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.']);
  expect(types.stdout + types.stderr).toBe('');
  expect(types.code).toBe(0);
});

test('sv.shutdown() in afterEach stops the units of a test that failed', async () => {
  const dir = tempProject({
    'failing.test.mjs': `import { afterEach, expect, test } from 'vitest';
import { Supervisor } from 'unitvisor';
let sv;
afterEach(async () => {
  await sv?.shutdown();
});
test('fails while its service runs', async () => {
  sv = await Supervisor.boot({ units: { 'long.service': '[Service]\\nEnvironment=${OWNER_VARIABLE}=${process.pid}\\nExecStart=/bin/sleep 300\\n' } });
  await sv.start('long.service');
  console.log('MAINPID=' + sv.show('long.service').MainPID);
  expect(sv.activeState('long.service')).toBe('failed');
});
`,
  });
  const result = await run(dir, [join(dir, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir]);
  expect(result.code).toBe(1);
  const printed = result.stdout + result.stderr;
  expect(printed).toContain("expected 'active' to be 'failed'");
  expect(printed).toMatch(/MAINPID=[1-9]\d*/);
  // afterEach (expectNoLeakedProcesses) finds the sleep by the owner variable if it survived.
});
