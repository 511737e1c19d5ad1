// The backup timer of this folder on the Supervisor's fake clock: a whole night passes in
// milliseconds, and backup.service runs exactly once. Run it with `npx vitest run examples/timers-sockets`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { FakeClock, Supervisor } from 'unitvisor';

const HOUR = 3600e6; // the clock counts microseconds, as systemd does
let sv: Supervisor | undefined;
let stateDirectory: string | undefined;

afterEach(async () => {
  await sv?.shutdown();
  if (stateDirectory) rmSync(stateDirectory, { recursive: true, force: true });
});

test('a day later, the nightly backup has run once', async () => {
  // 2026-03-02 12:00 UTC; the monotonic clock starts at 1 s.
  const clock = new FakeClock(1e6, Date.parse('2026-03-02T12:00:00Z'));
  stateDirectory = mkdtempSync(join(tmpdir(), 'backup-state-')); // where Persistent= keeps its stamp
  sv = await Supervisor.boot({ unitPath: [import.meta.dirname], clock, stateDirectory });

  await sv.start('backup.timer');
  expect(sv.show('backup.timer')).toMatchObject({ SubState: 'waiting', Triggers: 'backup.service' });
  expect(sv.show('backup.timer')['NextElapseUSecRealtime']).toMatch(/^Tue 2026-03-03 03:[01]\d:\d\d UTC$/); // 03:00 + up to 10 min

  clock.advance(24 * HOUR); // no real waiting: timers fire as the fake clock passes them
  expect(await sv.waitForOutput('backup.service', /^backup of .* written$/)).toBeDefined();
  await sv.waitFor('backup.timer', (unit) => unit.subState === 'waiting');
  expect(sv.output('backup.service')).toHaveLength(1);
  expect(sv.show('backup.timer')['NextElapseUSecRealtime']).toMatch(/^Wed 2026-03-04 03:/);
});
