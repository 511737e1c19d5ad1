#!/bin/sh
# Builds the Node-API addon and the exec helper for Linux x64 and arm64, glibc and musl, into
# native/prebuilds/<platform>-<arch>/ (node-gyp-build's layout), with whichever compilers are present:
#   x64 glibc: gcc            x64 musl: musl-gcc (musl-tools)        arm64 glibc: aarch64-linux-gnu-gcc
#   arm64 musl: aarch64-linux-musl-gcc, when one is on PATH (Debian ships none)
# A target without its compiler is skipped with a note; `npm install` then builds it from source.
# The addon links no libc (-nostdlib): its libc symbols bind to the one Node itself runs on.
set -eu
cd "$(dirname "$0")"
out=prebuilds
rm -rf "$out"
include="$(dirname "$(dirname "$(command -v node)")")/include/node"
[ -f "$include/node_api.h" ] || { echo "prebuild: node_api.h not found under $include" >&2; exit 1; }
cflags="-std=gnu11 -O2 -D_GNU_SOURCE -Wall -Wextra -Wno-missing-field-initializers"
built=""

# target CC ARCH LIBC [helper link flags]
target() {
  cc=$1 arch=$2 libc=$3; shift 3
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "prebuild: linux-$arch $libc skipped ($cc not installed)" >&2
    return 0
  fi
  dir="$out/linux-$arch"
  mkdir -p "$dir"
  # The addon gets its own copy of the Node-API and libuv headers only, so that a musl build never sees glibc's.
  headers=$(mktemp -d)
  cp -r "$include"/node_api.h "$include"/node_api_types.h "$include"/js_native_api.h "$include"/js_native_api_types.h "$include"/uv.h "$include"/uv "$headers"/
  # musl-gcc sees only musl's headers: lend it the kernel's (linux/, asm/) for this architecture.
  kernel=""
  if [ "$libc-$arch" = musl-x64 ]; then
    ln -s /usr/include/linux /usr/include/asm-generic /usr/include/x86_64-linux-gnu/asm "$headers"/
    kernel="-I$headers"
  fi
  "$cc" $cflags -Wno-unused-parameter -DNAPI_VERSION=8 -s -fPIC -shared -nostdlib -I"$headers" unitvisor.c -lgcc -o "$dir/unitvisor.napi.$libc.node"
  "$cc" $cflags $kernel -s "$@" unitvisor-exec.c -ldl -o "$dir/unitvisor-exec.$libc"
  rm -rf "$headers"
  built="$built linux-$arch-$libc"
}

target gcc x64 glibc
# musl: the helper is static, so it runs on any musl system (musl reads /etc/passwd itself, no NSS).
target musl-gcc x64 musl -static
target aarch64-linux-gnu-gcc arm64 glibc
target aarch64-linux-musl-gcc arm64 musl -static
echo "prebuild: built$built" >&2
