#!/usr/bin/env node
// The command line as an ES module: what dist/bin.cjs runs for the client verbs, one module per verb as it runs.
import { runCli } from './cli/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
