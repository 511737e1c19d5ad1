// Thousands of generated calendar events through our parser and systemd 252's `systemd-analyze
// calendar`: the same verdict, normalized form and next elapses for every one.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { calendarReport, type CalendarReport } from '../../../src/cli/format/calendar.js';
import { systemdTool } from '../../helpers/systemd.js';
const hasSystemdAnalyze = systemdTool('systemd-analyze');

/** Mostly legal values, sometimes one past the end. */
const num = (max: number) => fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max }) }, { weight: 1, arbitrary: fc.constant(max + 1) });
const padded = (max: number) => num(max).map((n) => (n < 10 ? `0${n}` : String(n)));
/** One element: a value, a range, a repetition, or both; values run a little past the legal range. */
const element = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: padded(max) },
    { weight: 2, arbitrary: fc.tuple(num(max), num(max)).map(([a, b]) => `${Math.min(a, b)}..${Math.max(a, b)}`) },
    { weight: 2, arbitrary: fc.tuple(num(max), fc.integer({ min: 0, max: Math.floor(max / 2) + 1 })).map(([a, r]) => `${a}/${r}`) },
    { weight: 1, arbitrary: fc.tuple(num(max), num(max), fc.integer({ min: 1, max: 7 })).map(([a, b, r]) => `${a}..${b}/${r}`) },
  );
const chain = (max: number) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant('*') }, { weight: 5, arbitrary: fc.array(element(max), { minLength: 1, maxLength: 2 }).map((a) => a.join(',')) });
const seconds = fc.oneof(
  chain(59),
  fc.tuple(num(59), fc.integer({ min: 0, max: 9_999_999 })).map(([s, f]) => `${s}.${String(f).slice(0, 1 + (f % 7))}`),
  fc.tuple(num(59), fc.integer({ min: 1, max: 30 }), num(99)).map(([s, r, f]) => `${s}/${r}.${f}`),
);
const year = fc.oneof(fc.constant('*'), fc.integer({ min: 2020, max: 2060 }).map(String), fc.integer({ min: 0, max: 99 }).map(String), fc.constant('2024..2030/2'));
const date = fc.oneof(
  fc.tuple(year, chain(12), chain(31)).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.tuple(chain(12), chain(31)).map(([m, d]) => `${m}-${d}`),
  fc.tuple(chain(12), chain(28)).map(([m, d]) => `${m}~${d}`),
  fc.tuple(year, chain(12), chain(8)).map(([y, m, d]) => `${y}-${m}~${d}`),
);
const time = fc.oneof(
  fc.tuple(chain(23), chain(59)).map(([h, m]) => `${h}:${m}`),
  fc.tuple(chain(23), chain(59), seconds).map(([h, m, s]) => `${h}:${m}:${s}`),
);
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'monday', 'FRIDAY', 'Sunday'];
const weekday = fc.constantFrom(...DAYS);
const weekdays = fc.oneof(
  fc.array(weekday, { minLength: 1, maxLength: 3 }).map((d) => d.join(',')),
  fc.tuple(weekday, weekday).map(([a, b]) => `${a}..${b}`),
  fc.tuple(weekday, weekday).map(([a, b]) => `${a}-${b}`),
  fc.tuple(weekday, weekday, weekday).map(([a, b, c]) => `${a}..${b},${c}`),
);
// systemd-analyze forks once per elapse of an expression in a named zone (25 ms each): keep them rare.
const zone = fc.oneof(
  { weight: 60, arbitrary: fc.constantFrom('', ' UTC', ' utc') },
  { weight: 2, arbitrary: fc.constantFrom(' Europe/Berlin', ' America/New_York', ' Australia/Lord_Howe', ' Asia/Kathmandu', ' Etc/GMT-14', ' Mars/Olympus', ' europe/berlin') },
);
const SHORTHANDS = ['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually', 'bi-annually', 'Hourly', 'DAILY'];
const expression = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.option(weekdays, { nil: undefined }), fc.option(date, { nil: undefined }), fc.option(time, { nil: undefined }), zone).map(([w, d, t, z]) => [w, d, t].filter((x) => x !== undefined).join(' ') + z) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SHORTHANDS), zone).map(([s, z]) => s + z) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4_000_000_000 }).map((n) => `@${n}`) },
);

