#!/usr/bin/env node
// The `unitvisor` program. A CommonJS script, so that the daemon's process never loads Node's ES module
// loader (2.9 MiB of RSS for an empty ES module over an empty CommonJS script): the daemon modes run the
// command line from the CommonJS bundle dist/daemon/main.cjs (scripts/bundle-daemon.mjs); every other verb
// runs it from the ES modules of dist/cli/, each loaded when its verb runs. A client verb whose arguments
// name `init` or `up` (a socket path, say) runs from the bundle too, as correctly, with more to load.
const argv = process.argv.slice(2);
if (argv.includes('init') || argv.includes('up')) {
  const { runCli } = require('./daemon/main.cjs') as typeof import('./cli/cli.js');
  void runCli(argv).then((code) => {
    process.exitCode = code;
  });
} else {
  void import('./cli.js');
}
