// reaper.ts: a subreaper child process reaps the orphans it adopts, and leaves Node's own children to libuv.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';
import { compileProcessLayer } from './compile-process-layer.js';
import { bin } from '../helpers/use-tmp-units.js';

interface HostReport {
  readonly subreaper: boolean;
  readonly orphans: number[];
  readonly reaped: { pid: number; code: string; status: number }[];
  readonly zombies: number[];
  readonly makerPid: number;
  readonly makerExit: { code: number | null; signal: string | null };
}

let compiled: string;
beforeAll(() => {
  compiled = compileProcessLayer();
});
afterEach(expectNoLeakedProcesses);

async function host(count: number, ...flags: string[]): Promise<HostReport> {
  const result = await execa(process.execPath, [bin('subreaper-host'), compiled, String(count), ...flags], {
    env: ownerEnvironment(),
    timeout: 20_000,
  });
  return JSON.parse(result.stdout) as HostReport;
}

describe('startReaper', () => {
  test('every adopted orphan is reaped with its exit status, and no zombie remains', async () => {
    const report = await host(8);
    expect(report.subreaper).toBe(true);
    expect(report.orphans).toHaveLength(8);
    expect(report.reaped.map((exit) => exit.pid).sort()).toEqual([...report.orphans].sort());
    // orphan-maker's i-th child exits with status i.
    const statusOf = new Map(report.reaped.map((exit) => [exit.pid, exit]));
    report.orphans.forEach((pid, i) => expect(statusOf.get(pid)).toEqual({ pid, code: 'exited', status: i }));
    expect(report.zombies).toEqual([]);
  });

  test("Node's own child keeps its exit status: libuv reaps it, not the reaper", async () => {
    const report = await host(3);
    expect(report.makerExit).toEqual({ code: 0, signal: null });
    expect(report.makerPid).toBeGreaterThan(0);
    expect(report.reaped.map((exit) => exit.pid)).not.toContain(report.makerPid);
  });

  test('without the reaper, the adopted orphans stay zombies (the check above is not vacuous)', async () => {
    const report = await host(4, '--no-reaper');
    expect(report.reaped).toEqual([]);
    expect(report.zombies.sort()).toEqual([...report.orphans].sort());
  });
});
