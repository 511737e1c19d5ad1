// A process that clears its environment and leaves its session (`env -i setsid -f`) is still its unit's:
// stop kills it, in both tracking modes (a cgroup per unit where the host delegates one, else by descent),
// and status says which mode is in use.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { formatStatus } from '../../src/cli/format/status.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const escaping = `[Service]\nExecStart=/bin/sh -c 'env -i setsid -f sleep 1000; echo started; exec sleep 999'\n`;

for (const mode of ['process-tree', 'auto'] as const) {
  test(`stop kills an escapee that cleared its environment and changed its session (tracking: ${mode})`, async () => {
    const { sv } = await supervise({ 'esc.service': escaping }, { environment: { ...process.env, UNITVISOR_PROCESS_TRACKING: mode === 'auto' ? undefined : mode } });
    await sv.start('esc.service');
    await expect.poll(() => sv.status('esc.service')!.processes.map((p) => p.commandLine).sort()).toEqual(['sleep 1000', 'sleep 999']);
    const pids = sv.status('esc.service')!.processes.map((p) => p.pid);
    const info = sv.status('esc.service')!;
    const text = formatStatus(info, [], { nowMs: Date.now(), hostname: 'host', daemonPid: process.pid });
    if (info.tracking?.mode === 'cgroup') expect(text).toMatch(/^\s+CGroup: \/.*\/esc\.service$/m);
    else expect(text).toMatch(/^\s+Processes: esc\.service \(process tree, no cgroup\)$/m);
    if (mode === 'process-tree') expect(info.tracking).toEqual({ mode: 'process-tree' });
    await sv.stop('esc.service');
    expect(messagesOf(sv, 'esc.service').slice(-2)).toEqual(['esc.service: Deactivated successfully.', 'Stopped esc.service.']);
    await expect.poll(() => pids.filter((pid) => readProcStat(pid) !== undefined)).toEqual([]);
  });
}
