/* ---- a service's output, a block of lines at a time: the event log's hot path ----
 * A flood of short lines costs per line what JavaScript strings cost: here a block's lines are counted
 * and framed (each put between a head and a tail) in one pass over its bytes, in a buffer outside the
 * JavaScript heap. Blocks with a byte that needs escaping, or any byte outside ASCII, are left to the
 * caller's slower path, which knows JSON and journalctl's rules for them. */

/* Bytes looked over at a time with a counter of one byte per vector lane: a size_t counter widens each
 * byte's comparison four times over, which made these loops five times slower. */
#define COUNT_RUN 255

/* How many "\n" data holds, in one pass the compiler vectorizes. */
static size_t count_newlines(const unsigned char *data, size_t length) {
  size_t count = 0;
  for (size_t from = 0; from < length; from += COUNT_RUN) {
    const unsigned char *run = data + from;
    size_t n = length - from < COUNT_RUN ? length - from : COUNT_RUN;
    unsigned char part = 0;
    for (size_t i = 0; i < n; i++) part += run[i] == '\n';
    count += part;
  }
  return count;
}

/* Whether a byte of data is not plain, and how many "\n" it holds, in one pass the compiler vectorizes (a
 * table lookup per byte cost a third of the supervisor's CPU under a flood). Not plain: for JSON, a byte
 * a JSON string must escape ('"', '\\', control characters but "\n"); for text, one journalctl does not
 * print as it is (control characters but tab and "\n", DEL); for both, any byte outside ASCII. */
static bool scan_lines(const unsigned char *data, size_t length, bool json, size_t *lines) {
  unsigned char unplain = 0;
  size_t count = 0;
  for (size_t from = 0; from < length; from += COUNT_RUN) {
    const unsigned char *run = data + from;
    size_t n = length - from < COUNT_RUN ? length - from : COUNT_RUN;
    unsigned char part = 0;
    if (json) {
      for (size_t i = 0; i < n; i++) {
        unsigned char c = run[i];
        unplain |= ((c < 0x20) & (c != '\n')) | (c == '"') | (c == '\\') | (c >= 0x80);
        part += c == '\n';
      }
    } else {
      for (size_t i = 0; i < n; i++) {
        unsigned char c = run[i];
        unplain |= ((c < 0x20) & (c != '\n') & (c != '\t')) | (c >= 0x7f);
        part += c == '\n';
      }
    }
    count += part;
  }
  *lines = count;
  return unplain == 0;
}

static bool buffer_arg(napi_env env, napi_value value, const unsigned char **data, size_t *length) {
  void *bytes;
  if (napi_get_buffer_info(env, value, &bytes, length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Buffer");
    return false;
  }
  *data = bytes;
  return true;
}

/* The two arguments of a function taking a buffer (at `buffer_at`) and a number that is not negative (an
 * fd, a count); false, with a TypeError thrown, when either is not one. */
struct buffer_count {
  const unsigned char *data;
  size_t length;
  int32_t count;
};

static bool buffer_and_count(napi_env env, napi_callback_info info, size_t buffer_at, struct buffer_count *args, const char *message) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv) || !buffer_arg(env, argv[buffer_at], &args->data, &args->length)) return false;
  if (napi_get_value_int32(env, argv[1 - buffer_at], &args->count) == napi_ok && args->count >= 0) return true;
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return false;
}

/* readPipe(fd, target): one read(2) of a non-blocking pipe into target: the bytes read, 0 at its end, or
 * -errno (-EAGAIN while it is empty). Node's own pipe streams read at most 64 KiB at a time into a buffer
 * of their own each; a flood is read here in blocks as large as the caller's buffer, without an exception
 * when the pipe is empty. */
static napi_value read_pipe(napi_env env, napi_callback_info info) {
  napi_value result;
  struct buffer_count args; /* the count is the fd */
  if (!buffer_and_count(env, info, 1, &args, "readPipe: fd must be a number")) return NULL;
  ssize_t n;
  do n = read(args.count, (void *)args.data, args.length); while (n < 0 && errno == EINTR);
  NAPI_OK(napi_create_int32(env, n < 0 ? -errno : (int32_t)n, &result));
  return result;
}

