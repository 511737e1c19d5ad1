// systemd 252 as the reference: its tools where installed, and what real systemd showed (test/fixtures/oracle/).
// A missing tool skips its comparisons with one visible line; with UNITVISOR_REQUIRE_SYSTEMD=1 (CI) it fails instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

export type SystemdTool = 'systemd-analyze' | 'systemctl' | 'systemd-escape' | 'systemd-notify';

const known = new Map<SystemdTool, boolean>();

/** Whether `tool` runs here. Call at collection time: under UNITVISOR_REQUIRE_SYSTEMD=1 a missing tool fails the file. */
export function systemdTool(tool: SystemdTool): boolean {
  let present = known.get(tool);
  if (present === undefined) {
    present = spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
    known.set(tool, present);
    if (!present) {
      if (process.env.UNITVISOR_REQUIRE_SYSTEMD === '1') throw new Error(`${tool} (systemd 252) is required here (UNITVISOR_REQUIRE_SYSTEMD=1) but not installed`);
      process.stderr.write(`SKIP comparisons with systemd: ${tool} is not installed\n`);
    }
  }
  return present;
}

/** What our parser made of each input next to what systemd made of it, `refused` for a rejected one. */
type Verdicts = Record<string, string>;

/**
 * Both directions, by value: what systemd accepts we accept with the same value, and what it refuses we
 * refuse. `ours`/`theirs` give the value in systemd's printed form, or undefined for a refusal.
 */
export function expectSameAsSystemd(
  inputs: readonly string[],
  ours: (input: string) => string | undefined,
  theirs: (input: string) => string | undefined,
): void {
  const verdicts = (f: (input: string) => string | undefined): Verdicts =>
    Object.fromEntries(inputs.map((input) => [input, f(input) ?? 'refused']));
  expect(inputs.length).toBeGreaterThan(0);
  expect(verdicts(ours)).toEqual(verdicts(theirs));
}

/**
 * Values real systemd 252 showed (`systemctl show`) for settings given one per unit, or undefined where
 * it logged "Failed to parse ..., ignoring" (test/fixtures/oracle/value-parsers.tsv).
 */
export function systemdShown(key: string): Map<string, string | undefined> {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/oracle/value-parsers.tsv'), 'utf8');
  const rows = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t') as [string, string, string])
    .filter(([k]) => k === key);
  return new Map(rows.map(([, input, shown]) => [input, shown === 'refused' ? undefined : shown]));
}

/** Runs a systemd tool; stdout, or undefined when it fails. */
export function runSystemd(tool: SystemdTool, args: readonly string[]): string | undefined {
  const r = spawnSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout : undefined;
}

/** The `file:line: message` lines `systemd-analyze verify` prints for one unit text, with the file shown as `name`. */
export function systemdVerify(name: string, text: string | Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-verify-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return systemdVerifyOutput(path)
      .filter((l) => l.startsWith(path + ':'))
      .map((l) => name + l.slice(path.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every line `systemd-analyze verify` prints for the unit file at `path`. */
export function systemdVerifyOutput(path: string, extraArgs: readonly string[] = []): string[] {
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', ...extraArgs, path], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n');
}

/** `systemd-analyze timespan`: its μs value and Human form, or undefined when it refuses. */
export function systemdTimespan(input: string): { usec: string; human: string } | undefined {
  const out = runSystemd('systemd-analyze', ['timespan', input]);
  const usec = out === undefined ? undefined : /s: (\d+)/.exec(out)?.[1];
  const human = out === undefined ? undefined : /Human: (.*)/.exec(out)?.[1];
  return usec !== undefined && human !== undefined ? { usec, human } : undefined;
}
