// Boots a Supervisor on inline unit files for the dependency tests; shutdownAll() in afterEach, before the leak check.
import { Supervisor } from '../../src/api/index.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

/** A oneshot that stays active (exited): starts and stops at once. */
export const ONESHOT = '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n';
/** A long-running simple service. */
export const LONG = '[Service]\nExecStart=/bin/sleep 1000\n';

const booted = new Set<Supervisor>();

export async function bootUnits(files: Readonly<Record<string, string>>): Promise<Supervisor> {
  const sv = await Supervisor.boot({ unitPath: [useTmpUnits(files).dir] });
  booted.add(sv);
  return sv;
}

/** Shuts down every Supervisor the test booted (onTestFinished would run after the leak check). */
export async function shutdownAll(): Promise<void> {
  await Promise.all([...booted].map((sv) => sv.shutdown()));
  booted.clear();
}

/** The unit's lifecycle messages (not its output), in order. */
export const messages = (sv: Supervisor, ...units: string[]): string[] => sv.logs(units).flatMap((e) => (e.kind === 'log' ? [e.msg] : []));

/** A start/stop whose failure is the point of the test: the outcome, never a throw. */
export const settle = (p: Promise<unknown>): Promise<unknown> => p.catch((error: unknown) => error);
