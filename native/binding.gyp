{
  # Two targets built by `npm ci` (node-gyp rebuild --directory=native):
  # the Node-API addon and the exec helper executable that spawned services run through.
  "targets": [
    {
      "target_name": "unitvisor",
      "sources": ["unitvisor.c"],
      # Node-API only (no V8/node.h): one build loads on Node 20, 22 and 24.
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      # dlsym() (heap-release.inc.c): in libc itself from glibc 2.34 and in musl, in libdl before.
      "libraries": ["-ldl"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
    },
    {
      "target_name": "unitvisor-exec",
      "type": "executable",
      "sources": ["unitvisor-exec.c"],
      "defines": ["_GNU_SOURCE"],
      "libraries": ["-ldl"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"]
    }
  ]
}