/* Buffers written by one writeBuffers() at most; the rest is left to the caller, as a short write is. */
#define WRITE_BUFFERS_MAX 64

/* writeBuffers(fd, buffers): one writev(2) of the buffers to the non-blocking `fd`: the bytes written (a
 * short write leaves the rest to the caller), or -errno (-EAGAIN while the reader's buffer is full). The
 * event log's writes of a turn of the event loop: through Node's Writable they cost more than the system
 * call itself. */
static napi_value write_buffers(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  int32_t fd;
  uint32_t count;
  if (!get_args(env, info, 2, argv) || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_array_length(env, argv[1], &count) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "writeBuffers: an fd and an array of buffers");
    return NULL;
  }
  struct iovec iov[WRITE_BUFFERS_MAX];
  int used = count < WRITE_BUFFERS_MAX ? (int)count : WRITE_BUFFERS_MAX;
  for (int i = 0; i < used; i++) {
    napi_value element;
    const unsigned char *data;
    NAPI_OK(napi_get_element(env, argv[1], (uint32_t)i, &element));
    if (!buffer_arg(env, element, &data, &iov[i].iov_len)) return NULL;
    iov[i].iov_base = (void *)data;
  }
  ssize_t n;
  do n = writev(fd, iov, used); while (n < 0 && errno == EINTR);
  NAPI_OK(napi_create_double(env, n < 0 ? -errno : (double)n, &result));
  return result;
}

/* growWriteBuffer(fd, bytes): what a pipe (F_SETPIPE_SZ) or a socket (SO_SNDBUF, else SO_SNDBUFFORCE, as
 * systemd's fd_inc_sndbuf() tries) holds raised to at least `bytes`, never lowered; the size it holds
 * after, or -errno when it is neither or cannot be asked. Best effort: past the limits the kernel sets an
 * unprivileged process, the size stays. The event log's reader then takes a block of lines in one write. */
static napi_value grow_write_buffer(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  int32_t fd, bytes;
  if (!get_args(env, info, 2, argv) || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &bytes) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "growWriteBuffer: fd and bytes must be numbers");
    return NULL;
  }
  struct stat st;
  int size;
  if (fstat(fd, &st) < 0) {
    size = -errno;
  } else if (S_ISFIFO(st.st_mode)) {
    size = fcntl(fd, F_GETPIPE_SZ);
    if (size >= 0 && size < bytes && fcntl(fd, F_SETPIPE_SZ, bytes) >= 0) size = fcntl(fd, F_GETPIPE_SZ);
    if (size < 0) size = -errno;
  } else if (!S_ISSOCK(st.st_mode)) {
    size = -ENOTSOCK;
  } else {
    socklen_t length = sizeof size;
    if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &length) < 0) size = -errno;
    /* The kernel doubles what it is given (for its own bookkeeping) and reports the doubled value. */
    else if (size < bytes) {
      int half = bytes / 2;
      if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &half, sizeof half) < 0 || (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &length) == 0 && size < bytes))
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &half, sizeof half);
      length = sizeof size;
      if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &length) < 0) size = -errno;
    }
  }
  NAPI_OK(napi_create_int32(env, size, &result));
  return result;
}

/* countLines(data): how many "\n" data holds. */
static napi_value count_lines(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  const unsigned char *data;
  size_t length;
  if (!get_args(env, info, 1, argv) || !buffer_arg(env, argv[0], &data, &length)) return NULL;
  NAPI_OK(napi_create_uint32(env, (uint32_t)count_newlines(data, length), &result));
  return result;
}

/* Bytes counted at a time while looking back for the start of a block's last lines. */
#define LOOK_BACK_BYTES 4096

/* lastLinesStart(data, lines): where the last `lines` lines of data (lines each ended by "\n") begin; 0 when
 * it holds no more. The journal keeps no more of a block than a view holds, found here by counting back
 * in vectorized runs instead of a search per line. */
