#!/bin/sh
# The image's install steps: the packed package (npm pack) installed globally under ROOT/usr/local with
# its prebuilt addon (no compiler needed), `systemctl` linked to it, and ROOT/node_modules/unitvisor
# linked to the global package so that a service's ESM `import 'unitvisor/sd-notify'` resolves from
# any directory (ESM ignores NODE_PATH and the global folder).
#   usage: install.sh TARBALL [ROOT]      (ROOT defaults to /)
set -eu
tarball=$1
root=${2:-/}
prefix="${root%/}/usr/local"
npm install --global --prefer-offline --no-audit --no-fund --prefix "$prefix" "$tarball"
"$prefix/bin/unitvisor" install-systemctl-alias "$prefix/bin"
mkdir -p "${root%/}/node_modules"
ln -sfn "$prefix/lib/node_modules/unitvisor" "${root%/}/node_modules/unitvisor"
