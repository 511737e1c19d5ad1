// `unitvisor up --watch` restarts a unit when the code it runs changes: the script its ExecStart= runs,
// or files matching its [X-Watch] Paths= (not Ignore=); a burst of writes is one restart, units PartOf=
// it restart with it, and a unit that failed is started again once its code changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps, type UpProcess } from '../helpers/run-up.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const count = (up: UpProcess, match: RegExp) => up.lines.filter((l) => match.test(l)).length;

describe('unitvisor up --watch: the code units run', () => {
  test('an edited ExecStart= script restarts its unit and the units PartOf= it, nothing else', async () => {
    const units = useTmpUnits({
      'run.sh': 'echo version 1\nexec sleep 60\n',
      'a.service': '[Service]\nExecStart=/bin/sh run.sh\n',
      'part.service': "[Unit]\nPartOf=a.service\nAfter=a.service\n[Service]\nExecStart=/bin/sh -c 'echo part up; exec sleep 60'\n",
      'other.service': "[Service]\nExecStart=/bin/sh -c 'echo other up; exec sleep 60'\n",
    });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^a\.service\[\d+\]: version 1$/);
    await up.waitForLine(/^part\.service\[\d+\]: part up$/);
    await up.waitForLine(/^other\.service\[\d+\]: other up$/);

    writeFileSync(join(units.dir, 'run.sh'), 'echo version 2\nexec sleep 60\n');
    await up.waitForLine(/^a\.service: run\.sh changed, restarting\.$/);
    await up.waitForLine(/^a\.service\[\d+\]: version 2$/);
    await up.waitForLines(/^part\.service\[\d+\]: part up$/, 2);
    expect(count(up, /^other\.service/)).toBe(1);
    expect(up.lines).not.toContain('Stopping other.service...');
  });

  test('[X-Watch] Paths= globs restart the unit once per burst of writes; Ignore= globs do not', async () => {
    const units = useTmpUnits({
      'src/lib/util.js': '1\n',
      'src/generated/out.js': '1\n',
      'api.service': "[Service]\nExecStart=/bin/sh -c 'echo api up; exec sleep 60'\n[X-Watch]\nPaths=src/**/*.js\nIgnore=src/generated/**\n",
    });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^api\.service\[\d+\]: api up$/);

    for (let i = 2; i <= 6; i++) writeFileSync(join(units.dir, 'src/lib/util.js'), `${i}\n`);
    await up.waitForLines(/^api\.service\[\d+\]: api up$/, 2);
    // An ignored file, then a watched one in a new folder: only the last restarts the unit.
    writeFileSync(join(units.dir, 'src/generated/out.js'), '2\n');
    units.write('src/routes/new.js', 'export {}\n');
    await up.waitForLine(/^api\.service: src\/routes\/new\.js changed, restarting\.$/);
    await up.waitForLines(/^api\.service\[\d+\]: api up$/, 3);
    expect(count(up, /^api\.service: .* changed, restarting\.$/)).toBe(2);
    expect(up.lines.filter((l) => l.includes('generated'))).toEqual([]);
  });

  test('a unit that failed is started again when its script is fixed', async () => {
    const units = useTmpUnits({
      'crash.mjs': "throw new Error('boom');\n",
      'app.service': `[Service]\nExecStart=${process.execPath} crash.mjs\n`,
    });
    const up = await startUp(units.dir, ['--watch']);
    await up.waitForLine(/^app\.service: Failed with result 'exit-code'\.$/);

    writeFileSync(join(units.dir, 'crash.mjs'), "console.log('fixed'); setInterval(() => {}, 1000);\n");
    await up.waitForLine(/^app\.service: crash\.mjs changed, starting it again\.$/);
    await up.waitForLine(/^app\.service\[\d+\]: fixed$/);
    expect((await up.cli('is-active', 'app.service')).stdout).toBe('active\n');
  });
});
