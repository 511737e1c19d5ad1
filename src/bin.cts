#!/usr/bin/env node
// The `unitvisor` program. A CommonJS script, so that no verb loads Node's ES module loader (2.9 MiB of
// RSS for an empty ES module over an empty CommonJS script, and its work per module): the daemon modes run
// the command line from the CommonJS bundle dist/daemon/main.cjs, every other verb from dist/cli/cli.cjs,
// with V8's code cache for it (scripts/bundle.mjs, code-cache.cts). A client verb whose arguments name
// `init` or `up` (a socket path, say) runs from the daemon's bundle, as correctly, with more to load.
import { join } from 'node:path';
import { requireWithCodeCache } from './code-cache.cjs';

type Cli = typeof import('./cli/cli.js');

const argv = process.argv.slice(2);
const cli: Cli = argv.includes('init') || argv.includes('up')
  ? (require('./daemon/main.cjs') as Cli)
  // The cache's key: the first word that can be a verb (what follows an option may be one too: a miss costs only the cache).
  : (requireWithCodeCache(join(__dirname, 'cli', 'cli.cjs'), argv.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? 'list-units') as Cli);
void cli.runCli(argv).then((code) => {
  process.exitCode = code;
});
