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