static napi_value last_lines_start(napi_env env, napi_callback_info info) {
  napi_value result;
  struct buffer_count args;
  if (!buffer_and_count(env, info, 0, &args, "lastLinesStart: lines must be a count")) return NULL;
  const unsigned char *data = args.data;
  size_t length = args.length, lines = (size_t)args.count;
  /* The last lines begin after the lines-th "\n" before the one that ends data. */
  size_t start = lines == 0 ? length : 0;
  size_t end = length > 0 ? length - 1 : 0;
  size_t wanted = lines;
  while (end > 0 && wanted > 0) {
    size_t from = end > LOOK_BACK_BYTES ? end - LOOK_BACK_BYTES : 0;
    size_t found = count_newlines(data + from, end - from);
    if (found < wanted) {
      wanted -= found;
      end = from;
      continue;
    }
    while (data[--end] != '\n' || --wanted > 0) continue;
    start = end + 1;
    break;
  }
  NAPI_OK(napi_create_double(env, (double)start, &result));
  return result;
}

/* The framing copies a line's bytes a vector at a time, checking them as it goes: a call to memchr() and
 * three to memcpy() per line (a flood's lines are 70 bytes) cost four times the copying itself. */
#define CHUNK 16
typedef unsigned char chunk_t __attribute__((vector_size(CHUNK)));
typedef signed char lanes_t __attribute__((vector_size(CHUNK)));
/* The most a head or tail (the unit's name, the pid, the stream) may be to be copied by vectors, padded
 * to whole vectors; longer ones are framed line by line. */
#define FRAME_PIECE_MAX 480

static inline chunk_t load_chunk(const unsigned char *from) {
  chunk_t v;
  memcpy(&v, from, CHUNK);
  return v;
}

static inline void store_chunk(unsigned char *to, chunk_t v) { memcpy(to, &v, CHUNK); }

/* The first lane set in `lanes` (in memory order), or CHUNK when none is. */
static inline unsigned first_lane(lanes_t lanes) {
  uint64_t half[2];
  memcpy(half, &lanes, CHUNK);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return half[0] ? (unsigned)__builtin_ctzll(half[0]) / 8 : half[1] ? 8 + (unsigned)__builtin_ctzll(half[1]) / 8 : CHUNK;
#else
  return half[0] ? (unsigned)__builtin_clzll(half[0]) / 8 : half[1] ? 8 + (unsigned)__builtin_clzll(half[1]) / 8 : CHUNK;
#endif
}

static inline bool any_lane(lanes_t lanes) {
  uint64_t half[2];
  memcpy(half, &lanes, CHUNK);
  return (half[0] | half[1]) != 0;
}

/* scan_lines()'s rule for a vector of bytes: the lanes that are not plain. */
static inline lanes_t unplain_lanes(chunk_t c, bool json) {
  if (json) return (lanes_t)(((c < 0x20) & (c != '\n')) | (c == '"') | (c == '\\') | (c >= 0x80));
  return (lanes_t)(((c < 0x20) & (c != '\n') & (c != '\t')) | (c >= 0x7f));
}

/* `piece` (padded to `span`, whole vectors) to `out`: whole vectors, past its length (later bytes overwrite them). */
static inline void copy_piece(unsigned char *out, const unsigned char *piece, size_t span) {
  for (size_t at = 0; at < span; at += CHUNK) store_chunk(out + at, load_chunk(piece + at));
}

struct framing {
  const unsigned char *data, *end;
  unsigned char *out, *out_end;
};

/* Frames whole lines from f->data on by vectors while every load stays within the data and every store
 * within the framed size, each line's bytes checked as they are copied; leaves f at the first line it did
 * not frame. False when a byte copied is not plain. Always inlined, so that each `json` is a loop of its own. */
