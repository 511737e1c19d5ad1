// activeStateOf(): systemd 252's state_translation_table.
import { describe, expect, test } from 'vitest';
import { SERVICE_SUB_STATES, activeStateOf, type ServiceSubState } from '../../src/service/service-state.js';
import type { ActiveState } from '../../src/unit/active-state.js';

// systemd 252 service.c state_translation_table.
const TABLE: [ServiceSubState, ActiveState][] = [
  ['dead', 'inactive'],
  ['condition', 'activating'],
  ['start-pre', 'activating'],
  ['start', 'activating'],
  ['start-post', 'activating'],
  ['running', 'active'],
  ['exited', 'active'],
  ['reload', 'reloading'],
  ['stop', 'deactivating'],
  ['stop-watchdog', 'deactivating'],
  ['stop-sigterm', 'deactivating'],
  ['stop-sigkill', 'deactivating'],
  ['stop-post', 'deactivating'],
  ['final-watchdog', 'deactivating'],
  ['final-sigterm', 'deactivating'],
  ['final-sigkill', 'deactivating'],
  ['failed', 'failed'],
  ['auto-restart', 'activating'],
];

describe('activeStateOf', () => {
  test('covers every sub-state', () => expect(TABLE.map(([s]) => s)).toEqual([...SERVICE_SUB_STATES]));
  test.each(TABLE)('%s → %s', (sub, active) => expect(activeStateOf(sub)).toBe(active));
});
