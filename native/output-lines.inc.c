/* ---- a service's output, a block of lines at a time: the event log's hot path ----
 * A flood of short lines costs per line what JavaScript strings cost: here a block's lines are counted
 * and framed (each put between a head and a tail) in one pass over its bytes, in a buffer outside the
 * JavaScript heap. Blocks with a byte that needs escaping, or any byte outside ASCII, are left to the
 * caller's slower path, which knows JSON and journalctl's rules for them. */

/* Bytes looked over at a time with a counter of one byte per vector lane: a size_t counter widens each
 * byte's comparison four times over, which made these loops five times slower. */
#define COUNT_RUN 255

/* Bytes are looked at and copied a vector at a time: a call to memchr() and three to memcpy() per line (a
 * flood's lines are 70 bytes) cost the framing four times the copying itself. */
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

/* How many "\n" data holds, counted a vector at a time into a byte per lane (COUNT_RUN vectors before the
 * lanes are added up); with `nul`, whether data holds a NUL too, found in the same pass. */
static size_t count_newlines(const unsigned char *data, size_t length, bool *nul) {
  const chunk_t newline = (chunk_t){0} + '\n', zero = {0};
  chunk_t nuls = {0};
  size_t count = 0, at = 0;
  while (length - at >= CHUNK) {
    size_t chunks = (length - at) / CHUNK < COUNT_RUN ? (length - at) / CHUNK : COUNT_RUN;
    chunk_t part = {0};
    for (size_t i = 0; i < chunks; i++, at += CHUNK) {
      chunk_t c = load_chunk(data + at);
      part -= (chunk_t)(c == newline);
      nuls |= (chunk_t)(c == zero);
    }
    for (unsigned lane = 0; lane < CHUNK; lane++) count += part[lane];
  }
  bool any = false;
  for (unsigned lane = 0; lane < CHUNK; lane++) any |= nuls[lane] != 0;
  for (; at < length; at++) {
    count += data[at] == '\n';
    any |= data[at] == 0;
  }
  if (nul != NULL) *nul = any;
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

/* countLines(data): how many "\n" data holds, or -1 when it holds a NUL (which ends a line too, so that its
 * lines are not its bytes as they are): the caller's check for one is this same pass. */
static napi_value count_lines(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  const unsigned char *data;
  size_t length;
  if (!get_args(env, info, 1, argv) || !buffer_arg(env, argv[0], &data, &length)) return NULL;
  bool nul;
  size_t count = count_newlines(data, length, &nul);
  NAPI_OK(napi_create_double(env, nul ? -1 : (double)count, &result));
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
    size_t found = count_newlines(data + from, end - from, NULL);
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

/* The lanes set in `lanes` (each 0 or all ones) as bits, the lane in memory order i at bit i. */
static inline uint32_t lane_bits(lanes_t lanes) {
#ifdef __SSE2__
  typedef char bytes_t __attribute__((vector_size(CHUNK)));
  return (uint32_t)__builtin_ia32_pmovmskb128((bytes_t)lanes);
#else
  uint64_t half[2];
  memcpy(half, &lanes, CHUNK);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  half[0] = __builtin_bswap64(half[0]);
  half[1] = __builtin_bswap64(half[1]);
#endif
  /* Lane i keeps bit i of its byte; the multiplication adds the eight bytes up into the top one. */
  const uint64_t spread = 0x8040201008040201ULL, gather = 0x0101010101010101ULL;
  return (uint32_t)(((half[0] & spread) * gather) >> 56) | (uint32_t)(((half[1] & spread) * gather) >> 56) << 8;
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

/* Bytes whose "\n" are found at once, as one bitmask. */
#define BLOCK 64

/* Frames whole lines from f->data on while every load stays within the data and every store within the
 * framed size; leaves f at the first line it did not frame. A block's bytes are checked and its "\n" found
 * in one pass, then each line ending in it is copied by vectors: its length is known before its copy
 * starts, where a search chunk by chunk made each copy wait on the compare before it (and the block is
 * still in the first-level cache when its lines are copied). False when a byte looked at is not plain.
 * Always inlined, so that each `json` is a loop of its own. */
static inline __attribute__((always_inline)) bool frame_by_blocks(struct framing *f, const unsigned char *before, size_t before_length,
                                                                    const unsigned char *after, size_t after_length, bool json) {
  size_t before_span = (before_length + CHUNK - 1) / CHUNK * CHUNK, after_span = (after_length + CHUNK - 1) / CHUNK * CHUNK;
  const chunk_t newline = (chunk_t){0} + '\n';
  lanes_t unplain = {0};
  const unsigned char *line = f->data, *block = f->data;
  unsigned char *out = f->out;
  for (; f->end - block >= BLOCK; block += BLOCK) {
    uint64_t newlines = 0;
    for (unsigned k = 0; k < BLOCK / CHUNK; k++) {
      chunk_t c = load_chunk(block + k * CHUNK);
      unplain |= unplain_lanes(c, json);
      newlines |= (uint64_t)lane_bits((lanes_t)(c == newline)) << (k * CHUNK);
    }
    for (; newlines != 0; newlines &= newlines - 1) {
      const unsigned char *end = block + __builtin_ctzll(newlines);
      size_t length = (size_t)(end - line), span = (length + CHUNK - 1) / CHUNK * CHUNK;
      if ((size_t)(f->end - line) < span || (size_t)(f->out_end - out) < before_span + span + after_span) goto done;
      copy_piece(out, before, before_span);
      out += before_length;
      for (size_t at = 0; at < length; at += CHUNK) store_chunk(out + at, load_chunk(line + at));
      out += length;
      copy_piece(out, after, after_span);
      out += after_length;
      line = end + 1;
    }
  }
done:
  f->data = line;
  f->out = out;
  return !any_lane(unplain);
}

static napi_value lines_miscounted(napi_env env) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "frameLines: lines is not how many lines data holds");
  return NULL;
}

/* frameLines(data, lines, before, after, json, target): each of the `lines` lines of data (lines each ended
 * by "\n", as countLines() counted them: no pass here counts them again) as before + line + after, into
 * target (which the caller sized for it, and which may be memory it reuses; nothing after the framed bytes
 * is written, nor past target's end whatever `lines` says); returns the bytes written, or -1 when a byte is
 * not plain (see scan_lines) or data does not end a line. */
static napi_value frame_lines(napi_env env, napi_callback_info info) {
  napi_value argv[6], result;
  const unsigned char *data, *before, *after, *target;
  size_t length, before_length, after_length, target_length;
  int32_t counted;
  bool json;
  if (!get_args(env, info, 6, argv) || !buffer_arg(env, argv[0], &data, &length) || !buffer_arg(env, argv[2], &before, &before_length) ||
      !buffer_arg(env, argv[3], &after, &after_length) || !buffer_arg(env, argv[5], &target, &target_length))
    return NULL;
  if (napi_get_value_int32(env, argv[1], &counted) != napi_ok || counted < 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "frameLines: lines must be a count");
    return NULL;
  }
  NAPI_OK(napi_get_value_bool(env, argv[4], &json));
  size_t lines = (size_t)counted;
  if (lines > length) return lines_miscounted(env);
  size_t size = length + lines * (before_length + after_length) - lines;
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
    plain = json ? frame_by_blocks(&f, before_padded, before_length, after_padded, after_length, true)
                 : frame_by_blocks(&f, before_padded, before_length, after_padded, after_length, false);
  }
  /* The lines left (the last few bytes, or all when the head or tail is long), a line at a time. */
  plain = plain && scan_lines(f.data, (size_t)(f.end - f.data), json, &lines);
  if (!plain) {
    NAPI_OK(napi_create_int32(env, -1, &result));
    return result;
  }
  for (const unsigned char *line = f.data; line < f.end;) {
    const unsigned char *newline = memchr(line, '\n', (size_t)(f.end - line));
    if ((size_t)(f.out_end - f.out) < before_length + (size_t)(newline - line) + after_length) return lines_miscounted(env);
    memcpy(f.out, before, before_length);
    f.out += before_length;
    memcpy(f.out, line, (size_t)(newline - line));
    f.out += newline - line;
    memcpy(f.out, after, after_length);
    f.out += after_length;
    line = newline + 1;
  }
  if (f.out != f.out_end) return lines_miscounted(env);
  NAPI_OK(napi_create_double(env, (double)size, &result));
  return result;
}
