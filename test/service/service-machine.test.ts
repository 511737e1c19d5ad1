// The reducer's totality: every sub-state × every event yields a legal state and leaves its input alone.
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import type { ServiceEvent } from '../../src/service/effects.js';
import { parseNotifyMessage } from '../../src/service/notify-message.js';
import { initialServiceState, transition, type ServiceRuntime } from '../../src/service/service-machine.js';
import { SERVICE_SUB_STATES, type ServiceState } from '../../src/service/service-state.js';
import { cmd, service } from './service-rig.js';

const cfg = service({ execStop: [cmd('/bin/stop')], execReload: [cmd('/bin/reload')], pidFile: '/run/x.pid', watchdogUsec: USEC_PER_SEC });
const ctx = { now: 1_000_000, startLimitIntervalUsec: 10 * USEC_PER_SEC, startLimitBurst: 5 };

const EVENTS: ServiceEvent[] = [
  { kind: 'start' },
  { kind: 'stop' },
  { kind: 'reload' },
  { kind: 'reset-failed' },
  { kind: 'kill', whom: 'all', signal: 15 },
  { kind: 'spawned', role: 'main', pid: 5 },
  { kind: 'spawned', role: 'control', pid: 6 },
  { kind: 'spawn-failed', role: 'control', reason: 'resources', message: 'No such file or directory' },
  { kind: 'exec-confirmed', role: 'main' },
  { kind: 'exec-failed', role: 'main', path: '/x', message: 'No such file or directory' },
  { kind: 'process-exited', pid: 10, code: 'exited', status: 1 },
  { kind: 'process-exited', pid: 11, code: 'killed', status: 9 },
  { kind: 'timer-fired', timer: 'state' },
  { kind: 'timer-fired', timer: 'watchdog' },
  { kind: 'notify', pid: 10, message: parseNotifyMessage('READY=1\nSTATUS=x') },
  { kind: 'pid-file', pid: 77 },
  { kind: 'main-pid-guessed', pid: 78 },
  { kind: 'all-processes-gone' },
];

function runtimeIn(sub: ServiceState['sub']): ServiceRuntime {
  const state = (sub === 'reload' ? { sub, byNotify: false } : { sub }) as ServiceState;
  return Object.freeze({
    ...initialServiceState(),
    state,
    mainPid: 10,
    mainPidKnown: true,
    controlPid: 11,
    controlCommand: { phase: 'stop' as const, index: 0 },
    timers: { state: 0, watchdog: 0 },
  });
}

const cells = SERVICE_SUB_STATES.flatMap((sub) => EVENTS.map((event) => ({ sub, event, kind: event.kind })));

describe('every sub-state takes every event', () => {
  test.each(cells)('$sub × $kind: a legal state, input untouched', ({ sub, event }) => {
    const before = runtimeIn(sub);
    const snapshot = JSON.stringify(before);
    const t = transition(cfg, ctx, before, event);
    expect(SERVICE_SUB_STATES).toContain(t.state.state.sub);
    expect(JSON.stringify(before)).toBe(snapshot);
    for (const e of t.effects) if (e.kind === 'state-changed') expect(e.from).not.toBe(e.to);
  });
});
