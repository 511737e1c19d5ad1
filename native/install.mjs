// `npm install`: use the prebuilt addon and exec helper for this system when they work here, else build
// both from source with node-gyp (python3, make and a C compiler). UNITVISOR_BUILD_FROM_SOURCE=1 forces
// the source build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function prebuiltWorks() {
  if (process.env.UNITVISOR_BUILD_FROM_SOURCE) return false;
  let addon;
  try {
    addon = require('node-gyp-build').resolve(nativeDir);
  } catch {
    return false;
  }
  const libc = /\.(glibc|musl)\.node$/.exec(addon)?.[1];
  if (!libc) return false;
  try {
    require(addon);
  } catch {
    return false;
  }
  const helper = join(dirname(addon), `unitvisor-exec.${libc}`);
  return spawnSync(helper, ['--', process.execPath, 'node', '-e', '0'], { stdio: 'ignore' }).status === 0;
}

if (prebuiltWorks()) process.exit(0);
// Node's own headers when they sit beside it (official tarballs, Docker's node images, Debian's nodejs):
// node-gyp then downloads nothing.
const prefix = dirname(dirname(process.execPath));
const nodedir = existsSync(join(prefix, 'include/node/node_api.h')) && !process.env.npm_config_nodedir ? [`--nodedir=${prefix}`] : [];
const built = spawnSync('node-gyp', ['rebuild', `--directory=${nativeDir}`, ...nodedir], { stdio: 'inherit', shell: false });
process.exit(built.status ?? 1);
