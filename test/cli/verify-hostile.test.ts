// `verify` of what is not a unit: an invalid unit name, a unit file that is not UTF-8; the first lines are
// systemd-analyze verify's, compared with the real tool where it is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runVerify } from '../../src/cli/offline/index.js';
import { systemdTool } from '../helpers/systemd.js';

const hasAnalyze = systemdTool('systemd-analyze');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function unitFile(name: string, bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-verify-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

const firstLines = (text: string, n: number) => text.split('\n').slice(0, n);

test('an invalid unit name: "Failed to prepare filename X: Invalid argument", exit 1', () => {
  const ours = runVerify({ unitPath: [], names: ['bad name', '/tmp/nonexistent/foo', 'x.nosuchtype'] });
  expect(ours.exitCode).toBe(1);
  expect(ours.stderr).toBe(
    ['Failed to prepare filename bad name: Invalid argument', 'Failed to prepare filename /tmp/nonexistent/foo: Invalid argument', 'Failed to prepare filename x.nosuchtype: Invalid argument', ''].join('\n'),
  );
  if (hasAnalyze) {
    for (const name of ['bad name', '/tmp/nonexistent/foo', 'x.nosuchtype']) {
      const theirs = spawnSync('systemd-analyze', ['verify', name], { encoding: 'utf8' });
      expect(theirs.stderr).toBe(`Failed to prepare filename ${name}: Invalid argument\n`);
    }
  }
});

test('a line that is not UTF-8: "String is not UTF-8 clean, ignoring assignment", and the unit fails to load', () => {
  const path = unitFile('u8.service', Buffer.concat([Buffer.from('[Unit]\nDescription=caf'), Buffer.from([0xe9]), Buffer.from('\n[Service]\nExecStart=/bin/true\n')]));
  const ours = runVerify({ unitPath: [], names: [path] });
  expect(ours.exitCode).toBe(1);
  expect(firstLines(ours.stderr, 1)).toEqual([`${path}:2: String is not UTF-8 clean, ignoring assignment: Description=caf\ufffd`]);
  if (hasAnalyze) {
    const theirs = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    expect(firstLines(theirs.stderr, 1)).toEqual(firstLines(ours.stderr, 1));
  }
});
