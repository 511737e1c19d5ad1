import { describe, expect, test } from 'vitest';
import { USEC_INFINITY } from '../../../src/common/clock.js';
import { load, unitLines } from './helpers.js';

describe('[Unit] defaults', () => {
  const { config, messages } = unitLines();
  test.each([
    ['description', undefined],
    ['defaultDependencies', true],
    ['stopWhenUnneeded', false],
    ['refuseManualStart', false],
    ['refuseManualStop', false],
    ['allowIsolate', false],
    ['ignoreOnIsolate', false],
    ['onFailureJobMode', 'replace'],
    ['jobTimeoutUsec', USEC_INFINITY],
    ['jobRunningTimeoutUsec', USEC_INFINITY],
    ['jobTimeoutAction', 'none'],
    ['startLimitIntervalUsec', 10_000_000],
    ['startLimitBurst', 5],
    ['startLimitAction', 'none'],
    ['successAction', 'none'],
    ['failureAction', 'none'],
    ['successActionExitStatus', undefined],
    ['failureActionExitStatus', undefined],
    ['sourcePath', undefined],
  ] as const)('%s', (field, expected) => {
    expect(config.unit[field]).toEqual(expected);
  });
  test('no diagnostics', () => expect(messages).toEqual([]));
});

describe('[Unit] good values', () => {
  test.each([
    ['Description=Web %n on %H', 'description', 'Web a.service on box.example.org'],
    ['DefaultDependencies=no', 'defaultDependencies', false],
    ['StopWhenUnneeded=yes', 'stopWhenUnneeded', true],
    ['RefuseManualStart=true', 'refuseManualStart', true],
    ['RefuseManualStop=1', 'refuseManualStop', true],
    ['AllowIsolate=on', 'allowIsolate', true],
    ['IgnoreOnIsolate=yes', 'ignoreOnIsolate', true],
    ['OnFailureJobMode=isolate', 'onFailureJobMode', 'isolate'],
    ['JobTimeoutSec=5min', 'jobTimeoutUsec', 300_000_000],
    ['JobTimeoutSec=0', 'jobTimeoutUsec', USEC_INFINITY],
    ['JobRunningTimeoutSec=30', 'jobRunningTimeoutUsec', 30_000_000],
    ['JobTimeoutAction=poweroff-force', 'jobTimeoutAction', 'poweroff-force'],
    ['StartLimitIntervalSec=1min', 'startLimitIntervalUsec', 60_000_000],
    ['StartLimitInterval=2s', 'startLimitIntervalUsec', 2_000_000],
    ['StartLimitBurst=10', 'startLimitBurst', 10],
    ['StartLimitAction=reboot', 'startLimitAction', 'reboot'],
    ['SuccessAction=exit', 'successAction', 'exit'],
    ['FailureAction=exit-force', 'failureAction', 'exit-force'],
    ['SourcePath=/etc/fstab', 'sourcePath', '/etc/fstab'],
  ] as const)('%s', (line, field, expected) => {
    const { config, messages } = unitLines(line);
    expect(messages).toEqual([]);
    expect(config.unit[field]).toEqual(expected);
  });

  test('SuccessActionExitStatus= with SuccessAction=exit', () => {
    const { config, messages } = unitLines('SuccessAction=exit', 'SuccessActionExitStatus=7', 'FailureAction=exit', 'FailureActionExitStatus=');
    expect(messages).toEqual([]);
    expect(config.unit.successActionExitStatus).toBe(7);
    expect(config.unit.failureActionExitStatus).toBeUndefined();
  });

  test('Documentation= accumulates; empty resets', () => {
    expect(unitLines('Documentation=man:a(1) https://x.org', 'Documentation=info:b').config.unit.documentation).toEqual([
      'man:a(1)',
      'https://x.org',
      'info:b',
    ]);
    expect(unitLines('Documentation=man:a(1)', 'Documentation=', 'Documentation=file:/c').config.unit.documentation).toEqual(['file:/c']);
  });
});

// The words are systemd 252's, as `systemd-analyze verify` prints them (see corpus.test.ts for the live check).
describe('[Unit] bad values warn and are ignored', () => {
  test.each([
    ['DefaultDependencies=maybe', 'Failed to parse boolean value, ignoring: maybe', 'defaultDependencies', true],
    ['OnFailureJobMode=x', 'Failed to parse job mode, ignoring: x', 'onFailureJobMode', 'replace'],
    ['JobTimeoutSec=5 parsecs', 'Failed to parse JobTimeoutSec= parameter, ignoring: 5 parsecs', 'jobTimeoutUsec', USEC_INFINITY],
    ['JobTimeoutAction=x', 'Failed to parse JobTimeoutAction=, ignoring: x', 'jobTimeoutAction', 'none'],
    ['StartLimitBurst=abc', 'Failed to parse unsigned value, ignoring: abc', 'startLimitBurst', 5],
    ['StartLimitIntervalSec=foo', 'Failed to parse sec value, ignoring: foo', 'startLimitIntervalUsec', 10_000_000],
    ['SuccessActionExitStatus=300', "Failed to parse exit status '300', ignoring: Numerical result out of range", 'successActionExitStatus', undefined],
    ['FailureActionExitStatus=x', "Failed to parse exit status 'x', ignoring: Invalid argument", 'failureActionExitStatus', undefined],
    ['SourcePath=rel', 'SourcePath= path is not absolute, ignoring: rel', 'sourcePath', undefined],
    ['Documentation=foo', 'Invalid URL, ignoring: foo', 'documentation', []],
  ] as const)('%s', (line, message, field, value) => {
    const { config, messages } = unitLines(line);
    expect(messages).toEqual([`/u/a.service:2: ${message}`]);
    expect(config.unit[field]).toEqual(value);
    expect(config.loadState).toBe('loaded');
  });

  test('unknown key, X- key, removed and obsolete keys', () => {
    const { config, messages } = unitLines('Foo=bar', 'X-Custom=1', 'IgnoreOnSnapshot=yes', 'RequiresOverridable=y.service');
    expect(messages).toEqual([
      "/u/a.service:2: Unknown key 'Foo' in section [Unit], ignoring.",
      '/u/a.service:4: Support for option IgnoreOnSnapshot= has been removed and it is ignored',
      '/u/a.service:5: Unit dependency type RequiresOverridable= is obsolete, replacing by Requires=, please update your unit file',
    ]);
    expect(config.unit.dependencies.Requires).toEqual(['y.service']);
  });
});

