#!/bin/bash
# Makes this mount namespace look like a container's, then execs `unitvisor init` as PID 1 over systemd's
# real search path. Run as: unshare --pid --fork --kill-child --mount-proc --mount --net --propagation private
# THIS SOCKET [ARGS...] with $NODE and $CLI set. The network namespace is the container's own: the packages'
# fixed ports (80, 22, 5432, 6379, 11211) never meet the host's.
# Writes stay in the namespace: /tmp and /run are fresh tmpfs, /etc and /var are overlays whose upper
# layers live in that tmpfs, and /dev is a tmpfs with the few device nodes a container has.
set -euo pipefail
socket="$1"; shift
ip link set lo up
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
# The overlays' upper layers live on a tmpfs of their own: systemd-tmpfiles-setup empties /tmp at boot.
mount -t tmpfs -o mode=0700 tmpfs /mnt
for dir in /etc /var; do
  mkdir -p "/mnt/overlay$dir/upper" "/mnt/overlay$dir/work"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=/mnt/overlay$dir/upper,workdir=/mnt/overlay$dir/work" "$dir"
done
# What redis-server's postinst makes, where this machine's install lacks it.
[ -d /var/log/redis ] || install -d -o redis -g redis -m 2750 /var/log/redis
# /var/tmp and /var/log start empty, as in a fresh image.
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
# A container's /dev: no consoles (tty0, tty1), its own /dev/log and pts; /dev/shm stays (the control socket is there).
mkdir -p /mnt/dev
mount -t tmpfs -o mode=0755 tmpfs /mnt/dev
for node in null zero full random urandom tty; do
  touch "/mnt/dev/$node"; mount --bind "/dev/$node" "/mnt/dev/$node"
done
mkdir -p /mnt/dev/pts /mnt/dev/shm
mount --bind /dev/shm /mnt/dev/shm
mount --move /mnt/dev /dev
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
export container=unitvisor-test
exec "$NODE" "$CLI" init --socket "$socket" --log-format json "$@"
