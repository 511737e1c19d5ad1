// systemd's unit-level state names (systemd.unit(5), `systemctl show` ActiveState/LoadState).
export const ACTIVE_STATES = ['active', 'reloading', 'inactive', 'failed', 'activating', 'deactivating'] as const;
export type ActiveState = (typeof ACTIVE_STATES)[number];

export const LOAD_STATES = ['stub', 'loaded', 'not-found', 'bad-setting', 'error', 'merged', 'masked'] as const;
export type LoadState = (typeof LOAD_STATES)[number];

/** UNIT_IS_ACTIVE_OR_RELOADING / UNIT_IS_INACTIVE_OR_FAILED from systemd's unit.h. */
export const isActiveOrReloading = (s: ActiveState): boolean => s === 'active' || s === 'reloading';
export const isInactiveOrFailed = (s: ActiveState): boolean => s === 'inactive' || s === 'failed';
export const isActiveOrActivating = (s: ActiveState): boolean =>
  s === 'active' || s === 'activating' || s === 'reloading';
