// systemd.generator(7) as unitvisor runs them: the three output folders in their place in the search path,
// systemd's arguments and environment, priority between generator folders, masking, the skip rule, reload.
import { afterEach, describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from '../../src/api/index.js';
import { planGenerators, withGeneratorOutput, generatorOutput, SYSTEM_GENERATOR_DIRS } from '../../src/unit/generators.js';
import { DEFAULT_UNIT_PATH } from '../../src/unit/search-path.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

const booted: Supervisor[] = [];
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(booted.splice(0).map((sv) => sv.shutdown()));
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  await expectNoLeakedProcesses();
});

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-gen-'));
  temps.push(dir);
  return dir;
}

function generator(dir: string, name: string, script: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `#!/bin/sh\nset -eu\n${script}\n`);
  chmodSync(join(dir, name), 0o755);
}

describe('the search path (pure)', () => {
  test("early first, normal after /run/systemd/system, late last — systemd's lookup_paths_init() order", () => {
    expect(withGeneratorOutput(DEFAULT_UNIT_PATH, generatorOutput('/run/systemd'))).toEqual([
      '/run/systemd/generator.early',
      '/etc/systemd/system',
      '/run/systemd/system',
      '/run/systemd/generator',
      '/usr/local/lib/systemd/system',
      '/lib/systemd/system',
      '/usr/lib/systemd/system',
      '/run/systemd/generator.late',
    ]);
  });

  test("the first folder naming a generator wins; systemd's device and console generators are skipped by rule", () => {
    const listing: Record<string, string[]> = { '/etc/g': ['b', 'systemd-fstab-generator'], '/usr/g': ['a', 'b', 'systemd-getty-generator', 'postgresql-generator'] };
    expect(planGenerators(['/etc/g', '/usr/g'], (d) => listing[d] ?? [])).toEqual({
      run: ['/etc/g/b', '/usr/g/a', '/usr/g/postgresql-generator'],
      skipped: [{ name: 'systemd-fstab-generator', reason: 'mount and swap units' }, { name: 'systemd-getty-generator', reason: 'gettys on kernel consoles' }],
    });
    expect(SYSTEM_GENERATOR_DIRS[0]).toBe('/run/systemd/system-generators');
  });
});

describe('running generators', () => {
  test('a generator wanting a template instance (as postgresql-generator does) brings the instance up at boot', async () => {
    const base = tmp();
    const units = join(base, 'units');
    mkdirSync(units);
    writeFileSync(join(units, 'db.service'), '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n');
    writeFileSync(join(units, 'db@.service'), '[Unit]\nPartOf=db.service\nBefore=db.service\n[Service]\nExecStart=/bin/sleep 1000\n');
    const gens = join(base, 'generators');
    // Arguments and environment as systemd.generator(7) says; the instance symlink points at the template.
    generator(gens, 'db-generator', [
      `mkdir -p "$1/db.service.wants"`,
      `ln -s ${units}/db@.service "$1/db.service.wants/db@15-main.service"`,
      `echo "$# $SYSTEMD_SCOPE $SYSTEMD_IN_INITRD" > "$3/args"`,
    ].join('\n'));
    generator(gens, 'failing-generator', 'echo "something is off" >&2; exit 3');
    generator(gens, 'systemd-fstab-generator', 'touch "$1/should-not-exist"');
    const out = join(base, 'out');
    const sv = await Supervisor.boot({ unitPath: [units], generators: { dirs: [gens], outputRoot: out } });
    booted.push(sv);
    await sv.start('db.service');
    expect(sv.show('db@15-main.service')).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    const { readFileSync, existsSync } = await import('node:fs');
    expect(readFileSync(join(out, 'generator.late', 'args'), 'utf8')).toBe('3 system 0\n');
    expect(existsSync(join(out, 'generator', 'should-not-exist'))).toBe(false);
    const messages = sv.logs().flatMap((e) => (e.kind === 'log' ? [e.msg] : []));
    expect(messages).toContain('failing-generator: something is off');
    expect(messages).toContain(`${gens}/failing-generator failed with exit status 3.`);
  });

  test('an early folder overrides /etc-like folders, a generator masked by /dev/null hides its namesake, and reload runs them again', async () => {
    const base = tmp();
    const units = join(base, 'units');
    mkdirSync(units);
    writeFileSync(join(units, 'x.service'), '[Unit]\nDescription=from the unit folder\n[Service]\nExecStart=/bin/true\n');
    const high = join(base, 'high');
    const low = join(base, 'low');
    mkdirSync(high);
    symlinkSync('/dev/null', join(high, 'masked-generator'));
    generator(low, 'masked-generator', 'touch "$1/masked-ran"');
    generator(low, 'early-generator', [
      `c=$(cat ${base}/count 2>/dev/null || echo 0); c=$((c+1)); echo $c > ${base}/count`,
      'printf "[Unit]\\nDescription=generated early, run %s\\n[Service]\\nExecStart=/bin/true\\n" "$c" > "$2/x.service"',
    ].join('\n'));
    const out = join(base, 'out');
    const sv = await Supervisor.boot({ unitPath: [units], generators: { dirs: [high, low], outputRoot: out } });
    booted.push(sv);
    expect(sv.show('x.service')['Description']).toBe('generated early, run 1');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(out, 'generator', 'masked-ran'))).toBe(false);
    await sv.reload();
    expect(sv.show('x.service')['Description']).toBe('generated early, run 2');
  });
});
