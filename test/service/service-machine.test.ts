// The service machine's table: for a sub-state and an event, the state it goes to, the request's
// outcome and the effects it emits, each row written out from systemd 252's service.c.
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import type { Effect, ServiceEvent } from '../../src/service/effects.js';
import { parseNotifyMessage } from '../../src/service/notify-message.js';
import { initialServiceState, transition, type ServiceRuntime } from '../../src/service/service-machine.js';
import { SERVICE_SUB_STATES, type ServiceState, type ServiceSubState } from '../../src/service/service-state.js';
import { cmd, service } from './service-rig.js';

const MAIN = 10;
const CONTROL = 11;
const cfg = service({
  execStop: [cmd('/bin/stop')],
  execStopPost: [cmd('/bin/post')],
  execReload: [cmd('/bin/reload')],
  watchdogUsec: USEC_PER_SEC,
  restart: 'on-failure',
});
const ctx = { now: 1_000_000, startLimitIntervalUsec: 10 * USEC_PER_SEC, startLimitBurst: 5 };

/** Which processes a sub-state has (service.c keeps main_pid/control_pid only where they can exist). */
function runtimeIn(sub: ServiceSubState): ServiceRuntime {
  const hasMain = ['start', 'start-post', 'running', 'reload', 'stop', 'stop-watchdog', 'stop-sigterm', 'stop-sigkill'].includes(sub);
  const controlPhase = ({ condition: 'condition', 'start-pre': 'start-pre', 'start-post': 'start-post', reload: 'reload', stop: 'stop', 'stop-post': 'stop-post' } as const)[sub as string];
  const state = (sub === 'reload' ? { sub, byNotify: false } : { sub }) as ServiceState;
  const base = initialServiceState();
  return Object.freeze({
    ...base,
    state,
    result: sub === 'failed' ? 'exit-code' : 'success',
    mainPid: hasMain && sub !== 'start' ? MAIN : sub === 'start' ? 'spawning' : undefined,
    mainPidKnown: hasMain,
    execMain: { pid: hasMain ? MAIN : undefined, exit: undefined },
    controlPid: controlPhase ? CONTROL : undefined,
    controlCommand: controlPhase ? { phase: controlPhase, index: 0 } : undefined,
    timers: { state: sub === 'dead' || sub === 'failed' || sub === 'exited' ? undefined : 0, watchdog: ['running', 'reload', 'start-post'].includes(sub) ? 0 : undefined },
  } satisfies ServiceRuntime) as ServiceRuntime;
}

/** One effect in a few words: "spawn control stop", "kill all SIG15", "→ running", "log <text>". */
function brief(e: Effect): string {
  switch (e.kind) {
    case 'spawn':
      return `spawn ${e.role} ${e.phase}`;
    case 'kill':
      return `kill ${e.whom} ${e.signal}`;
    case 'arm-timer':
      return `arm ${e.timer}`;
    case 'cancel-timer':
      return `cancel ${e.timer}`;
    case 'state-changed':
      return `→ ${e.to}${e.willAutoRestart ? ' (will restart)' : ''}`;
    case 'log':
      return `log ${e.message}`;
    default:
      return e.kind;
  }
}

const ev = {
  start: { kind: 'start' },
  stop: { kind: 'stop' },
  reload: { kind: 'reload' },
  resetFailed: { kind: 'reset-failed' },
  killMain: { kind: 'kill', whom: 'main', signal: 15 },
  spawnedMain: { kind: 'spawned', role: 'main', pid: MAIN },
  mainExit0: { kind: 'process-exited', pid: MAIN, code: 'exited', status: 0 },
  mainExit1: { kind: 'process-exited', pid: MAIN, code: 'exited', status: 1 },
  controlExit0: { kind: 'process-exited', pid: CONTROL, code: 'exited', status: 0 },
  controlExit1: { kind: 'process-exited', pid: CONTROL, code: 'exited', status: 1 },
  strangerExit: { kind: 'process-exited', pid: 999, code: 'exited', status: 1 },
  stateTimer: { kind: 'timer-fired', timer: 'state' },
  watchdogTimer: { kind: 'timer-fired', timer: 'watchdog' },
  ready: { kind: 'notify', pid: MAIN, message: parseNotifyMessage('READY=1') },
  stopping: { kind: 'notify', pid: MAIN, message: parseNotifyMessage('STOPPING=1') },
} as const satisfies Record<string, ServiceEvent>;
type EventName = keyof typeof ev;

type Row = readonly [from: ServiceSubState, event: EventName, to: ServiceSubState, outcome: string | undefined, effects: readonly string[]];

