// Removes a stopped service's runtime directories (systemd's exec_context_destroy_runtime_directory()).
import { rmSync } from 'node:fs';

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
