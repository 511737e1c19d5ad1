// The transaction builder against systemd 252 itself: `systemd-analyze verify` enqueues a start job for
// the unit it checks, and its debug log shows the jobs installed and every cycle and conflict line.
import { describe, test, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORWARD_DEPENDENCIES } from '../../src/unit/model.js';
import { InstalledJobs } from '../../src/job/installed-jobs.js';
import { activate } from '../../src/job/transaction.js';
import { graphOf, type Deps } from './fixture.js';
import { systemdTool } from '../helpers/systemd.js';

const hasAnalyze = systemdTool('systemd-analyze');

const unitFile = (deps: Deps): string =>
  ['[Unit]', 'DefaultDependencies=no', ...FORWARD_DEPENDENCIES.flatMap((k) => (deps[k] ?? []).map((u) => `${k}=${u}`)), '[Service]', 'Type=oneshot', 'ExecStart=/bin/true', ''].join('\n');

const INTERESTING = /(Found ordering cycle|Found dependency|deleted to break|Unable to break|Cannot add dependency job|Fixing conflicting jobs)/;

interface Observed {
  jobs: string[];
  lines: string[];
  error: string | undefined;
}

/**
 * systemd walks its hashmaps in a per-run random order, so which cycle member is reported first and
 * which of several conflicts is fixed first vary between its runs. Compare what does not vary.
 */
function normalize(o: Observed) {
  const found = o.lines.flatMap((l) => /Found (?:ordering cycle|dependency) on (\S+)$/.exec(l)?.[1] ?? []);
  return {
    jobs: o.jobs,
    error: o.error?.replace(/jobs '(\S+)' and '(\S+)' for \S+\. Probably/, (_m, a: string, b: string) => `jobs ${[a, b].sort().join(', ')} for UNIT. Probably`),
    cycle: [...new Set(found)].sort(),
    deleted: o.lines.flatMap((l) => /Job (\S+) deleted to break/.exec(l)?.[1] ?? []),
    unbreakable: o.lines.some((l) => l.includes('Unable to break cycle')),
    ignored: o.lines.filter((l) => l.includes('Cannot add dependency job')),
  };
}

function runSystemd(units: Record<string, Deps>, anchor: string): Observed {
  const dir = mkdtempSync(join(tmpdir(), 'uv-oracle-'));
  try {
    for (const [name, deps] of Object.entries(units)) writeFileSync(join(dir, name), unitFile(deps));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, anchor)], {
      env: { ...process.env, SYSTEMD_LOG_LEVEL: 'debug', SYSTEMD_UNIT_PATH: `${dir}:` },
      encoding: 'utf8',
    });
    const out = `${r.stdout}\n${r.stderr}`.split('\n');
    const jobs = out.flatMap((l) => /Installed new job (\S+) as/.exec(l)?.[1] ?? []).filter((j) => !j.includes('.slice/'));
    const error = out.flatMap((l) => new RegExp(`^${anchor}: Failed to create ${anchor}/start: (.*)$`).exec(l)?.[1] ?? [])[0];
    return { jobs: jobs.sort(), lines: out.filter((l) => INTERESTING.test(l)), error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOurs(units: Record<string, Deps>, anchor: string): Observed {
  const r = activate(graphOf(units), new InstalledJobs(), { unit: anchor, type: 'start', mode: 'replace' });
  const log = r.ok ? r.value.log : r.error.log;
  return {
    jobs: r.ok ? r.value.jobs.map((j) => `${j.unit}/${j.type}`).sort() : [],
    lines: log.map((l) => l.message).filter((m) => INTERESTING.test(m)),
    error: r.ok ? undefined : r.error.message,
  };
}

const A = 'a.service';
const B = 'b.service';
const C = 'c.service';
const D = 'd.service';

const scenarios: [string, Record<string, Deps>][] = [
  ['wants and requires chain', { [A]: { Wants: [B], Requires: [C] }, [B]: { Requires: [D] }, [C]: {}, [D]: {} }],
  ['requisite', { [A]: { Requisite: [B], After: [B] }, [B]: {} }],
  ['cycle through a wanted job', { [A]: { Wants: [B], After: [B] }, [B]: { After: [A] } }],
  ['cycle broken at the first droppable job', { [A]: { Requires: [B], After: [B], Wants: [C] }, [B]: { After: [C] }, [C]: { After: [A] } }],
  ['unbreakable cycle', { [A]: { Requires: [B], After: [B] }, [B]: { Requires: [C], After: [C] }, [C]: { Requires: [A], After: [A] } }],
  ['cycle via Before=', { [A]: { Wants: [B], Before: [B] }, [B]: { Before: [A] } }],
  ['wanted and conflicted', { [A]: { Wants: [B, C] }, [B]: {}, [C]: { Conflicts: [B] } }],
  ['required and conflicted by a wanted unit', { [A]: { Requires: [B], Wants: [C] }, [B]: {}, [C]: { Conflicts: [B] } }],
  ['required twice, conflicting', { [A]: { Requires: [B, C] }, [B]: {}, [C]: { Conflicts: [B] } }],
  ['required unit missing', { [A]: { Requires: [B] } }],
  ['wanted unit missing', { [A]: { Wants: [B] } }],
  ['wanted unit requires a missing one', { [A]: { Wants: [B] }, [B]: { Requires: [C] } }],
  ['binds, upholds, part-of', { [A]: { BindsTo: [B], Upholds: [C], PartOf: [D] }, [B]: {}, [C]: {}, [D]: {} }],
];

describe.skipIf(!hasAnalyze)('same transaction as systemd-analyze verify (systemd 252)', () => {
  test('systemd 252 is the oracle', () => {
    expect(execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' })).toMatch(/^systemd 25\d/);
  });

  test.each(scenarios)('%s', (_name, units) => {
    const theirs = normalize(runSystemd(units, A));
    expect(normalize(runOurs(units, A))).toEqual(theirs);
  });
});
