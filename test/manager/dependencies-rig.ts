// Unit bodies and shorthands of the dependency tests (booted with supervise.ts).
import type { Supervisor } from '../../src/api/index.js';
import { supervise } from './supervise.js';

/** A oneshot that stays active (exited): starts and stops at once. */
export const ONESHOT = '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n';
/** A long-running simple service. */
export const LONG = '[Service]\nExecStart=/bin/sleep 1000\n';

/** Boots over inline unit files; shutdownSupervisors() in afterEach, before the leak check. */
export const bootUnits = async (files: Readonly<Record<string, string>>): Promise<Supervisor> => (await supervise(files)).sv;

/** A start/stop whose failure is the point of the test: the outcome, never a throw. */
export const settle = (p: Promise<unknown>): Promise<unknown> => p.catch((error: unknown) => error);
