import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { runCat, runVerify, showOffline } from '../../src/cli/offline/index.js';
import { systemdTool } from '../helpers/systemd.js';

const SVC = '[Service]\nExecStart=/bin/true\n';
const hasAnalyze = systemdTool('systemd-analyze');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function makeDir(files: Record<string, string | { link: string }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv-offline-'));
  dirs.push(dir);
  for (const [rel, v] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof v === 'string') fs.writeFileSync(p, v);
    else fs.symlinkSync(v.link, p);
  }
  return dir;
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('verify', () => {
  const cases = [
    ['a clean unit', { 'ok.service': SVC }, 'ok.service', 0],
    ['an empty (masked) unit', { 'empty.service': '' }, 'empty.service', 1],
    ['a missing unit', {}, 'nope.service', 1],
  ] as const;

  test.each(cases)('%s: the exit code', (_, files, name, exitCode) => {
    const dir = makeDir(files);
    expect(runVerify({ unitPath: [dir], names: [`${dir}/${name}`] }).exitCode).toBe(exitCode);
  });

  test.runIf(hasAnalyze).each(cases)('%s: the same lines and exit code as systemd-analyze verify', (_, files, name) => {
    const dir = makeDir(files);
    const file = `${dir}/${name}`;
    const ours = runVerify({ unitPath: [dir], names: [file] });
    const theirs = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect({ stderr: lines(ours.stderr), exitCode: ours.exitCode }).toEqual({ stderr: lines(theirs.stderr), exitCode: theirs.status });
  });

  test('a unit name is looked up in the unit path; a problem names file:line', () => {
    const dir = makeDir({ 'a.service': '[Service]\nExecStart=/bin/true\nRemainAfterExit=perhaps\n' });
    const r = runVerify({ unitPath: [dir], names: ['a.service'] });
    expect(r.stderr).toBe(`${dir}/a.service:3: Failed to parse boolean value, ignoring: perhaps\n`);
    expect(r.exitCode).toBe(0);
  });

  test('an unsupported unit type is an error', () => {
    const dir = makeDir({ 'x.mount': '[Mount]\nWhat=/dev/x\nWhere=/x\n' });
    const r = runVerify({ unitPath: [dir], names: ['x.mount'] });
    expect(r).toEqual({ stdout: '', stderr: `${dir}/x.mount: Unit type mount is not supported by unitvisor.\n`, exitCode: 1 });
  });
});

describe('cat', () => {
  test('"# path" then the text, each drop-in after a blank line, units separated by a blank line', () => {
    const dir = makeDir({ 'a.service': SVC, 'a.service.d/o.conf': '[Unit]\nDescription=o\n', 'b.service': SVC });
    expect(runCat({ unitPath: [dir], names: ['a.service', 'b.service'] })).toEqual({
      stdout: `# ${dir}/a.service\n${SVC}\n# ${dir}/a.service.d/o.conf\n[Unit]\nDescription=o\n\n# ${dir}/b.service\n${SVC}`,
      stderr: '',
      exitCode: 0,
    });
  });

  test('a name without files is reported and the others are still printed', () => {
    const dir = makeDir({ 'b.service': SVC });
    expect(runCat({ unitPath: [dir], names: ['nope.service', 'b.service'] })).toEqual({
      stdout: `# ${dir}/b.service\n${SVC}`,
      stderr: 'No files found for nope.service.\n',
      exitCode: 1,
    });
  });
});

describe('show --offline', () => {
  test('a loaded, inactive unit with its dependencies both ways and its unit file state', () => {
    const dir = makeDir({
      'a.service': '[Unit]\nDescription=A\nRequires=b.service\n' + SVC + '[Install]\nWantedBy=multi-user.target\n',
      'b.service': SVC,
      'multi-user.target.wants/a.service': { link: 'PLACEHOLDER' },
    });
    fs.unlinkSync(`${dir}/multi-user.target.wants/a.service`);
    fs.symlinkSync(`${dir}/a.service`, `${dir}/multi-user.target.wants/a.service`);
    const { units } = showOffline({ unitPath: [dir], names: ['a.service', 'b.service'] });
    const props = (i: number) => Object.fromEntries(units[i]!.properties);
    expect(props(0)).toMatchObject({
      Id: 'a.service',
      Description: 'A',
      LoadState: 'loaded',
      ActiveState: 'inactive',
      SubState: 'dead',
      FragmentPath: `${dir}/a.service`,
      UnitFileState: 'enabled',
    });
    expect(props(0)['Requires']).toContain('b.service');
    expect(props(0)['WantedBy']).toBe('multi-user.target');
    expect(props(1)['RequiredBy']).toBe('a.service');
    expect(props(1)['UnitFileState']).toBe('static');
  });
});

describe('verify --report and show NotEnforced=', () => {
  const CLI = path.resolve(import.meta.dirname, '../../dist/bin.cjs');
  const unit = '[Service]\nExecStart=/bin/true\nMemoryMax=1G\nPrivateTmp=yes\nFrobnicate=1\n';

  test('the real command prints the table, JSON with the units per setting, and exits 0', () => {
    const dir = makeDir({ 'a.service': unit, 'b.service': '[Service]\nExecStart=/bin/true\nMemoryMax=2G\n' });
    const text = spawnSync(process.execPath, [CLI, 'verify', '--report', '--unit-path', dir], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(lines(text.stdout)[0]).toMatch(/^SETTING +STATUS +UNITS WHY$/);
    expect(lines(text.stdout)).toContainEqual(expect.stringMatching(/^Service\.MemoryMax +not enforced here +2 needs cgroups$/));
    const json = spawnSync(process.execPath, [CLI, 'verify', '--report', '--json', '--unit-path', dir, 'a.service'], { encoding: 'utf8' });
    const rows = JSON.parse(json.stdout) as { setting: string; status: string; units: string[] }[];
    expect(rows.find((r) => r.setting === 'Service.MemoryMax')).toMatchObject({ status: 'not enforced here', units: ['a.service'] });
    expect(rows.find((r) => r.setting === 'Service.Frobnicate')).toMatchObject({ status: 'ignored' });
  });

  test('show --offline lists the settings of the unit not enforced here', () => {
    const dir = makeDir({ 'a.service': unit });
    const r = spawnSync(process.execPath, [CLI, 'show', '--offline', '--unit-path', dir, 'a.service', '-p', 'NotEnforced'], { encoding: 'utf8' });
    // PrivateTmp= is enforced where the supervisor may make a mount namespace.
    expect(r.stdout.trim()).toMatch(/^NotEnforced=MemoryMax( PrivateTmp)?$/);
  });

  test('verify without units or --report says what it needs', () => {
    const r = spawnSync(process.execPath, [CLI, 'verify'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 1, stderr: 'verify: name the units or unit files to check (or ask for --report).' });
  });
});
