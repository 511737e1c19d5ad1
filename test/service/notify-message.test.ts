// sd_notify(3) datagram parsing and NotifyAccess= checks with systemd's warning texts.
import { describe, expect, test } from 'vitest';
import { authorizeNotify, notifyStateRequest, notifyValue, parseNotifyMessage } from '../../src/service/notify-message.js';

describe('parseNotifyMessage', () => {
  test('newline-separated assignments, in order; junk lines ignored', () => {
    const m = parseNotifyMessage('READY=1\nSTATUS=a=b\n\nnonsense\nSTATUS=second\n');
    expect(m.assignments).toEqual([
      ['READY', '1'],
      ['STATUS', 'a=b'],
      ['STATUS', 'second'],
    ]);
    expect(notifyValue(m, 'STATUS')).toBe('a=b');
    expect(notifyValue(m, 'MAINPID')).toBeUndefined();
  });

  test.each([
    ['READY=1', 'ready'],
    ['READY=1\nSTOPPING=1', 'stopping'],
    ['STOPPING=1\nRELOADING=1', 'reloading'],
    ['READY=0', undefined],
    ['STATUS=x', undefined],
  ])('%j → %s', (text, expected) => expect(notifyStateRequest(parseNotifyMessage(text))).toBe(expected));
});

describe('authorizeNotify', () => {
  const from = 'Got notification message from PID 7';
  test.each([
    ['none', 7, 1, undefined, `${from}, but reception is disabled.`],
    ['main', 7, 1, 2, `${from}, but reception only permitted for main PID 1`],
    ['main', 7, undefined, 2, `${from}, but reception only permitted for main PID which is currently not known`],
    ['exec', 7, 1, 2, `${from}, but reception only permitted for main PID 1 and control PID 2`],
    ['exec', 7, 1, undefined, `${from}, but reception only permitted for main PID 1`],
    ['exec', 7, undefined, 2, `${from}, but reception only permitted for control PID 2`],
    ['exec', 7, undefined, undefined, `${from}, but reception only permitted for main PID and control PID which are currently not known`],
  ] as const)('NotifyAccess=%s from %i (main %s, control %s)', (access, pid, main, control, warning) => {
    expect(authorizeNotify(access, pid, main, control)).toEqual({ ok: false, warning });
  });

  test.each([
    ['main', 1],
    ['exec', 1],
    ['exec', 2],
    ['all', 99],
  ] as const)('NotifyAccess=%s accepts PID %i', (access, pid) => {
    expect(authorizeNotify(access, pid, 1, 2)).toEqual({ ok: true });
  });
});
