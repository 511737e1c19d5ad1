#!/usr/bin/env node
// The `unitvisor` program. A CommonJS script, so that no verb loads Node's ES module loader (2.9 MiB of
// RSS for an empty ES module over an empty CommonJS script, and its work per module): the daemon modes run
// the command line from the CommonJS bundle dist/daemon/main.cjs, every other verb from dist/cli/cli.cjs,
// with V8's code cache for it (scripts/bundle.mjs, code-cache.cts). A client verb whose arguments name
// `init` or `up` (a socket path, say) runs from the daemon's bundle, as correctly, with more to load.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

type Cli = typeof import('./cli/cli.js');
type CodeCache = typeof import('./code-cache.cjs');

/**
 * The daemon runs without V8's memory reducer (its own collection at rest does that work: daemon/heap.ts).
 * V8 arms the reducer when the old generation grows by 1 MiB before any full collection, as loading the
 * daemon's code does, and with incremental marking off (heap.ts) an armed reducer never runs and never
 * disarms: it woke the idle daemon every 8 s for good. One full collection of the small heap first leaves
 * it unarmed. Its flags are back to their defaults before the code loads: while a V8 flag differs from
 * its default, Node compiles the built-in modules it loads from their source instead of its code cache
 * (250 KiB more RSS had the reducer been turned off by its flag).
 */
function loadDaemon(): Cli {
  setFlagsFromString('--allow-natives-syntax');
  (new Function('%CollectGarbage(null)') as () => void)();
  setFlagsFromString('--no-allow-natives-syntax');
  return require('./daemon/main.cjs') as Cli;
}

const argv = process.argv.slice(2);
const cli: Cli = argv.includes('init') || argv.includes('up')
  ? loadDaemon()
  // Required here only: the code cache needs node:vm and node:module (parts of the ES module loader), which the daemon's process does without.
  // The cache's key: the first word that can be a verb (what follows an option may be one too: a miss costs only the cache).
  : ((require('./code-cache.cjs') as CodeCache).requireWithCodeCache(join(__dirname, 'cli', 'cli.cjs'), argv.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? 'list-units') as Cli);
void cli.runCli(argv).then((code) => {
  process.exitCode = code;
});