const ITERATIONS = 4;
/** Batches of expressions per `systemd-analyze` run, each from its own base time. */
const BATCHES: readonly { seed: number; base: number; size: number; tz?: string }[] = [
  { seed: 1, base: 1_700_000_000, size: 700 },
  { seed: 2, base: 1_710_054_000, size: 700 }, // 2024-03-10, the US spring-forward day
  { seed: 3, base: 1_729_980_000, size: 700 }, // 2024-10-26, the night before Europe falls back
  { seed: 4, base: 2_000_000_000, size: 700 },
  // Local zones other than UTC: every elapse in local time with the zone's abbreviation as the C library names it
  // (CET/CEST, the numeric -03 of zones without letters, IST), then in UTC.
  { seed: 5, base: 1_700_000_000, size: 300, tz: 'Europe/Berlin' },
  { seed: 6, base: 1_600_000_000, size: 300, tz: 'America/Sao_Paulo' },
  { seed: 7, base: 1_729_980_000, size: 300, tz: 'Asia/Kolkata' },
  { seed: 8, base: 1_710_054_000, size: 300, tz: 'America/New_York' }, // EST, then EDT from the spring-forward night on
];
const DIST_CALENDAR = pathToFileURL(resolve(import.meta.dirname, '../../../dist/cli/format/calendar.js')).href;

/** Blocks per expression, "From now" lines dropped (they depend on when the test runs). */
function blocks(lines: readonly string[], count: number): string[][] {
  const out: string[][] = [[]];
  for (const line of lines) {
    if (line === '') out.push([]);
    else if (!line.includes('From now:')) out[out.length - 1]?.push(line);
  }
  expect(out).toHaveLength(count);
  return out;
}

function systemdBlocks(exprs: readonly string[], base: number, tz?: string): { blocks: string[][]; failed: Set<string> } {
  let stdout: string;
  let stderr = '';
  const env = tz === undefined ? process.env : { ...process.env, TZ: tz };
  try {
    stdout = execFileSync('systemd-analyze', ['calendar', `--iterations=${ITERATIONS}`, `--base-time=@${base}`, '--', ...exprs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
  } catch (e) {
    const err = e as { stdout: string; stderr: string };
    stdout = err.stdout;
    stderr = err.stderr;
  }
  const failed = new Set([...stderr.matchAll(/^Failed to parse calendar specification '(.*)': /gm)].map((m) => m[1] as string));
  return { blocks: blocks(stdout.replace(/\n$/, '').split('\n'), exprs.length), failed };
}

/**
 * calendarReport() in a Node of its own whose local zone is `tz`: the zone is process-wide, and this file shares its
 * process with other test files (the built dist/ is the same code).
 */
function reportIn(tz: string, exprs: readonly string[], base: number): CalendarReport {
  const script = `import('${DIST_CALENDAR}').then((m) => process.stdout.write(JSON.stringify(m.calendarReport(JSON.parse(process.argv[1]), ${ITERATIONS}, ${base}e6, ${base}e6))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(exprs)], { encoding: 'utf8', env: { ...process.env, TZ: tz }, maxBuffer: 64 * 1024 * 1024 })) as CalendarReport;
}

describe.skipIf(!hasSystemdAnalyze)('calendar events against systemd-analyze calendar (252)', () => {
  test.each(BATCHES)('batch $seed: verdict, normalized form and next elapses agree', { timeout: 120_000 }, ({ seed, base, size, tz }) => {
    const exprs = fc.sample(expression, { seed, numRuns: size });
    const reference = systemdBlocks(exprs, base, tz);
    const ours = tz === undefined ? calendarReport(exprs, ITERATIONS, base * 1_000_000, base * 1_000_000) : reportIn(tz, exprs, base);
    const ourBlocks = blocks(ours.stdout, exprs.length);
    const ourFailed = new Set(ours.stderr.flatMap((l) => /^Failed to parse calendar specification '(.*)': /.exec(l)?.[1] ?? []));
    const mismatches = exprs.flatMap((expr, i) => {
      const same = JSON.stringify(ourBlocks[i]) === JSON.stringify(reference.blocks[i]) && ourFailed.has(expr) === reference.failed.has(expr);
      return same ? [] : [{ expr, ours: ourBlocks[i], systemd: reference.blocks[i] }];
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The generator must reach both sides of the grammar, or the comparison proves little.
    expect(reference.failed.size).toBeGreaterThan(size / 20);
    expect(size - reference.failed.size).toBeGreaterThan(size / 4);
  });
});