const ROWS: readonly Row[] = [
  ['dead', 'start', 'start', 'accepted', ['spawn main start', '→ start']],
  ['dead', 'stop', 'dead', 'already', []],
  ['dead', 'reload', 'dead', 'refused', ['log Unit cannot be reloaded because it is inactive.']],
  ['dead', 'killMain', 'dead', 'refused', []],
  ['dead', 'strangerExit', 'dead', undefined, []],
  ['dead', 'stateTimer', 'dead', undefined, []],
  ['condition', 'stop', 'stop-sigterm', 'done', ['kill all 15', 'arm state', '→ stop-sigterm']],
  ['condition', 'controlExit0', 'start', undefined, ['log Condition check process exited, code=exited, status=0/SUCCESS (success)', 'cancel state', 'spawn main start', '→ start']],
  ['condition', 'controlExit1', 'stop-post', undefined, ['log Condition check process exited, code=exited, status=1/FAILURE (success)', 'arm state', 'spawn control stop-post', '→ stop-post']],
  ['condition', 'stateTimer', 'stop-sigterm', undefined, ['log condition operation timed out. Terminating.', 'kill all 15', 'arm state', '→ stop-sigterm']],
  ['start-pre', 'controlExit0', 'start', undefined, ['log Control process exited, code=exited, status=0/SUCCESS (success)', 'cancel state', 'spawn main start', '→ start']],
  ['start-pre', 'controlExit1', 'stop-post', undefined, ['log Control process exited, code=exited, status=1/FAILURE', 'arm state', 'spawn control stop-post', '→ stop-post']],
  ['start', 'start', 'start', 'done', []],
  ['start', 'stop', 'stop-sigterm', 'done', ['kill all 15', 'arm state', '→ stop-sigterm']],
  ['start', 'spawnedMain', 'running', undefined, ['arm watchdog', '→ running', 'cancel state']],
  ['start', 'stateTimer', 'stop-sigterm', undefined, ['log start operation timed out. Terminating.', 'kill all 15', 'arm state', '→ stop-sigterm']],
  ['start-post', 'controlExit0', 'running', undefined, ['log Control process exited, code=exited, status=0/SUCCESS (success)', '→ running', 'cancel state']],
  ['start-post', 'controlExit1', 'stop-sigterm', undefined, ['log Control process exited, code=exited, status=1/FAILURE', 'kill all 15', 'arm state', 'cancel watchdog', '→ stop-sigterm']],
  ['start-post', 'watchdogTimer', 'stop-watchdog', undefined, ['log Watchdog timeout (limit 1s)!', 'kill all 6', 'arm state', '→ stop-watchdog']],
  ['running', 'start', 'running', 'already', []],
  ['running', 'stop', 'stop', 'accepted', ['arm state', 'spawn control stop', 'cancel watchdog', '→ stop']],
  ['running', 'reload', 'reload', 'accepted', ['arm state', 'spawn control reload', '→ reload']],
  ['running', 'killMain', 'running', 'accepted', ['kill main 15']],
  ['running', 'mainExit0', 'stop', undefined, ['log Main process exited, code=exited, status=0/SUCCESS (success)', 'arm state', 'spawn control stop', 'cancel watchdog', '→ stop']],
  ['running', 'mainExit1', 'stop-post', undefined, ['log Main process exited, code=exited, status=1/FAILURE', 'arm state', 'spawn control stop-post', 'cancel watchdog', '→ stop-post']],
  ['running', 'stateTimer', 'stop', undefined, ['log Service reached runtime time limit. Stopping.', 'arm state', 'spawn control stop', 'cancel watchdog', '→ stop']],
  ['running', 'watchdogTimer', 'stop-watchdog', undefined, ['log Watchdog timeout (limit 1s)!', 'kill all 6', 'arm state', '→ stop-watchdog']],
  ['running', 'strangerExit', 'running', undefined, []],
  ['exited', 'stop', 'stop', 'accepted', ['arm state', 'spawn control stop', '→ stop']],
  ['exited', 'reload', 'reload', 'accepted', ['arm state', 'spawn control reload', '→ reload']],
  ['exited', 'killMain', 'exited', 'refused', []],
  ['reload', 'reload', 'reload', 'again', []],
  ['reload', 'stop', 'stop-sigterm', 'done', ['kill all 15', 'arm state', 'cancel watchdog', '→ stop-sigterm']],
  ['reload', 'controlExit0', 'running', undefined, ['log Control process exited, code=exited, status=0/SUCCESS (success)', '→ running', 'cancel state']],
  ['reload', 'controlExit1', 'running', undefined, ['log Control process exited, code=exited, status=1/FAILURE', '→ running', 'cancel state']],
  ['reload', 'stateTimer', 'running', undefined, ['log Reload operation timed out. Killing reload process.', 'kill control 9', '→ running']],
  ['stop', 'start', 'stop', 'again', []],
  ['stop', 'controlExit0', 'stop-sigterm', undefined, ['log Control process exited, code=exited, status=0/SUCCESS (success)', 'kill all 15', 'arm state', '→ stop-sigterm']],
  ['stop', 'mainExit0', 'stop', undefined, ['log Main process exited, code=exited, status=0/SUCCESS (success)']],
  ['stop', 'stateTimer', 'stop-sigterm', undefined, ['log Stopping timed out. Terminating.', 'kill all 15', 'arm state', '→ stop-sigterm']],
  ['stop-watchdog', 'stateTimer', 'stop-sigkill', undefined, ["log State 'stop-watchdog' timed out. Killing.", 'kill all 9', 'arm state', '→ stop-sigkill']],
  ['stop-sigterm', 'stop', 'stop-sigterm', 'done', []],
  ['stop-sigterm', 'mainExit0', 'stop-post', undefined, ['log Main process exited, code=exited, status=0/SUCCESS (success)', 'arm state', 'spawn control stop-post', '→ stop-post']],
  ['stop-sigterm', 'stateTimer', 'stop-sigkill', undefined, ["log State 'stop-sigterm' timed out. Killing.", 'kill all 9', 'arm state', '→ stop-sigkill']],
  ['stop-sigkill', 'stateTimer', 'stop-post', undefined, ['log Processes still around after SIGKILL. Ignoring.', 'arm state', 'spawn control stop-post', '→ stop-post']],
  ['stop-post', 'controlExit0', 'dead', undefined, ['log Control process exited, code=exited, status=0/SUCCESS (success)', 'log Deactivated successfully.', 'cancel state', '→ dead']],
  ['stop-post', 'controlExit1', 'auto-restart', undefined, ['log Control process exited, code=exited, status=1/FAILURE',"log Failed with result 'exit-code'.", 'cancel state', '→ failed (will restart)', 'arm state', '→ auto-restart']],
  ['stop-post', 'stateTimer', 'final-sigterm', undefined, ["log State 'stop-post' timed out. Terminating.", 'kill all 15', 'arm state', '→ final-sigterm']],
  ['final-watchdog', 'stateTimer', 'auto-restart', undefined, ["log State 'final-watchdog' timed out. Killing.", "log Failed with result 'timeout'.", '→ failed (will restart)', 'arm state', '→ auto-restart']],
  ['final-sigterm', 'stateTimer', 'auto-restart', undefined, ["log State 'final-sigterm' timed out. Killing.","log Failed with result 'timeout'.", '→ failed (will restart)', 'arm state', '→ auto-restart']],
  ['final-sigkill', 'stateTimer', 'auto-restart', undefined, ['log Processes still around after final SIGKILL. Entering failed mode.',"log Failed with result 'timeout'.", '→ failed (will restart)', 'arm state', '→ auto-restart']],
  ['failed', 'start', 'start', 'accepted', ['spawn main start', '→ start']],
  ['failed', 'stop', 'failed', 'already', []],
  ['failed', 'resetFailed', 'dead', undefined, ['→ dead']],
  ['auto-restart', 'start', 'auto-restart', 'again', []],
  ['auto-restart', 'stop', 'dead', 'done', ['cancel state', '→ dead']],
  ['auto-restart', 'stateTimer', 'auto-restart', undefined, ['enqueue-restart', 'log Scheduled restart job, restart counter is at 1.']],
];

