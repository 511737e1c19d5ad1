// Fixed host facts of a root system manager, for tests of specifier expansion and loading.
import type { HostSpecifiers } from '../../src/unit/unit-loader.js';

export const ROOT_HOST: HostSpecifiers = {
  hostname: 'host',
  userName: 'root',
  uid: 0,
  groupName: 'root',
  gid: 0,
  home: '/root',
  shell: '/bin/sh',
  runtimeDir: '/run',
  stateDir: '/var/lib',
  cacheDir: '/var/cache',
  logsDir: '/var/log',
  configDir: '/etc',
  tmpDir: '/tmp',
  varTmpDir: '/var/tmp',
};
