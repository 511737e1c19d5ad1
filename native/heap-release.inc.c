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

/* glibc's malloc gives each thread that allocates an arena of its own (64 MiB reserved) until there are eight:
 * V8's four worker threads (the collections' parallel tasks) and libuv's pool threads (the log file's writes)
 * each kept 40-80 KiB of RSS in theirs. With one allowed, a thread that first allocates later shares the
 * arenas that exist; the daemon's other threads allocate little, and seldom at once. Called by the daemon's
 * launcher before its first collection (dist/bin.cjs), never by the in-process API, whose program keeps its
 * own settings. Nothing elsewhere (musl has no arenas). */
static napi_value limit_malloc_arenas(napi_env env, napi_callback_info info) {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, 1);
#endif
  napi_value undefined;
  NAPI_OK(napi_get_undefined(env, &undefined));
  return undefined;
}
