// The service machine's side of [X-Readiness]/[X-HealthCheck], on a fake clock: a readiness pass is
// READY=1 for a simple service, a readiness failure or TimeoutStartSec= fails the start with
// Result=timeout, and a health failure is a watchdog timeout that the Restart= table answers.
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import type { Probe, ServiceSection } from '../../src/unit/model.js';
import { Rig, cmd, service } from './service-rig.js';

const S = USEC_PER_SEC;
const probe: Probe = { check: { kind: 'tcp-connect', host: '127.0.0.1', port: 5432 }, intervalUsec: S, timeoutUsec: S, initialDelayUsec: 0, threshold: 3 };
const SIGABRT = 6;

const probed = (overrides: Partial<ServiceSection> = {}) => new Rig(service({ readiness: probe, healthCheck: probe, timeoutStartUsec: 90 * S, ...overrides })).send({ kind: 'start' });
const verdict = (rig: Rig, which: 'readiness' | 'health', passed: boolean) => rig.send({ kind: 'probe', probe: which, passed, message: `${which} said ${passed}` });

describe('[X-Readiness] in the service machine', () => {
  test('a simple service waits in start, bounded by TimeoutStartSec=, until its readiness probe passes', () => {
    const rig = probed();
    expect(rig.sub).toBe('start');
    verdict(rig, 'health', false); // health is not this state's business
    expect(rig.sub).toBe('start');
    verdict(rig, 'readiness', true);
    expect(rig.sub).toBe('running');
    expect(rig.rt.result).toBe('success');
  });

  test.each(['exec', 'idle'] as const)('Type=%s waits for the probe too', (type) => {
    const rig = probed({ type });
    if (type === 'exec') rig.send({ kind: 'exec-confirmed', role: 'main' });
    expect(rig.sub).toBe('start');
    verdict(rig, 'readiness', true);
    expect(rig.sub).toBe('running');
  });

  test('ExecStartPost= runs after the probe passed, not before', () => {
    const rig = probed({ execStartPost: [cmd('/bin/post')] });
    expect(rig.of('spawn').map((s) => s.phase)).toEqual(['start']);
    verdict(rig, 'readiness', true);
    expect(rig.sub).toBe('start-post');
    expect(rig.of('spawn').map((s) => s.phase)).toEqual(['start', 'start-post']);
  });

  test('TimeoutStartSec= elapsing fails the start with Result=timeout, as for Type=notify', () => {
    const rig = probed({ timeoutStartUsec: 5 * S });
    rig.advance(5 * S);
    expect(rig.sub).toBe('stop-sigterm');
    expect(rig.logs()).toContain('start operation timed out. Terminating.');
    rig.exit('main', 15, 'killed');
    expect([rig.sub, rig.rt.result]).toEqual(['failed', 'timeout']);
  });

  test('without [X-Readiness] a simple service is running at once and has no start timeout', () => {
    const rig = new Rig(service({ timeoutStartUsec: 5 * S })).send({ kind: 'start' });
    expect(rig.sub).toBe('running');
    verdict(rig, 'readiness', false);
    rig.advance(60 * S);
    expect(rig.sub).toBe('running');
  });

  test('a readiness failure (Threshold= reached) logs the probe\'s words and fails the start with Result=timeout', () => {
    const rig = probed();
    verdict(rig, 'readiness', false);
    expect(rig.sub).toBe('stop-sigterm');
    expect(rig.logs()).toContain('readiness said false');
    rig.exit('main', 15, 'killed');
    expect([rig.sub, rig.rt.result]).toEqual(['failed', 'timeout']);
  });
});

describe('[X-HealthCheck] in the service machine', () => {
  test('a failure while running is a watchdog timeout: WatchdogSignal= (SIGABRT), Result=watchdog', () => {
    const rig = verdict(probed(), 'readiness', true).clear();
    verdict(rig, 'health', true);
    expect(rig.effects).toEqual([]);
    verdict(rig, 'health', false);
    expect(rig.sub).toBe('stop-watchdog');
    expect(rig.logs()).toEqual(['health said false']);
    expect(rig.of('kill')[0]).toMatchObject({ whom: 'all', signal: SIGABRT });
    rig.kill('main', SIGABRT);
    expect(rig.rt.result).toBe('watchdog');
  });

  test.each([
    ['no', 'failed'],
    ['on-success', 'failed'],
    ['on-failure', 'auto-restart'],
    ['on-abnormal', 'auto-restart'],
    ['on-watchdog', 'auto-restart'],
    ['on-abort', 'failed'],
    ['always', 'auto-restart'],
  ] as const)('Restart=%s after a failed health check: %s', (restart, after) => {
    const rig = verdict(probed({ restart }), 'readiness', true);
    verdict(rig, 'health', false).kill('main', SIGABRT);
    expect(rig.sub).toBe(after);
    expect(rig.rt.result).toBe('watchdog');
  });
});
