// Runs one experiment of seeds/001 ("systemd by example, Part 2: Dependencies") through the real daemon
// with the units of examples/seed/<experiment>, and compares its event log with the article's journal.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { startDaemon, type Daemon, type LogLine } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

/** A journal line as the article prints it: seconds since the first line shown, and the message. */
export type JournalLine = readonly [seconds: number, message: string];

/**
 * How early and how late (ms) a line may come against the article's time, relative to the first line.
 * Nothing happens before its sleep ends, so the lower bound is tight; a busy machine only delays (and
 * delays add up along a chain), so the upper bound is loose. The order of the article's steps is
 * checked apart from the times.
 */
export const EARLY_MS = 50;
export const LATE_MS = 2000;

const EXAMPLES = resolve(import.meta.dirname, '../../examples/seed');

/** Boots `unitvisor init` on a temporary copy of examples/seed/<experiment> (the daemon puts its socket there). */
export async function bootExperiment(experiment: string): Promise<Daemon> {
  const dir = resolve(EXAMPLES, experiment);
  const files = Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.service')).map((name) => [name, readFileSync(resolve(dir, name), 'utf8')]));
  return startDaemon(useTmpUnits(files).dir);
}

/** Runs the client and insists on success, as the article's commands succeed. */
export async function run(d: Daemon, ...args: string[]): Promise<void> {
  const result = await d.cli(...args);
  expect(result, `unitvisor ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
}

/** Waits until the line is logged and the job queue is empty, so nothing more can follow. */
export async function settle(d: Daemon, lastMessage: string): Promise<void> {
  await d.waitForLog((l) => l.msg === lastMessage);
  await expect.poll(async () => (await d.cli('list-jobs')).stdout, { timeout: 10_000, interval: 50 }).toBe('No jobs running.\n');
}

/** The lifecycle lines about the experiment's units (not their output) logged since `from`. */
export function unitLines(d: Daemon, units: readonly string[], from = 0): LogLine[] {
  return d.logs.filter((l) => l.unit !== undefined && units.includes(l.unit) && l.stream === undefined && l.level !== 'debug' && l.time >= from);
}

const unitOf = (message: string, units: readonly string[]): string => units.find((u) => message.includes(u)) ?? '';

/**
 * The log must hold the article's lines: the same lines, each unit's lines in the article's order, and
 * lines of a later second of the article after those of an earlier one, and each line no more than
 * EARLY_MS before and LATE_MS after the article's time (relative to the first line). Lines the article
 * prints at the same second about different units happen concurrently, so their mutual order is free —
 * as it is between two runs of systemd itself.
 */
export function expectJournal(lines: readonly LogLine[], expected: readonly JournalLine[], units: readonly string[]): void {
  const t0 = lines[0]?.time ?? 0;
  const actual = lines.map((l) => [l.time - t0, l.msg] as const);
  const shown = (list: readonly (readonly [number, string])[], scale: number) => list.map(([t, m]) => `${(t * scale).toFixed(3)} ${m}`).join('\n');
  const context = `unitvisor:\n${shown(actual, 0.001)}\narticle:\n${shown(expected, 1)}`;
  expect([...actual.map(([, m]) => m)].sort(), context).toEqual([...expected.map(([, m]) => m)].sort());
  for (const unit of units) {
    const mine = (list: readonly (readonly [number, string])[]) => list.filter(([, m]) => unitOf(m, units) === unit).map(([, m]) => m);
    expect(mine(actual), `${unit}'s lines in order\n${context}`).toEqual(mine(expected));
  }
  const seen = new Map<string, number>();
  const wants: number[] = [];
  for (const [ms, message] of actual) {
    const nth = seen.get(message) ?? 0;
    seen.set(message, nth + 1);
    const want = expected.filter(([, m]) => m === message)[nth]![0] * 1000;
    wants.push(want);
    expect(ms - want, `"${message}" at ${ms} ms, article ${want} ms\n${context}`).toBeGreaterThanOrEqual(-EARLY_MS);
    expect(ms - want, `"${message}" at ${ms} ms, article ${want} ms\n${context}`).toBeLessThanOrEqual(LATE_MS);
  }
  expect(wants, `the article's steps in order\n${context}`).toEqual([...wants].sort((a, b) => a - b));
}

/** The six-service Before= DAG (a,b → c; b → d; c → e; d,e → f; a sleeps 3 s, d 5 s): Dec 06 16:56:27 .. 16:56:34. */
export const DAG_JOURNAL: readonly JournalLine[] = [
  [0, 'Starting a.service...'],
  [0, 'Starting b.service...'],
  [1, 'Finished b.service.'],
  [1, 'Starting d.service...'],
  [3, 'Finished a.service.'],
  [3, 'Starting c.service...'],
  [4, 'Finished c.service.'],
  [4, 'Starting e.service...'],
  [5, 'Finished e.service.'],
  [6, 'Finished d.service.'],
  [6, 'Starting f.service...'],
  [7, 'Finished f.service.'],
] as const;
