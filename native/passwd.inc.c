/* User and group lookups through NSS (getpwnam(3), getgrnam(3), getgrouplist(3)), included by unitvisor.c.
 * Like systemd's get_user_creds()/get_group_creds(), a decimal string is looked up as a numeric id. */

/* NSS reports "no such entry" as 0 with a NULL result, or as ENOENT/ESRCH/EBADF/EPERM from some modules. */
static int not_found_is_ok(int rc, void **found) {
  if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM) {
    *found = NULL;
    return 0;
  }
  return rc;
}

/* getpwnam_r/getpwuid_r with a buffer grown on ERANGE. Returns 0 or an errno; the caller frees *buffer. */
static int lookup_passwd(const char *name, struct passwd *pw, char **buffer, struct passwd **found) {
  unsigned long id;
  bool numeric = parse_id(name, &id);
  for (size_t size = 1024;; size *= 2) {
    char *grown = realloc(*buffer, size);
    if (grown == NULL) return ENOMEM;
    *buffer = grown;
    int rc = numeric ? getpwuid_r((uid_t)id, pw, grown, size, found) : getpwnam_r(name, pw, grown, size, found);
    if (rc != ERANGE || size >= (1u << 20)) return not_found_is_ok(rc, (void **)found);
  }
}

/* getgrnam_r/getgrgid_r, the same way. */
static int lookup_group(const char *name, struct group *gr, char **buffer, struct group **found) {
  unsigned long id;
  bool numeric = parse_id(name, &id);
  for (size_t size = 1024;; size *= 2) {
    char *grown = realloc(*buffer, size);
    if (grown == NULL) return ENOMEM;
    *buffer = grown;
    int rc = numeric ? getgrgid_r((gid_t)id, gr, grown, size, found) : getgrnam_r(name, gr, grown, size, found);
    if (rc != ERANGE || size >= (1u << 20)) return not_found_is_ok(rc, (void **)found);
  }
}

static napi_value js_getpwnam(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char name[256];
  if (!get_args(env, info, 1, argv) || !get_string(env, argv[0], name, sizeof name)) return NULL;
  struct passwd pw, *found = NULL;
  char *buffer = NULL;
  int rc = lookup_passwd(name, &pw, &buffer, &found);
  if (rc != 0) {
    free(buffer);
    return throw_errno(env, rc, "getpwnam", name);
  }
  if (found == NULL) {
    free(buffer);
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  bool ok = napi_create_object(env, &result) == napi_ok &&
            set_string(env, result, "name", pw.pw_name, NAPI_AUTO_LENGTH) &&
            set_number(env, result, "uid", pw.pw_uid) && set_number(env, result, "gid", pw.pw_gid) &&
            set_string(env, result, "home", pw.pw_dir != NULL ? pw.pw_dir : "", NAPI_AUTO_LENGTH) &&
            set_string(env, result, "shell", pw.pw_shell != NULL ? pw.pw_shell : "", NAPI_AUTO_LENGTH);
  free(buffer);
  return ok ? result : NULL;
}

static napi_value js_getgrnam(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char name[256];
  if (!get_args(env, info, 1, argv) || !get_string(env, argv[0], name, sizeof name)) return NULL;
  struct group gr, *found = NULL;
  char *buffer = NULL;
  int rc = lookup_group(name, &gr, &buffer, &found);
  if (rc != 0) {
    free(buffer);
    return throw_errno(env, rc, "getgrnam", name);
  }
  if (found == NULL) {
    free(buffer);
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  bool ok = napi_create_object(env, &result) == napi_ok &&
            set_string(env, result, "name", gr.gr_name, NAPI_AUTO_LENGTH) && set_number(env, result, "gid", gr.gr_gid);
  free(buffer);
  return ok ? result : NULL;
}

static napi_value js_getgrouplist(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  char user[256];
  uint32_t gid;
  if (!get_args(env, info, 2, argv) || !get_string(env, argv[0], user, sizeof user)) return NULL;
  if (napi_get_value_uint32(env, argv[1], &gid) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "getgrouplist: gid must be a number");
    return NULL;
  }
  int count = 64;
  gid_t *groups = NULL;
  for (;;) {
    gid_t *grown = realloc(groups, sizeof(gid_t) * (size_t)count);
    if (grown == NULL) {
      free(groups);
      return throw_errno(env, ENOMEM, "getgrouplist", user);
    }
    groups = grown;
    int want = count;
    if (getgrouplist(user, (gid_t)gid, groups, &want) >= 0) {
      count = want;
      break;
    }
    /* -1 means the array was too small; `want` now holds the size needed. */
    count = want > count ? want : count * 2;
  }
  bool ok = napi_create_array_with_length(env, (size_t)count, &result) == napi_ok;
  for (int i = 0; ok && i < count; i++) {
    napi_value value;
    ok = napi_create_uint32(env, groups[i], &value) == napi_ok && napi_set_element(env, result, (uint32_t)i, value) == napi_ok;
  }
  free(groups);
  return ok ? result : NULL;
}
