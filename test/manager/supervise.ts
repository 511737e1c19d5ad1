// Shared by the service-*.test.ts files: boot a Supervisor over temp unit files and read its journal back.
import { Supervisor, type BootOptions, type JobOutcome } from '../../src/api/index.js';
import { useTmpUnits, type TmpUnits } from '../helpers/use-tmp-units.js';

export interface Supervised {
  readonly sv: Supervisor;
  readonly units: TmpUnits;
}

const booted = new Set<Supervisor>();

/** Boots over a temp directory of `files` (and `options`); `shutdownSupervisors()` (in afterEach, before the leak check) stops it. */
export async function supervise(files: Readonly<Record<string, string>>, options: Omit<BootOptions, 'unitPath' | 'units'> = {}): Promise<Supervised> {
  const units = useTmpUnits(files);
  const sv = await Supervisor.boot({ ...options, unitPath: [units.dir] });
  booted.add(sv);
  return { sv, units };
}

/** Shuts every supervisor of the test down (onTestFinished would run after afterEach's leak check). */
export async function shutdownSupervisors(): Promise<void> {
  const all = [...booted];
  booted.clear();
  await Promise.all(all.map((sv) => sv.shutdown()));
}

/** The units' lifecycle messages (their journal without output lines), oldest first. */
export const messagesOf = (sv: Supervisor, ...units: string[]): string[] => sv.logs(units).flatMap((e) => (e.kind === 'log' ? [e.msg] : []));

/** A start that may fail: the outcome either way (start() rejects with JobFailedError on failure). */
export async function tryStart(sv: Supervisor, unit: string): Promise<JobOutcome> {
  return sv.enqueue('start', unit).finished;
}