describe('(state, event) → (state, outcome, effects)', () => {
  test.each(ROWS)('%s × %s → %s', (from, event, to, outcome, effects) => {
    const before = runtimeIn(from);
    const snapshot = JSON.stringify(before);
    const t = transition(cfg, ctx, before, ev[event]);
    expect({ to: t.state.state.sub, outcome: t.outcome, effects: t.effects.map(brief) }).toEqual({ to, outcome, effects });
    expect(JSON.stringify(before), 'the input runtime is left alone').toBe(snapshot);
  });
});

test('every sub-state takes every event without touching its input', () => {
  for (const sub of SERVICE_SUB_STATES) {
    for (const [name, event] of Object.entries(ev)) {
      const before = runtimeIn(sub);
      const snapshot = JSON.stringify(before);
      const t = transition(cfg, ctx, before, event);
      expect(SERVICE_SUB_STATES, `${sub} × ${name}`).toContain(t.state.state.sub);
      expect(JSON.stringify(before), `${sub} × ${name}`).toBe(snapshot);
    }
  }
});

test('the table visits every sub-state, each cell once', () => {
  expect(new Set(ROWS.map(([from]) => from))).toEqual(new Set(SERVICE_SUB_STATES));
  expect(new Set(ROWS.map(([from, event]) => `${from} × ${event}`)).size).toBe(ROWS.length);
});