describe('dependencies', () => {
  test.each([
    'Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds', 'Conflicts', 'Before', 'After',
    'OnFailure', 'OnSuccess', 'PropagatesReloadTo', 'ReloadPropagatedFrom', 'PropagatesStopTo', 'StopPropagatedFrom',
  ] as const)('%s= takes several names per line, de-duplicated', (kind) => {
    const { config } = unitLines(`${kind}=x.service y.target`, `${kind}=x.service z.service`);
    expect(config.unit.dependencies[kind]).toEqual(['x.service', 'y.target', 'z.service']);
  });

  test.each([
    ['BindTo', 'BindsTo'],
    ['PropagateReloadTo', 'PropagatesReloadTo'],
    ['PropagateReloadFrom', 'ReloadPropagatedFrom'],
  ] as const)('old name %s= is %s=', (old, kind) => {
    expect(unitLines(`${old}=x.service`).config.unit.dependencies[kind]).toEqual(['x.service']);
  });

  test('an empty value does not reset (systemd cannot reset dependencies)', () => {
    const { config, messages } = unitLines('After=x.service', 'After=');
    expect(config.unit.dependencies.After).toEqual(['x.service']);
    expect(messages).toEqual([]);
  });

  test('invalid names are warned about, the valid ones kept', () => {
    const { config, messages } = unitLines('Requires=bad..name good.service %i.service');
    expect(config.unit.dependencies.Requires).toEqual(['good.service']);
    expect(messages).toEqual([
      '/u/a.service:2: Failed to add dependency on bad..name, ignoring: Invalid argument',
      '/u/a.service:2: Failed to add dependency on .service, ignoring: Invalid argument',
    ]);
  });

  test('a template name takes the unit prefix, or the instance of an instance', () => {
    expect(unitLines('Wants=foo@.service').config.unit.dependencies.Wants).toEqual(['foo@a.service']);
    const instance = load('[Unit]\nWants=foo@.service\n[Service]\nExecStart=/bin/true', 'x@web.service', [], 'x@.service');
    expect(instance.config.unit.dependencies.Wants).toEqual(['foo@web.service']);
  });

  test('specifiers are expanded per name', () => {
    expect(unitLines('After=%p-helper.service').config.unit.dependencies.After).toEqual(['a-helper.service']);
  });
});

describe('conditions and asserts', () => {
  test('prefixes, kinds and specifiers', () => {
    const { config, messages } = unitLines(
      'ConditionPathExists=|!/etc/%n',
      'ConditionVirtualization=container',
      'AssertUser=root',
      'ConditionKernelCommandLine=|quiet',
    );
    expect(messages).toEqual([]);
    expect(config.unit.conditions).toEqual([
      { kind: 'PathExists', trigger: true, negate: true, parameter: '/etc/a.service' },
      { kind: 'Virtualization', trigger: false, negate: false, parameter: 'container' },
      { kind: 'KernelCommandLine', trigger: true, negate: false, parameter: 'quiet' },
    ]);
    expect(config.unit.asserts).toEqual([{ kind: 'User', trigger: false, negate: false, parameter: 'root' }]);
  });

  test('an empty value resets every condition', () => {
    const { config } = unitLines('ConditionPathExists=/a', 'ConditionUser=root', 'ConditionHost=', 'ConditionFirstBoot=yes');
    expect(config.unit.conditions).toEqual([{ kind: 'FirstBoot', trigger: false, negate: false, parameter: 'yes' }]);
  });

  test.each(['PathExists', 'PathExistsGlob', 'PathIsDirectory', 'PathIsSymbolicLink', 'PathIsMountPoint', 'PathIsReadWrite',
    'PathIsEncrypted', 'DirectoryNotEmpty', 'FileNotEmpty', 'FileIsExecutable', 'NeedsUpdate'])('Condition%s= needs an absolute path', (kind) => {
    const { config, messages } = unitLines(`Condition${kind}=relative`);
    expect(messages).toEqual([`/u/a.service:2: Condition${kind}= path is not absolute, ignoring: relative`]);
    expect(config.unit.conditions).toEqual([]);
  });

  test('unknown condition kinds are unknown keys', () => {
    expect(unitLines('ConditionFooBar=1').messages).toEqual(["/u/a.service:2: Unknown key 'ConditionFooBar' in section [Unit], ignoring."]);
  });
});

describe('unit-level checks', () => {
  test('OnFailureJobMode=isolate with two OnFailure= units is refused', () => {
    const { config, messages } = unitLines('OnFailure=a.target b.target', 'OnFailureJobMode=isolate');
    expect(config.loadState).toBe('bad-setting');
    expect(messages).toEqual(['a.service: More than one OnFailure= dependencies specified but OnFailureJobMode=isolate set. Refusing.']);
  });

  test('SuccessActionExitStatus= without an exit action warns', () => {
    expect(unitLines('SuccessActionExitStatus=3').messages).toEqual([
      'a.service: SuccessActionExitStatus= set, but SuccessAction= not set to exit or exit-force. Ignoring.',
    ]);
  });
});
