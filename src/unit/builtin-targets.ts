// The standard targets unitvisor ships, as systemd 252 ships them (systemd.special(7)); loaded through loadFragment like any file.
//
// The texts are systemd 252's, less what names units unitvisor has no type for or does itself:
// basic.target's slices.target, tmp.mount and RequiresMountsFor=, and the systemd-halt/poweroff/
// reboot/exit.service that halt/poweroff/reboot/exit.target pull in (unitvisor's shutdown does that).

/** Built-in unit name → unit file text. Files on the unit path take precedence. */
export const BUILTIN_UNITS: ReadonlyMap<string, string> = new Map([
  [
    'multi-user.target',
    `[Unit]
Description=Multi-User System
Documentation=man:systemd.special(7)
Requires=basic.target
Conflicts=rescue.service rescue.target
After=basic.target rescue.service rescue.target
AllowIsolate=yes
`,
  ],
  [
    'basic.target',
    `[Unit]
Description=Basic System
Documentation=man:systemd.special(7)
Requires=sysinit.target
Wants=sockets.target timers.target paths.target
After=sysinit.target sockets.target paths.target
`,
  ],
  [
    'sysinit.target',
    `[Unit]
Description=System Initialization
Documentation=man:systemd.special(7)
Wants=local-fs.target swap.target
After=local-fs.target swap.target
Conflicts=emergency.service emergency.target
Before=emergency.service emergency.target
`,
  ],
  [
    'shutdown.target',
    `[Unit]
Description=System Shutdown
Documentation=man:systemd.special(7)
DefaultDependencies=no
RefuseManualStart=yes
`,
  ],
  [
    'halt.target',
    `[Unit]
Description=System Halt
Documentation=man:systemd.special(7)
DefaultDependencies=no
AllowIsolate=yes

[Install]
Alias=ctrl-alt-del.target
`,
  ],
  [
    'poweroff.target',
    `[Unit]
Description=System Power Off
Documentation=man:systemd.special(7)
DefaultDependencies=no
AllowIsolate=yes
JobTimeoutSec=30min
JobTimeoutAction=poweroff-force

[Install]
Alias=ctrl-alt-del.target
`,
  ],
  [
    'reboot.target',
    `[Unit]
Description=System Reboot
Documentation=man:systemd.special(7)
DefaultDependencies=no
AllowIsolate=yes
JobTimeoutSec=30min
JobTimeoutAction=reboot-force

[Install]
Alias=ctrl-alt-del.target
`,
  ],
  [
    'exit.target',
    `[Unit]
Description=Exit the Container
Documentation=man:systemd.special(7)
DefaultDependencies=no
AllowIsolate=yes

[Install]
Alias=ctrl-alt-del.target
`,
  ],
  [
    'network.target',
    `[Unit]
Description=Network
Documentation=man:systemd.special(7)
Documentation=https://systemd.io/NETWORK_ONLINE
After=network-pre.target
RefuseManualStart=yes
`,
  ],
  [
    'network-online.target',
    `[Unit]
Description=Network is Online
Documentation=man:systemd.special(7)
Documentation=https://systemd.io/NETWORK_ONLINE
After=network.target
`,
  ],
  [
    'network-pre.target',
    `[Unit]
Description=Preparation for Network
Documentation=man:systemd.special(7)
Documentation=https://systemd.io/NETWORK_ONLINE
RefuseManualStart=yes
`,
  ],
  [
    'nss-lookup.target',
    `[Unit]
Description=Host and Network Name Lookups
Documentation=man:systemd.special(7)
RefuseManualStart=yes
`,
  ],
  [
    'nss-user-lookup.target',
    `[Unit]
Description=User and Group Name Lookups
Documentation=man:systemd.special(7)
RefuseManualStart=yes
`,
  ],
  [
    'local-fs.target',
    `[Unit]
Description=Local File Systems
Documentation=man:systemd.special(7)
DefaultDependencies=no
Conflicts=shutdown.target
After=local-fs-pre.target
OnFailure=emergency.target
OnFailureJobMode=replace-irreversibly
`,
  ],
  [
    'local-fs-pre.target',
    `[Unit]
Description=Preparation for Local File Systems
Documentation=man:systemd.special(7)
RefuseManualStart=yes
`,
  ],
  [
    'remote-fs.target',
    `[Unit]
Description=Remote File Systems
Documentation=man:systemd.special(7)
After=remote-fs-pre.target
DefaultDependencies=no
Conflicts=shutdown.target

[Install]
WantedBy=multi-user.target
`,
  ],
  [
    'remote-fs-pre.target',
    `[Unit]
Description=Preparation for Remote File Systems
Documentation=man:systemd.special(7)
RefuseManualStart=yes
`,
  ],
  [
    'time-sync.target',
    `[Unit]
Description=System Time Synchronized
Documentation=man:systemd.special(7)
RefuseManualStart=yes
After=time-set.target
Wants=time-set.target
`,
  ],
  [
    'time-set.target',
    `[Unit]
Description=System Time Set
Documentation=man:systemd.special(7)
RefuseManualStart=yes
`,
  ],
  [
    'paths.target',
    `[Unit]
Description=Path Units
Documentation=man:systemd.special(7)
`,
  ],
  [
    'sockets.target',
    `[Unit]
Description=Socket Units
Documentation=man:systemd.special(7)
`,
  ],
  [
    'timers.target',
    `[Unit]
Description=Timer Units
Documentation=man:systemd.special(7)
DefaultDependencies=no
Conflicts=shutdown.target
`,
  ],
  [
    'graphical.target',
    `[Unit]
Description=Graphical Interface
Documentation=man:systemd.special(7)
Requires=multi-user.target
Wants=display-manager.service
Conflicts=rescue.service rescue.target
After=multi-user.target rescue.service rescue.target display-manager.service
AllowIsolate=yes
`,
  ],
  [
    'rescue.target',
    `[Unit]
Description=Rescue Mode
Documentation=man:systemd.special(7)
Requires=sysinit.target rescue.service
After=sysinit.target rescue.service
AllowIsolate=yes
`,
  ],
  [
    'emergency.target',
    `[Unit]
Description=Emergency Mode
Documentation=man:systemd.special(7)
Requires=emergency.service
After=emergency.service
AllowIsolate=yes
`,
  ],
  [
    'final.target',
    `[Unit]
Description=Late Shutdown Services
Documentation=man:systemd.special(7)
DefaultDependencies=no
RefuseManualStart=yes
After=shutdown.target umount.target
`,
  ],
  [
    'getty.target',
    `[Unit]
Description=Login Prompts
Documentation=man:systemd.special(7) man:systemd-getty-generator(8)
Documentation=https://0pointer.de/blog/projects/serial-console.html
`,
  ],
  [
    'swap.target',
    `[Unit]
Description=Swaps
Documentation=man:systemd.special(7)
`,
  ],
  [
    'umount.target',
    `[Unit]
Description=Unmount All Filesystems
Documentation=man:systemd.special(7)
DefaultDependencies=no
RefuseManualStart=yes
`,
  ],
]);

/**
 * Built-in alias → unit. systemd links default.target to graphical.target; in a container the
 * useful default is multi-user.target.
 */
export const BUILTIN_ALIASES: ReadonlyMap<string, string> = new Map([['default.target', 'multi-user.target']]);
