// Testing an app against a real database-like process, started from a unit file with the in-process
// API. Run it with `npx vitest run examples/api` (after `npm ci`).
//
// In your project: `npm install --save-dev unitvisor`, put your unit files in a folder, and write
// tests like these. Every test gets a fresh supervisor; `afterEach` shuts it down, which stops the
// units in reverse dependency order and kills whatever is left, so that no process outlives a test
// even when the test failed or timed out.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Supervisor } from 'unitvisor';
import { connectCounter } from './counter-app.js';

const here = import.meta.dirname;
let sv: Supervisor;

beforeEach(async () => {
  // The unit files of this folder; units without WorkingDirectory= run here (ExecStart=node kv-server.mjs).
  sv = await Supervisor.boot({ unitPath: [here], workingDirectory: here });
});

afterEach(async () => {
  await sv.shutdown();
});

/** The store reports its port in STATUS= ("listening on 127.0.0.1:PORT"): read it from StatusText. */
function storePort(): number {
  const status = sv.show('kv.service')['StatusText'] ?? '';
  return Number(/:(\d+)$/.exec(status)?.[1]);
}

describe('the page-view counter against a real key-value store', () => {
  test('counts views', async () => {
    // Type=notify: start() resolves once the store sent READY=1, i.e. accepts connections.
    await sv.start('kv.service');
    // Its output is at hand too (waitForOutput waits for a line; output() returns them all).
    expect(await sv.waitForOutput('kv.service', /^kv: listening on/)).toBe(`kv: listening on 127.0.0.1:${storePort()}`);
    const counter = await connectCounter(storePort());
    expect(await counter.views('/home')).toBe(0);
    expect(await counter.view('/home')).toBe(1);
    expect(await counter.view('/home')).toBe(2);
    expect(await counter.views('/about')).toBe(0);
    counter.close();
  });

  test('the counts are lost when the store restarts (it keeps them in memory)', async () => {
    await sv.start('kv.service');
    const first = await connectCounter(storePort());
    await first.view('/home');
    first.close();

    await sv.restart('kv.service');
    // What the store printed, as `unitvisor logs -u kv.service` shows it.
    expect(sv.output('kv.service')).toContain('kv: stopping with 1 keys');
    const second = await connectCounter(storePort());
    expect(await second.views('/home')).toBe(0);
    second.close();
  });

  test('the app sees the store go away', async () => {
    await sv.start('kv.service');
    const counter = await connectCounter(storePort());
    // Events: every state change of every unit, as the journal shows them.
    const messages: string[] = [];
    sv.on((event) => {
      if (event.kind === 'log') messages.push(event.msg);
    });
    await sv.stop('kv.service');
    await expect(counter.view('/home')).rejects.toThrow();
    expect(messages).toEqual(['Stopping kv.service - Key-value store...', 'kv.service: Deactivated successfully.', 'Stopped kv.service - Key-value store.']);
    await sv.waitFor('kv.service', 'inactive', { timeout: 1000 });
  });
});
