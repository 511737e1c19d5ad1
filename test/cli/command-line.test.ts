// The command line as systemctl users know it: --version, no verb lists units, bad arguments exit 1.
import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { runCli, startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('command line', () => {
  test.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    expect(await runCli([flag])).toEqual({ stdout: `unitvisor ${version}\n`, stderr: '', code: 0 });
  });

  test('--help lists every verb; VERB --help shows its usage', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const verb of ['start', 'status', 'is-active', 'up', 'init', 'verify']) expect(help.stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
    expect((await runCli(['kill', '--help'])).stdout).toContain('Usage: unitvisor [OPTIONS...] kill <units...>\n');
  });

  test.each([
    [['--bogus'], "unitvisor: unrecognized option '--bogus'\n"],
    [['frob'], 'Unknown command verb frob.\n'],
    [['start'], 'Too few arguments.\n'],
    [['-p'], "unitvisor: option '-p' requires an argument\n"],
    [['exit', '300', '--socket', '/nonexistent/x.sock'], 'Invalid exit code.\n'],
    [['kill', '-s', 'FOO', 'a.service', '--socket', '/nonexistent/x.sock'], 'Failed to parse signal string "FOO".\n'],
    [['logs', '-n', 'abc', '--socket', '/nonexistent/x.sock'], "Failed to parse lines 'abc'\n"],
  ])('%j exits 1 with systemctl’s message', async (args, stderr) => {
    expect(await runCli(args)).toEqual({ stdout: '', stderr, code: 1 });
  });

  test('no verb does what list-units does', async () => {
    const units = useTmpUnits({ 'web.service': '[Unit]\nDescription=Web\n[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'web.service');
    const bare = await d.cli();
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^  web\.service +loaded active running Web$/m);
    expect(bare).toEqual(await d.cli('list-units'));
  });
});