static inline __attribute__((always_inline)) bool frame_by_vectors(struct framing *f, const unsigned char *before, size_t before_length,
                                                                     const unsigned char *after, size_t after_length, bool json) {
  size_t before_span = (before_length + CHUNK - 1) / CHUNK * CHUNK, after_span = (after_length + CHUNK - 1) / CHUNK * CHUNK;
  const chunk_t newline = (chunk_t){0} + '\n';
  lanes_t unplain = {0};
  const unsigned char *data = f->data;
  unsigned char *out = f->out;
  while ((size_t)(f->out_end - out) >= before_span + CHUNK + after_span) {
    const unsigned char *line = data;
    unsigned char *line_out = out;
    copy_piece(out, before, before_span);
    out += before_length;
    unsigned at;
    do {
      if (f->end - data < CHUNK || f->out_end - out < (ptrdiff_t)(CHUNK + after_span)) {
        data = line;
        out = line_out;
        goto done;
      }
      chunk_t c = load_chunk(data);
      store_chunk(out, c);
      unplain |= unplain_lanes(c, json);
      at = first_lane((lanes_t)(c == newline));
      data += at < CHUNK ? at + 1 : CHUNK;
      out += at < CHUNK ? at : CHUNK;
    } while (at == CHUNK);
    copy_piece(out, after, after_span);
    out += after_length;
  }
done:
  f->data = data;
  f->out = out;
  return !any_lane(unplain);
}

/* frameLines(data, before, after, json, target): each line of data (lines each ended by "\n") as before +
 * line + after, into target (which the caller sized for it, and which may be memory it reuses; nothing
 * after the framed bytes is written); returns the bytes written, or -1 when a byte is not plain (see
 * scan_lines) or data does not end a line. */
static napi_value frame_lines(napi_env env, napi_callback_info info) {
  napi_value argv[5], result;
  const unsigned char *data, *before, *after, *target;
  size_t length, before_length, after_length, target_length;
  bool json;
  if (!get_args(env, info, 5, argv) || !buffer_arg(env, argv[0], &data, &length) || !buffer_arg(env, argv[1], &before, &before_length) ||
      !buffer_arg(env, argv[2], &after, &after_length) || !buffer_arg(env, argv[4], &target, &target_length))
    return NULL;
  NAPI_OK(napi_get_value_bool(env, argv[3], &json));
  size_t lines = count_newlines(data, length);
  size_t size = length - lines + lines * (before_length + after_length);
  bool plain = length > 0 && data[length - 1] == '\n';
  if (plain && size > target_length) {
    if (scan_lines(data, length, json, &lines)) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "target too small for the framed lines");
      return NULL;
    }
    plain = false;
  }
  struct framing f = {data, data + length, (unsigned char *)target, (unsigned char *)target + size};
  if (plain && before_length <= FRAME_PIECE_MAX && after_length <= FRAME_PIECE_MAX) {
    /* The head and tail padded to whole vectors, so that copying them reads only these. */
    unsigned char before_padded[FRAME_PIECE_MAX + CHUNK], after_padded[FRAME_PIECE_MAX + CHUNK];
    memcpy(before_padded, before, before_length);
    memcpy(after_padded, after, after_length);
    plain = json ? frame_by_vectors(&f, before_padded, before_length, after_padded, after_length, true)
                 : frame_by_vectors(&f, before_padded, before_length, after_padded, after_length, false);
  }
  /* The lines left (the last few bytes, or all when the head or tail is long), a line at a time. */
  plain = plain && scan_lines(f.data, (size_t)(f.end - f.data), json, &lines);
  if (!plain) {
    NAPI_OK(napi_create_int32(env, -1, &result));
    return result;
  }
  for (const unsigned char *line = f.data; line < f.end;) {
    const unsigned char *newline = memchr(line, '\n', (size_t)(f.end - line));
    memcpy(f.out, before, before_length);
    f.out += before_length;
    memcpy(f.out, line, (size_t)(newline - line));
    f.out += newline - line;
    memcpy(f.out, after, after_length);
    f.out += after_length;
    line = newline + 1;
  }
  NAPI_OK(napi_create_double(env, (double)size, &result));
  return result;
}
