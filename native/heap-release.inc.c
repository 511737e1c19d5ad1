/* ---- the heap given back at rest ---- */

/* V8's Isolate::LowMemoryNotification(): full, compacting collections that also shrink the young
 * generation and give its unused semi-space back to the system, which neither Node nor a V8 flag does on
 * demand (V8 does it by itself only after seconds of allocating almost nothing). It is V8's C++ API, not
 * Node-API: looked up by its symbols in the running node when first called, so that the addon links and
 * loads as before; false, having done nothing, where node does not export them. */
typedef void *(*isolate_get_current_fn)(void);
typedef void (*isolate_method_fn)(void *isolate);

static napi_value low_memory_notification(napi_env env, napi_callback_info info) {
  static bool looked_up;
  static isolate_get_current_fn get_current;
  static isolate_method_fn notify;
  if (!looked_up) {
    looked_up = true;
    get_current = (isolate_get_current_fn)dlsym(RTLD_DEFAULT, "_ZN2v87Isolate10GetCurrentEv");
    notify = (isolate_method_fn)dlsym(RTLD_DEFAULT, "_ZN2v87Isolate21LowMemoryNotificationEv");
  }
  void *isolate = get_current != NULL && notify != NULL ? get_current() : NULL;
  if (isolate != NULL) notify(isolate);
#ifdef __GLIBC__
  /* What the collection and the start freed stays with glibc's malloc (free pages inside its arenas) until trimmed. */
  malloc_trim(0);
#endif
  napi_value done;
  NAPI_OK(napi_get_boolean(env, isolate != NULL, &done));
  return done;
}

/* Blocks of 128 KiB and more are mappings of their own for good, as glibc's malloc starts (glibc only; musl maps
 * them anyway): glibc raises that threshold to the size of each such block freed, after which a long-lived
 * buffer (a pipe's read buffer, 260 KiB, written a few lines at a time) is carved from heap memory used
 * before, all of its pages resident, instead of fresh memory, none of them until written: 260 KiB of RSS,
 * or none, by the timing of the start. Set for the daemon's process (daemon/heap.ts), never by the
 * in-process API, whose program keeps its own settings. */
static napi_value map_large_blocks(napi_env env, napi_callback_info info) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  napi_value undefined;
  NAPI_OK(napi_get_undefined(env, &undefined));
  return undefined;
}
