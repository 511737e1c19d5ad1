// `import 'unitvisor'` changes nothing in the host process: ChildProcess spawning is wrapped and the
// process becomes a child subreaper only while a Supervisor runs, and both are undone at shutdown
// (checked in a fresh Node process, as a user's test worker would see it).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

afterEach(expectNoLeakedProcesses);

const ROOT = resolve(import.meta.dirname, '../..');

const probe = `
import { ChildProcess, execFileSync } from 'node:child_process';
const original = ChildProcess.prototype.spawn;
const { loadNative } = await import(${JSON.stringify(`${ROOT}/dist/process/native.js`)});
const state = () => ({ spawnWrapped: ChildProcess.prototype.spawn !== original, subreaper: loadNative().isChildSubreaper() });
const seen = {};
const { Supervisor } = await import(${JSON.stringify(`${ROOT}/dist/api/index.js`)});
seen.imported = state();
const a = await Supervisor.boot({ units: { 'a.service': '[Service]\\nExecStart=/bin/sleep 60\\n' } });
const b = await Supervisor.boot({ units: { 'b.service': '[Service]\\nType=oneshot\\nExecStart=/bin/true\\n' } });
await a.start('a.service');
seen.running = state();
await a.shutdown();
seen.oneLeft = state();
await b.shutdown();
seen.shutDown = state();
execFileSync('/bin/true');
console.log(JSON.stringify(seen));
`;

test('import changes nothing; boot wraps spawn and makes a subreaper; the last shutdown undoes both', async () => {
  const out = await new Promise<string>((done, fail) =>
    execFile(process.execPath, ['--input-type=module', '-e', probe], { timeout: 60_000 }, (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout))),
  );
  expect(JSON.parse(out)).toEqual({
    imported: { spawnWrapped: false, subreaper: false },
    running: { spawnWrapped: true, subreaper: true },
    oneLeft: { spawnWrapped: true, subreaper: true },
    shutDown: { spawnWrapped: false, subreaper: false },
  });
});
