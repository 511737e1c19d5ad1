// Real unit files from Debian packages load; warnings match what systemd 252's own verifier prints.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadFragment } from '../../src/unit/load-fragment.js';
import { formatDiagnostic } from '../../src/unit/diagnostic.js';
import { HOST } from './settings/helpers.js';
import { systemdTool, systemdVerifyOutput } from '../helpers/systemd.js';

const CORPUS = join(import.meta.dirname, '../fixtures/units/debian');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.service') || f.endsWith('.target')).sort();

/** Templates load as an instance, as the directory loader would ask for them. */
const nameFor = (file: string): string => file.replace('@.', '@inst.');

function loadFile(dir: string, file: string) {
  const text = readFileSync(join(dir, file), 'utf8');
  const host = { ...HOST, kernelRelease: '6.1.0-test' };
  const { config, diagnostics } = loadFragment({ name: nameFor(file), fragment: { path: join(dir, file), text }, dropIns: [], aliases: [], specifiers: host });
  return { config, diagnostics, lines: text.split(/\r?\n/) };
}

const DBUS_REFUSAL = "Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing.";

describe('Debian corpus', () => {
  test('has 40+ real unit files', () => expect(files.length).toBeGreaterThanOrEqual(40));

  test.each(files)('%s loads', (file) => {
    const { config, diagnostics, lines } = loadFile(CORPUS, file);
    if (config.loadState === 'loaded') {
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    } else {
      // The documented reason: Type=dbus (explicit, or implied by BusName= alone) needs a bus unitvisor does not watch.
      expect(config.loadState).toBe('bad-setting');
      expect(diagnostics.map((d) => d.message)).toContain(DBUS_REFUSAL);
      expect(lines.some((l) => l.startsWith('BusName='))).toBe(true);
    }
    // Every diagnostic is about this file; unsupported-key warnings point at the line holding the key.
    for (const d of diagnostics) {
      expect([join(CORPUS, file), nameFor(file)]).toContain(d.file);
      const m = /^Setting '([A-Za-z]+)' is not supported/.exec(d.message);
      if (m !== null) expect(lines[d.line - 1]).toMatch(new RegExp(`^\\s*${m[1]}\\s*=`));
    }
  });
});

// --- the live comparison with systemd-analyze verify ---

const hasAnalyze = systemdTool('systemd-analyze');

const BROKEN: Record<string, string> = {
  'broken-unit.service': `[Unit]
Description=x %n
Requires=bad..name
Foo=bar
StartLimitBurst=abc
ConditionPathExists=relative
ConditionFooBar=1
JobTimeoutSec=5 parsecs
DefaultDependencies=maybe
OnFailureJobMode=x
JobTimeoutAction=x
SuccessActionExitStatus=300
FailureActionExitStatus=x
SourcePath=rel
Documentation=foo http://example.org
IgnoreOnSnapshot=yes

[Service]
ExecStart=/bin/true
X-Extension=1

[Foo]
X=1
`,
  'broken-service.service': `[Service]
Type=bogus
ExecStart=/bin/true
RemainAfterExit=maybe
TimeoutStartSec=5 parsecs
Restart=sometimes
KillSignal=SIGFOO
KillMode=bogus
UMask=999
NotifyAccess=x
StandardOutput=bogus
StandardInput=bogus
Environment=A=1 "B C=2" =x
SuccessExitStatus=1 FOO
StartLimitInterval=bad
StartLimitBurst=x
Foo=bar
RestartSec=5 parsecs
TimeoutSec=bad
WatchdogSec=bad
RuntimeMaxSec=x
TimeoutStopSec=y
TimeoutAbortSec=z
StartLimitAction=bogus
StartLimitIntervalSec=foo
ExitType=x
TimeoutStartFailureMode=x
RestartPreventExitStatus=x
GuessMainPID=x
SendSIGKILL=x
FinalKillSignal=x
PassEnvironment=A B=1
UnsetEnvironment=A= B=1 1x
EnvironmentFile=rel
StandardError=file:rel
SendSIGHUP=x
Capabilities=x
`,
  'broken-fatal.service': `[Service]
ExecStart=/bin/true
WorkingDirectory=relative
Restart=sometimes
`,
  'broken-exec.service': `[Service]
ExecStart=./relative arg
`,
  'refused-restart.service': `[Service]
Type=oneshot
ExecStart=/bin/true
Restart=always
`,
  'refused-two.service': `[Service]
ExecStart=/bin/true
ExecStart=/bin/false
`,
  'refused-none.service': `[Service]
ExecStop=/bin/true
`,
  'broken.target': `[Unit]
Description=t
Wants=x..y
[Service]
ExecStart=/bin/true
`,
};

/** systemd's lines about syntax and values: "file:line: ..." and "unit: ..." ones, minus transaction and summary lines. */
function systemdMessages(dir: string, file: string): string[] {
  return systemdVerifyOutput(join(dir, file), ['--recursive-errors=no'])
    .filter((l) => l.startsWith(`${join(dir, file)}:`) || l.startsWith(`${file}: `))
    .filter((l) => !l.includes('Failed to create') && !l.includes('Command ') && !l.includes('is not executable'));
}

/**
 * Lines only unitvisor prints: what it cannot honour and why, and a dependency on an invalid unit name
 * (systemd-analyze verify 252 drops those silently).
 */
const OURS_ONLY = / is not supported by unitvisor |: Failed to add dependency on .*, ignoring: Invalid argument$/;

/** Our lines about the same, minus those only unitvisor prints, in systemd's order (by line). */
function ourMessages(dir: string, file: string): string[] {
  const line = (l: string) => Number(/:(\d+): /.exec(l)?.[1] ?? Infinity);
  return loadFile(dir, file)
    .diagnostics.map(formatDiagnostic)
    .filter((l) => !OURS_ONLY.test(l))
    .sort((a, b) => line(a) - line(b));
}

describe.skipIf(!hasAnalyze)('same words as systemd-analyze verify (systemd 252)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-verify-'));
  for (const [name, text] of Object.entries(BROKEN)) writeFileSync(join(dir, name), text);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(Object.keys(BROKEN))('%s: the same lines, both ways', (file) => {
    const theirs = systemdMessages(dir, file);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ourMessages(dir, file)).toEqual(theirs);
  });

  test('each corpus file: the same lines as systemd (for these packages: none), both ways', () => {
    const sample = files.filter((f) => !f.includes('@'));
    const lines = (f: (file: string) => string[]) => Object.fromEntries(sample.map((file) => [file, f(file)]));
    expect(lines((file) => ourMessages(CORPUS, file))).toEqual(lines((file) => systemdMessages(CORPUS, file).filter((l) => l.startsWith(`${join(CORPUS, file)}:`))));
  }, 120_000);
});
