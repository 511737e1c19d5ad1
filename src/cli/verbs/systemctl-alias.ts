// install-systemctl-alias [DIR]: an opt-in `systemctl` command for containers, where no real systemctl
// exists. Never replaces another program of that name (the host's /usr/bin/systemctl).
import { lstatSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Io } from '../command.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';

/** The running program (dist/bin.cjs), through any bin symlink; DIR defaults to where that bin symlink lives. */
export function installSystemctlAlias(dir: string | undefined, io: Io, script = process.argv[1] ?? ''): number {
  const target = realpathSync(script);
  const link = join(resolve(dir ?? dirname(script)), 'systemctl');
  let existing: string | undefined;
  try {
    existing = lstatSync(link).isSymbolicLink() ? resolve(dirname(link), readlinkSync(link)) : link;
  } catch {
    existing = undefined;
  }
  if (existing !== undefined) {
    if (existing === target) return EXIT_SUCCESS;
    io.err(`${link} already exists and is not unitvisor; not replaced.`);
    return EXIT_FAILURE;
  }
  try {
    symlinkSync(target, link);
  } catch (error) {
    io.err(`Failed to create symlink ${link}: ${(error as Error).message}`);
    return EXIT_FAILURE;
  }
  io.err(`Created symlink ${link} → ${target}.`);
  return EXIT_SUCCESS;
}
