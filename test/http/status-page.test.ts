// The status page in a real headless browser (Debian's chromium through playwright-core): the units
// with their states, a failed unit shown as failed (checked on the screenshot's pixels), the live log.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { chromium } from 'playwright-core';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log('status page: chromium is not installed; the browser test is skipped (apt-get install chromium)');

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

test.skipIf(!hasChromium)('the page lists the units, shows a failed unit in red and tails the log live (needs Debian package chromium)', { timeout: 90_000 }, async () => {
  const units = useTmpUnits({
    'web.service': '[Unit]\nDescription=Web\n[Service]\nExecStart=/bin/sleep 60\n',
    'broken.service': "[Unit]\nDescription=Broken\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo broken-output >&2; exit 2'\n",
  });
  const d = await startDaemon(units.dir, ['--http', '127.0.0.1:0']);
  const url = /HTTP (http:\/\/[\d.]+:\d+)\./.exec(d.logs.find((l) => / running in /.test(l.msg))?.msg ?? '')?.[1] as string;
  await d.cli('start', 'web.service');
  const profile = mkdtempSync(join(tmpdir(), 'unitvisor-chromium-'));
  // A fresh profile directory (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 700 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const offline: string[] = [];
    page.on('request', (r) => void (r.url().startsWith(url) || offline.push(r.url())));
    await page.goto(url);
    await page.waitForSelector('tr[data-unit="web.service"].active');
    await d.cli('start', 'broken.service');
    const row = await page.waitForSelector('tr[data-unit="broken.service"].failed');
    await page.waitForFunction("document.getElementById('log').textContent.includes('broken-output')");
    expect(await page.textContent('#state')).toBe('degraded');
    // The screenshot of the failed row is red text on white: count strongly red pixels.
    const png = (await row.screenshot()).toString('base64');
    // Decoded by the browser itself (a string, so this file needs no DOM types).
    const red = (await page.evaluate(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] > 140 && px[i + 1] < 90 && px[i + 2] < 90) n++;
      return n;
    })()`)) as number;
    expect(red, 'red pixels in the failed row').toBeGreaterThan(50);
    const webRow = (await (await page.$('tr[data-unit="web.service"]'))!.screenshot()).toString('base64');
    expect(webRow).not.toBe(png);
    expect(offline, 'the page loads nothing from elsewhere').toEqual([]);
    const size = (await (await fetch(url)).text()).length;
    expect(size, 'the page is a few KB').toBeLessThan(8 * 1024);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
