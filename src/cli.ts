#!/usr/bin/env node
// The unitvisor program: daemon modes and client verbs.
import { runCli } from './cli/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
