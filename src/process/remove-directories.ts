// A service's runtime folders: PrivateTmp='s per activation, and their removal with RuntimeDirectory='s when it
// stops (systemd's setup_tmp_dirs(), exec_context_destroy_runtime_directory()).
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { PrivateTmp } from './sandbox-options.js';

/** /tmp/systemd-private-ID-XXXXXX/tmp and the same below /var/tmp, 1777 inside 0700 (setup_tmp_dirs()). */
export function makePrivateTmp(invocationId: string): PrivateTmp {
  const make = (base: string): string => {
    const outer = mkdtempSync(`${base}/systemd-private-${invocationId}-`);
    mkdirSync(`${outer}/tmp`);
    chmodSync(`${outer}/tmp`, 0o1777); // mkdir() is subject to the umask
    return `${outer}/tmp`;
  };
  return { tmp: make('/tmp'), varTmp: make('/var/tmp') };
}

/** rm -rf of each path; a symlink is removed, not followed. Failures are reported, never thrown. */
export function removeDirectories(paths: readonly string[], report: (message: string) => void): void {
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch (error) {
      // Never made (a file stands where its parent should be): nothing to remove.
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      report(`Failed to remove runtime directory ${path}: ${(error as Error).message}`);
    }
  }
}
