// output.c: the only writer of the output directory. output_write puts an
// OutTree on disk all or nothing; output_check compares one with what is on
// disk, for `build --check`.
//
// All or nothing. DIR must end up either exactly as it was (after any error,
// or a kill -9 at any moment) or exactly the new tree, so DIR itself is never
// written into. A build:
//
//  1. Takes flock(2) on DIR's parent, so two builds beside each other take
//     turns, and tidies what an interrupted build left there: a stale
//     DIR.ecsc-new-* is removed; a DIR.ecsc-old-* while DIR is missing is the
//     old tree caught in the fallback's window (step 5), and is renamed back.
//  2. Makes DIR.ecsc-new-XXXXXX beside DIR (mkdtemp: the same file system, so
//     the swap below is a rename) and writes every file of the tree into it.
//     A file whose bytes DIR already holds (mode 0644) is hard-linked from DIR
//     instead of written: a rebuild after a one-service change writes one
//     service's files, and the rest costs a read and a link(2).
//  3. Carries over everything of DIR's that ecsc did not write: whatever the
//     old DIR/.ecsc-manifest does not list (a README, a backend.hcl, the
//     .terraform/ directories `terraform init` makes inside the roots) is
//     hard-linked into the new tree, file by file, recursing into directories
//     (copied where the file system refuses links). The old tree is only ever
//     read, so until the swap an interruption loses nothing. Files the old
//     manifest lists and the tree does not are removed by not being carried.
//  4. Writes the new manifest (the sorted paths of the tree) and syncfs(2)s the
//     file system once: one flush instead of an fsync per file, so that after
//     a power cut the swapped-in names never point at empty files.
//  5. Swaps: renameat2(RENAME_EXCHANGE) trades DIR and the new tree in one
//     step (Linux 3.15), then the old tree, now under the temporary name, is
//     removed. Where the kernel or file system cannot exchange, DIR is renamed
//     to DIR.ecsc-old-XXXXXX and the new tree to DIR: between those two
//     renames DIR does not exist, and step 1 of the next build puts the old
//     tree back if a kill landed there. When DIR did not exist, one rename.
//
// A failure before the swap removes the temporary directory and leaves DIR
// untouched; a failure to remove the old tree after the swap is not an error
// (the build succeeded; step 1 of the next build removes it).
//
// DIR may be a symbolic link to a directory: the directory it names is
// replaced and the link stays. Its parent must exist.
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MANIFEST ".ecsc-manifest"
#define MANIFEST_HEADER                                                                   \
  "# Written by ecsc: the files below are ecsc's. The next build replaces or removes " \
  "them and keeps every other file here.\n"

enum { FILE_MODE = 0644, DIR_MODE = 0755 };

static void make_dir_parents(char *path);

//
// Paths of the tree
//

// Why a tree path must not be written, or NULL. Paths come from the emitters,
// not from users, so each of these is a bug in ecsc; checking them is cheap
// and keeps such a bug from writing outside DIR. The manifest is one path per
// line, hence no line breaks.
static const char *bad_path(Str p) {
  if (p.len == 0)
    return "the path is empty";
  if (p.ptr[0] == '/')
    return "the path is absolute";
  if (str_eq_c(p, MANIFEST))
    return "the path is the manifest's";
  ptrdiff_t start = 0;
  for (ptrdiff_t i = 0; i <= p.len; i++) {
    if (i < p.len && (p.ptr[i] == '\n' || p.ptr[i] == '\r' || p.ptr[i] == 0))
      return "the path contains a line break or NUL";
    if (i < p.len && p.ptr[i] != '/')
      continue;
    Str part = {p.ptr + start, i - start};
    if (part.len == 0)
      return "the path has an empty component";
    if (str_eq_c(part, ".") || str_eq_c(part, ".."))
      return "the path contains . or ..";
    start = i + 1;
  }
  return NULL;
}

static int by_path(const void *a, const void *b) {
  return str_cmp((*(const OutFile *const *)a)->path, (*(const OutFile *const *)b)->path);
}

static int by_str(const void *a, const void *b) {
  return str_cmp(*(const Str *)a, *(const Str *)b);
}

// Index of the first path >= key in sorted paths.
static ptrdiff_t lower_bound(Str *paths, ptrdiff_t n, Str key) {
  ptrdiff_t lo = 0, hi = n;
  while (lo < hi) {
    ptrdiff_t mid = lo + (hi - lo) / 2;
    if (str_cmp(paths[mid], key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static bool contains(Str *paths, ptrdiff_t n, Str key) {
  ptrdiff_t i = lower_bound(paths, n, key);
  return i < n && str_eq(paths[i], key);
}

// The tree's files, sorted by path, with the paths alone beside them for
// lookups. Refuses (reporting on `dir`/PATH) a path bad_path rejects, one
// written twice, and a file that another file's path needs as a directory.
typedef struct {
  const OutFile **files;
  Str *paths;
  ptrdiff_t n;
} Sorted;

static bool sort_tree(Compilation *c, OutTree *t, Str dir, Sorted *s) {
  s->n = t->n;
  s->files = new(&c->arena, const OutFile *, t->n + 1);
  s->paths = new(&c->arena, Str, t->n + 1);
  bool ok = true;
  for (ptrdiff_t i = 0; i < t->n; i++) {
    s->files[i] = &t->files[i];
    const char *why = bad_path(t->files[i].path);
    if (why) {
      diag_file(c, E0011, dir, "refusing to write \"%.*s\": %s", S(t->files[i].path), why);
      ok = false;
    }
  }
  if (!ok)
    return false;
  qsort(s->files, (size_t)s->n, sizeof *s->files, by_path);
  for (ptrdiff_t i = 0; i < s->n; i++)
    s->paths[i] = s->files[i]->path;
  for (ptrdiff_t i = 0; i < s->n; i++) {
    Str p = s->paths[i];
    if (i > 0 && str_eq(p, s->paths[i - 1])) {
      diag_file(c, E0011, dir, "refusing to write \"%.*s\": the path is written twice", S(p));
      ok = false;
      continue;
    }
    // "a" and "a/b": sorting puts "a-x" between them, so look "a/" up.
    Str below = str_fmt(&c->arena, "%.*s/", S(p));
    ptrdiff_t j = lower_bound(s->paths, s->n, below);
    if (j < s->n && str_starts_with(s->paths[j], below)) {
      diag_file(c, E0011, dir, "refusing to write \"%.*s\": \"%.*s\" needs it as a directory",
                S(p), S(s->paths[j]));
      ok = false;
    }
  }
  return ok;
}

// The manifest a build writes for these sorted paths.
static Str manifest_text(Arena *a, Sorted *s) {
  Buf b = {.arena = a};
  buf_puts(&b, MANIFEST_HEADER);
  for (ptrdiff_t i = 0; i < s->n; i++) {
    buf_put(&b, s->paths[i]);
    buf_putc(&b, '\n');
  }
  return buf_str(&b);
}

//
// Files
//

static bool write_all(int fd, Str data) {
  while (data.len > 0) {
    size_t chunk = data.len > (1 << 30) ? (size_t)1 << 30 : (size_t)data.len;
    ssize_t k = write(fd, data.ptr, chunk);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      return false;
    data.ptr += k;
    data.len -= k;
  }
  return true;
}

// Reads up to n bytes, fewer only at the end of the file.
static ssize_t read_full(int fd, char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = read(fd, p + got, n - got);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      return -1;
    if (k == 0)
      break;
    got += (size_t)k;
  }
  return (ssize_t)got;
}

typedef enum { SAME, DIFFERENT, ABSENT, UNREADABLE } Compare;

// Compares the file at dirfd/path with data without reading it into memory.
// A symbolic link, a directory or a file of another mode (when want_mode is
// set) is DIFFERENT: a build would put a regular file there. UNREADABLE
// leaves errno set.
static Compare compare_file(int dirfd, const char *path, Str data, bool want_mode) {
  int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return ABSENT;
    return errno == ELOOP ? DIFFERENT : UNREADABLE;
  }
  Compare r = DIFFERENT;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    r = UNREADABLE;
    goto out_close;
  }
  if (!S_ISREG(st.st_mode) || st.st_size != data.len ||
      (want_mode && (st.st_mode & 07777) != FILE_MODE))
    goto out_close;
  char chunk[1 << 16];
  for (ptrdiff_t off = 0;;) {
    ssize_t k = read_full(fd, chunk, sizeof chunk);
    if (k < 0) {
      r = UNREADABLE;
      goto out_close;
    }
    if (k == 0) {
      r = off == data.len ? SAME : DIFFERENT;
      break;
    }
    if (off + k > data.len || memcmp(chunk, data.ptr + off, (size_t)k) != 0)
      break;
    off += k;
  }
out_close:
  {
    int err = errno;
    close(fd);
    errno = err;
  }
  return r;
}

// Reads a whole file into the arena; returns 0 or an errno.
static int read_file(Arena *a, int dirfd, const char *path, Str *out) {
  int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return errno;
  int err = 0;
  Buf b = {.arena = a};
  char chunk[1 << 16];
  for (;;) {
    ssize_t k = read_full(fd, chunk, sizeof chunk);
    if (k < 0) {
      err = errno;
      break;
    }
    if (k == 0)
      break;
    buf_put(&b, (Str){chunk, k});
    if (b.len > MAX_FILE_SIZE) {
      err = EFBIG;
      break;
    }
  }
  close(fd);
  *out = buf_str(&b);
  return err;
}

// The paths a manifest lists, sorted. Lines that are comments, empty, or
// paths ecsc would never write (a hand edit) are skipped: those files are
// then treated as the user's, which errs on the side of keeping them.
static void parse_manifest(Arena *a, Str text, Str **paths, ptrdiff_t *n) {
  ptrdiff_t cap = 1;
  for (ptrdiff_t i = 0; i < text.len; i++)
    cap += text.ptr[i] == '\n';
  *paths = new(a, Str, cap);
  *n = 0;
  for (ptrdiff_t i = 0; i < text.len;) {
    ptrdiff_t j = i;
    while (j < text.len && text.ptr[j] != '\n')
      j++;
    Str line = {text.ptr + i, j - i};
    if (line.len && line.ptr[0] != '#' && !bad_path(line))
      (*paths)[(*n)++] = line;
    i = j + 1;
  }
  qsort(*paths, (size_t)*n, sizeof **paths, by_str);
}

// Reads DIR's manifest: returns 0 (no manifest is an empty one) or an errno.
static int read_manifest(Arena *a, int dirfd, Str **paths, ptrdiff_t *n) {
  Str text = {0};
  int err = read_file(a, dirfd, MANIFEST, &text);
  if (err == ENOENT)
    text = (Str){0};
  else if (err)
    return err;
  parse_manifest(a, text, paths, n);
  return 0;
}

// Removes name (a file, or a directory with everything in it) below dirfd;
// is_dir is a hint from readdir that spares a failing unlink. Never follows a
// symbolic link, so a link to a user's directory inside a removed tree
// removes the link only. Returns 0 or an errno.
static int remove_tree(int dirfd, const char *name, bool is_dir) {
  if (!is_dir) {
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
      return 0;
    if (errno != EISDIR && errno != EPERM)  // POSIX allows EPERM for a directory
      return errno;
  }
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : errno;
  DIR *d = fdopendir(fd);
  if (!d) {
    int err = errno;
    close(fd);
    return err;
  }
  int err = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    int sub = remove_tree(fd, e->d_name, e->d_type == DT_DIR);
    if (sub && !err)
      err = sub;
  }
  closedir(d);
  if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && !err)
    err = errno;
  return err;
}

// Swaps the names a and b below dirfd in one step. Fails with EINVAL or
// ENOSYS where the kernel (before 3.15) or the file system cannot.
static int exchange(int dirfd, const char *a, const char *b) {
#if defined(OUTPUT_TEST_NO_EXCHANGE)  // tests/output/run.sh: try the fallback
  (void)dirfd, (void)a, (void)b;
  errno = ENOSYS;
  return -1;
#elif defined(RENAME_EXCHANGE)  // glibc 2.28 and later
  return renameat2(dirfd, a, dirfd, b, RENAME_EXCHANGE);
#elif defined(SYS_renameat2)
  return (int)syscall(SYS_renameat2, dirfd, a, dirfd, b, 1 << 1);  // <linux/fs.h>
#else
  (void)dirfd, (void)a, (void)b;
  errno = ENOSYS;
  return -1;
#endif
}

//
// output_write
//

typedef struct Level Level;

// A directory of the old tree being carried over. It is made in the new tree
// only once something is kept in it (or it was empty), so a directory that
// held nothing but ecsc's removed files disappears with them.
struct Level {
  Level *up;      // NULL for DIR itself
  ptrdiff_t len;  // length of its path in Writer.rel
  mode_t mode;    // the old directory's, for the new one
  bool made;      // exists in the new tree
};

typedef struct {
  Compilation *c;
  Str dir;           // DIR as the user wrote it, for messages
  OutTree *out;      // what to write: its files' bytes are made one at a time
  Sorted tree;
  Str *owned;        // the old manifest's paths, sorted
  ptrdiff_t nowned;
  char *parent;      // DIR's parent, resolved
  int parentfd;      // the same, open: where the renames happen
  int oldfd;         // DIR, or -1 when there is none yet
  int newfd;         // the temporary directory
  char base[NAME_MAX + 1];   // DIR's name in its parent
  char temp[NAME_MAX + 1];   // the temporary directory's name in DIR's parent
  char rel[PATH_MAX];        // the path being carried over, relative to DIR
  mode_t umask;              // the process's, to skip chmods it makes needless
} Writer;

// Reports a failure about DIR/rel (DIR itself when rel is empty).
static Diag *fail(Writer *w, const char *rel, const char *what, int err) {
  Str path = *rel ? str_fmt(&w->c->arena, "%.*s/%s", S(w->dir), rel) : w->dir;
  return diag_file(w->c, E0008, path, "%s: %.*s", what, S(diag_errno(&w->c->arena, err)));
}

// DIR without trailing slashes, resolved through symbolic links; split into
// its parent (opened into w->parentfd) and its name.
static bool locate(Writer *w) {
  Arena *a = &w->c->arena;
  char *d = str_cstr(a, w->dir);
  char resolved[PATH_MAX];
  struct stat st;
  Str full;
  if (realpath(d, resolved)) {
    if (stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
      diag_file(w->c, E0008, w->dir, "output path is not a directory");
      return false;
    }
    full = str_c(resolved);
  } else if (errno == ENOENT && lstat(d, &st) != 0) {
    // DIR is new: resolve its parent, made first if missing (as mkdir -p;
    // an empty directory is all a failed build can leave behind).
    char *slash = strrchr(d, '/');
    Str parent = slash == d ? STR("/") : slash ? (Str){d, slash - d} : STR(".");
    Str name = str_c(slash ? slash + 1 : d);
    make_dir_parents(str_cstr(a, parent));
    if (!realpath(str_cstr(a, parent), resolved)) {
      diag_file(w->c, E0008, parent, "cannot open the output directory's parent: %.*s",
                S(diag_errno(a, errno)));
      return false;
    }
    full = str_fmt(a, "%s/%.*s", strcmp(resolved, "/") == 0 ? "" : resolved, S(name));
  } else {
    // A dangling symbolic link lands here too, with ENOENT.
    fail(w, "", "cannot open output directory", errno);
    return false;
  }
  ptrdiff_t slash = full.len - 1;
  while (slash >= 0 && full.ptr[slash] != '/')
    slash--;
  Str name = {full.ptr + slash + 1, full.len - slash - 1};
  if (name.len == 0 || str_eq_c(name, ".") || str_eq_c(name, "..") ||
      name.len + 20 > NAME_MAX) {
    diag_file(w->c, E0008, w->dir, "cannot replace this directory: it has no usable name");
    return false;
  }
  memcpy(w->base, name.ptr, (size_t)name.len);
  w->base[name.len] = 0;
  Str parent = slash == 0 ? STR("/") : (Str){full.ptr, slash};
  w->parent = str_cstr(a, parent);
  w->parentfd = open(w->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w->parentfd < 0) {
    diag_file(w->c, E0008, parent, "cannot open the output directory's parent: %.*s",
              S(diag_errno(a, errno)));
    return false;
  }
  return true;
}

static void make_dir_parents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = 0;
    mkdir(path, DIR_MODE);
    *p = '/';
  }
  mkdir(path, DIR_MODE);
}

// Makes an empty directory DIR.ecsc-KIND-XXXXXX beside DIR; its name goes
// in name.
static bool make_temp(Writer *w, const char *kind, char name[static NAME_MAX + 1]) {
  char path[PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/%s.ecsc-%s-XXXXXX", w->parent, w->base, kind);
  if (n >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return false;
  }
  if (!mkdtemp(path))
    return false;
  snprintf(name, NAME_MAX + 1, "%s", strrchr(path, '/') + 1);
  return true;
}

static bool has_prefix(const char *s, const char *base, const char *suffix) {
  size_t n = strlen(base), m = strlen(suffix);
  return strncmp(s, base, n) == 0 && strncmp(s + n, suffix, m) == 0;
}

// Step 1: finishes what an interrupted build left beside DIR. Names are read
// first and acted on after, as renaming during readdir may skip entries.
static bool tidy(Writer *w) {
  Arena *a = &w->c->arena;
  int fd = dup(w->parentfd);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) {
    if (fd >= 0)
      close(fd);
    fail(w, "", "cannot read the output directory's parent", errno);
    return false;
  }
  Buf names = {.arena = a};  // NUL-separated
  struct dirent *e;
  while ((e = readdir(d)))
    if (has_prefix(e->d_name, w->base, ".ecsc-new-") ||
        has_prefix(e->d_name, w->base, ".ecsc-old-")) {
      buf_puts(&names, e->d_name);
      buf_putc(&names, 0);
    }
  closedir(d);
  struct stat st;
  bool have_dir = fstatat(w->parentfd, w->base, &st, AT_SYMLINK_NOFOLLOW) == 0;
  for (char *n = names.ptr; n && n < names.ptr + names.len; n += strlen(n) + 1) {
    if (!have_dir && has_prefix(n, w->base, ".ecsc-old-")) {
      // A kill between the fallback's two renames: this is DIR.
      if (renameat(w->parentfd, n, w->parentfd, w->base) != 0) {
        fail(w, "", "cannot restore the output directory from an interrupted build", errno);
        return false;
      }
      have_dir = true;
      continue;
    }
    remove_tree(w->parentfd, n, true);  // what stays is tried again next time
  }
  return true;
}

// Makes the directories above path (a tree path, NUL-terminated) in the new
// tree, from byte `from` on: the tree is sorted, so those above the previous
// file's directory exist already.
static bool make_parents(Writer *w, char *path, ptrdiff_t from) {
  for (char *p = strchr(path + from, '/'); p; p = strchr(p + 1, '/')) {
    *p = 0;
    int r = mkdirat(w->newfd, path, DIR_MODE);
    int err = errno;
    if (r == 0 && w->umask & DIR_MODE)
      r = fchmodat(w->newfd, path, DIR_MODE, 0), err = errno;
    else if (r != 0 && err == EEXIST)
      r = 0;
    if (r != 0)
      fail(w, path, "cannot create directory", err);
    *p = '/';
    if (r != 0)
      return false;
  }
  return true;
}

static bool write_file(Writer *w, const char *path, Str data) {
  int fd = openat(w->newfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  FILE_MODE);
  if (fd < 0) {
    fail(w, path, "cannot write file", errno);
    return false;
  }
  bool ok = (!(w->umask & FILE_MODE) || fchmod(fd, FILE_MODE) == 0) && write_all(fd, data);
  int err = errno;
  if (close(fd) != 0 && ok)
    ok = false, err = errno;
  if (!ok)
    fail(w, path, "cannot write file", err);
  return ok;
}

// Step 2: every file of the tree, linked from DIR where its bytes are there.
static bool write_tree(Writer *w) {
  Str prev_dir = STR("");  // not {0}: str_starts_with would memcmp NULL
  OutStream *stream = out_stream(w->c, w->out, w->tree.files, w->tree.n);
  bool ok = false;
  for (ptrdiff_t i = 0; i < w->tree.n; i++) {
    const OutFile *f = w->tree.files[i];
    char *path = str_cstr(&w->c->arena, f->path);
    char *slash = strrchr(path, '/');
    Str dir = {path, slash ? slash - path : 0};
    if (!str_eq(dir, prev_dir)) {
      // Directories up to the last '/' the two have in common exist.
      ptrdiff_t same = 0;
      for (ptrdiff_t k = 0; k < dir.len && k < prev_dir.len && dir.ptr[k] == prev_dir.ptr[k]; k++)
        if (dir.ptr[k] == '/')
          same = k + 1;
      if (prev_dir.len < dir.len && str_starts_with(dir, prev_dir) && dir.ptr[prev_dir.len] == '/')
        same = prev_dir.len + 1;
      else if (dir.len < prev_dir.len && str_starts_with(prev_dir, dir) &&
               prev_dir.ptr[dir.len] == '/')
        same = dir.len + 1;
      if (!make_parents(w, path, same))
        goto out_end_stream;
    }
    prev_dir = dir;
    // The file's bytes, made on the stream's thread while this one writes,
    // and dropped once written: the build holds a few files at a time.
    Str data = out_stream_next(stream);
    bool same = w->oldfd >= 0 && compare_file(w->oldfd, path, data, true) == SAME &&
                linkat(w->oldfd, path, w->newfd, path, 0) == 0;
    if (!same && !write_file(w, path, data))
      goto out_end_stream;
  }
  ok = true;
out_end_stream:
  out_stream_end(stream);
  return !out_failed(w->c) && ok;
}

// Makes a carried-over directory (and those above it) in the new tree.
static bool make_level(Writer *w, Level *lv) {
  if (lv->made)
    return true;
  if (!make_level(w, lv->up))
    return false;
  char saved = w->rel[lv->len];
  w->rel[lv->len] = 0;
  int r = mkdirat(w->newfd, w->rel, lv->mode);
  int err = errno;
  struct stat st;
  if (r == 0 && w->umask & lv->mode)
    r = fchmodat(w->newfd, w->rel, lv->mode, 0), err = errno;
  else if (r != 0 && err == EEXIST && fstatat(w->newfd, w->rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISDIR(st.st_mode))
    r = 0;  // the tree has files here too
  if (r != 0) {
    Diag *d = fail(w, w->rel, "cannot keep directory not written by ecsc", err);
    if (err == EEXIST) {
      d->code = E0009;  // in the way of a file the build writes
      diag_help(w->c, d, "ecsc now writes a file at this path; move the directory away");
    }
  }
  w->rel[lv->len] = saved;
  return lv->made = r == 0;
}

// Copies what link(2) could not link: a regular file with its mode, or a
// symbolic link. Returns 0 or an errno.
static int copy_entry(Writer *w, int dirfd, const char *name, const struct stat *st) {
  if (S_ISLNK(st->st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
    if (n < 0)
      return errno;
    target[n] = 0;
    return symlinkat(target, w->newfd, w->rel) == 0 ? 0 : errno;
  }
  if (!S_ISREG(st->st_mode))
    return EPERM;
  int err = 0;
  int in = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0)
    return errno;
  mode_t mode = st->st_mode & 07777;
  int out = openat(w->newfd, w->rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (out < 0) {
    err = errno;
    goto out_close_in;
  }
  char chunk[1 << 16];
  for (;;) {
    ssize_t k = read_full(in, chunk, sizeof chunk);
    if (k < 0 || (k > 0 && !write_all(out, (Str){chunk, k}))) {
      err = errno;
      break;
    }
    if (k == 0)
      break;
  }
  if (!err && fchmod(out, mode) != 0)
    err = errno;
  if (close(out) != 0 && !err)
    err = errno;
out_close_in:
  close(in);
  return err;
}

// Keeps the non-directory `name` of the old directory dirfd, at w->rel.
static bool keep(Writer *w, int dirfd, const char *name) {
  if (linkat(dirfd, name, w->newfd, w->rel, 0) == 0)
    return true;
  int err = errno;
  // A link refused by the file system or by fs.protected_hardlinks (a file
  // someone else owns): a copy keeps the file as well.
  if (err == EPERM || err == EMLINK || err == EXDEV || err == ENOTSUP || err == EOPNOTSUPP) {
    struct stat st;
    err = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? copy_entry(w, dirfd, name, &st)
                                                              : errno;
  }
  if (!err)
    return true;
  Diag *d = fail(w, w->rel, "cannot keep file not written by ecsc", err);
  if (err == EEXIST || err == ENOTDIR) {
    d->code = E0009;  // in the way of a directory the build writes
    diag_help(w->c, d, "ecsc now writes files below this path; move the file away");
  }
  return false;
}

// Step 3: carries over, below the old directory fd (closed here), whatever
// the old manifest does not list and the tree does not replace.
static bool carry(Writer *w, int fd, Level *lv) {
  DIR *d = fdopendir(fd);
  if (!d) {
    fail(w, w->rel, "cannot read directory", errno);
    close(fd);
    return false;
  }
  bool ok = true, empty = true;
  struct dirent *e;
  for (errno = 0; ok && (e = readdir(d)); errno = 0) {
    const char *name = e->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    empty = false;
    if (!lv->up && strcmp(name, MANIFEST) == 0)
      continue;
    size_t n = strlen(name);
    ptrdiff_t at = lv->up ? lv->len + 1 : 0;
    if (at + (ptrdiff_t)n >= (ptrdiff_t)sizeof w->rel) {
      fail(w, w->rel, "cannot keep files in directory", ENAMETOOLONG);
      ok = false;
      break;
    }
    if (lv->up)
      w->rel[lv->len] = '/';
    memcpy(w->rel + at, name, n + 1);
    Str rel = {w->rel, at + (ptrdiff_t)n};
    // d_type spares a stat per file, most of which are ecsc's and skipped.
    struct stat st = {.st_mode = e->d_type == DT_DIR ? S_IFDIR : 0};
    if ((e->d_type == DT_UNKNOWN || e->d_type == DT_DIR) &&
        fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      fail(w, w->rel, "cannot keep file not written by ecsc", errno);
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      Level down = {lv, rel.len, st.st_mode & 07777, false};
      if (sub < 0) {
        fail(w, w->rel, "cannot read directory", errno);
        ok = false;
      } else {
        ok = carry(w, sub, &down);
      }
    } else if (!contains(w->owned, w->nowned, rel) && !contains(w->tree.paths, w->tree.n, rel)) {
      ok = make_level(w, lv) && keep(w, fd, name);
    }
    w->rel[lv->len] = 0;
  }
  if (ok && errno) {
    fail(w, w->rel, "cannot read directory", errno);
    ok = false;
  }
  if (ok && empty)
    ok = make_level(w, lv);  // a user's empty directory stays
  closedir(d);
  return ok;
}

OutResult output_write(Compilation *c, OutTree *t, const char *dir) {
  Writer w = {.c = c, .out = t, .oldfd = -1, .newfd = -1};
  w.umask = umask(0);  // only read: there is no other way, and ecsc has one thread
  umask(w.umask);
  w.dir = str_c(dir);
  while (w.dir.len > 1 && w.dir.ptr[w.dir.len - 1] == '/')
    w.dir.len--;
  if (!sort_tree(c, t, w.dir, &w.tree) || !locate(&w))
    return OUT_FAILED;
  OutResult result = OUT_FAILED;
  // Blocks while another build writes beside DIR. Where the file system has
  // no locks (some NFS setups), builds go ahead unserialized, as before.
  while (flock(w.parentfd, LOCK_EX) != 0 && errno == EINTR)
    continue;
  if (!tidy(&w))
    goto out_close_parent;

  mode_t top_mode = DIR_MODE;
  w.oldfd = openat(w.parentfd, w.base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w.oldfd < 0 && errno != ENOENT) {
    fail(&w, "", "cannot open output directory", errno);
    goto out_close_parent;
  }
  if (w.oldfd >= 0) {
    struct stat st;
    if (fstat(w.oldfd, &st) == 0)
      top_mode = st.st_mode & 07777;  // a user's 0700 stays
    int err = read_manifest(&c->arena, w.oldfd, &w.owned, &w.nowned);
    if (err) {
      fail(&w, MANIFEST, "cannot read manifest", err);
      goto out_close_old;
    }
  }

  if (!make_temp(&w, "new", w.temp)) {
    fail(&w, "", "cannot create a temporary directory beside the output directory", errno);
    goto out_close_old;
  }
  w.newfd = openat(w.parentfd, w.temp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (w.newfd < 0) {
    fail(&w, "", "cannot open a temporary directory beside the output directory", errno);
    goto out_remove_temp;
  }
  if (!write_tree(&w))
    goto out_remove_temp;
  if (w.oldfd >= 0) {
    int fd = openat(w.oldfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    Level root = {NULL, 0, top_mode, true};
    w.rel[0] = 0;
    if (fd < 0) {
      fail(&w, "", "cannot read output directory", errno);
      goto out_remove_temp;
    }
    if (!carry(&w, fd, &root))
      goto out_remove_temp;
  }
  if (!write_file(&w, MANIFEST, manifest_text(&c->arena, &w.tree)))
    goto out_remove_temp;
  if (fchmod(w.newfd, top_mode) != 0 || syncfs(w.newfd) != 0) {
    fail(&w, "", "cannot write output directory", errno);
    goto out_remove_temp;
  }

  // Step 5: the swap.
  if (w.oldfd < 0) {
    if (renameat(w.parentfd, w.temp, w.parentfd, w.base) != 0) {
      fail(&w, "", "cannot create output directory", errno);
      goto out_remove_temp;
    }
  } else if (exchange(w.parentfd, w.temp, w.base) != 0) {
    if (errno != EINVAL && errno != ENOSYS) {
      fail(&w, "", "cannot replace output directory", errno);
      goto out_remove_temp;
    }
    char old[NAME_MAX + 1];
    if (!make_temp(&w, "old", old)) {
      fail(&w, "", "cannot create a temporary directory beside the output directory", errno);
      goto out_remove_temp;
    }
    // Renaming a directory over an empty one replaces it. From here to the
    // second rename DIR does not exist; tidy() repairs a kill in between.
    if (renameat(w.parentfd, w.base, w.parentfd, old) != 0) {
      fail(&w, "", "cannot replace output directory", errno);
      unlinkat(w.parentfd, old, AT_REMOVEDIR);
      goto out_remove_temp;
    }
    if (renameat(w.parentfd, w.temp, w.parentfd, w.base) != 0) {
      fail(&w, "", "cannot replace output directory", errno);
      renameat(w.parentfd, old, w.parentfd, w.base);
      goto out_remove_temp;
    }
    remove_tree(w.parentfd, old, true);
  }
  fsync(w.parentfd);  // the swap itself survives a power cut
  result = OUT_OK;

out_remove_temp:
  // After an exchange this is the old tree; after a rename, nothing.
  if (w.newfd >= 0)
    close(w.newfd);
  remove_tree(w.parentfd, w.temp, true);
out_close_old:
  if (w.oldfd >= 0)
    close(w.oldfd);
out_close_parent:
  close(w.parentfd);  // and with it the lock
  return result;
}

//
// output_check
//

typedef struct {
  Str path;
  const char *what;  // "missing", "differs", "extra"
} Problem;

static int by_problem_path(const void *a, const void *b) {
  return str_cmp(((const Problem *)a)->path, ((const Problem *)b)->path);
}

OutResult output_check(Compilation *c, OutTree *t, const char *dir, Buf *report) {
  Arena *a = &c->arena;
  Str d = str_c(dir);
  while (d.len > 1 && d.ptr[d.len - 1] == '/')
    d.len--;
  Sorted s;
  if (!sort_tree(c, t, d, &s))
    return OUT_FAILED;
  Str manifest = manifest_text(a, &s);

  Str *owned = NULL;
  ptrdiff_t nowned = 0;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno != ENOENT) {
    diag_file(c, E0010, d, "%s: %.*s",
              errno == ENOTDIR ? "output path is not a directory" : "cannot open output directory",
              S(diag_errno(a, errno)));
    return OUT_FAILED;
  }
  OutResult result = OUT_FAILED;
  OutStream *stream = NULL;
  if (fd >= 0) {
    int err = read_manifest(a, fd, &owned, &nowned);
    if (err) {
      diag_file(c, E0010, str_fmt(a, "%.*s/" MANIFEST, S(d)), "cannot read manifest: %.*s",
                S(diag_errno(a, err)));
      goto out_close_dir;
    }
  }

  Problem *problems = new(a, Problem, s.n + 1 + nowned);
  ptrdiff_t np = 0;
  if (fd >= 0)  // the files' bytes, made ahead on a second thread
    stream = out_stream(c, t, s.files, s.n);
  for (ptrdiff_t i = 0; i <= s.n; i++) {
    Str path = i < s.n ? s.paths[i] : STR(MANIFEST);
    char *cpath = str_cstr(a, path);
    Str data = fd < 0 ? (Str){0} : i < s.n ? out_stream_next(stream) : manifest;
    Compare r = fd < 0 ? ABSENT : compare_file(fd, cpath, data, false);
    if (r == UNREADABLE) {
      int err = errno;
      diag_file(c, E0010, str_fmt(a, "%.*s/%.*s", S(d), S(path)), "cannot read file: %.*s",
                S(diag_errno(a, err)));
      goto out_close_dir;
    }
    if (r != SAME)
      problems[np++] = (Problem){path, r == ABSENT ? "missing" : "differs"};
  }
  if (stream) {
    out_stream_end(stream);
    stream = NULL;
  }
  if (out_failed(c))
    goto out_close_dir;
  // The previous build's files that this one would remove. A file the
  // manifest does not list is the user's, wherever it is.
  for (ptrdiff_t i = 0; i < nowned; i++) {
    struct stat st;
    if (!contains(s.paths, s.n, owned[i]) &&
        fstatat(fd, str_cstr(a, owned[i]), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISDIR(st.st_mode))
      problems[np++] = (Problem){owned[i], "extra"};
  }
  qsort(problems, (size_t)np, sizeof *problems, by_problem_path);
  for (ptrdiff_t i = 0; i < np; i++)
    buf_printf(report, "%s: %.*s\n", problems[i].what, S(problems[i].path));
  result = np ? OUT_DIFFERS : OUT_OK;

out_close_dir:
  if (stream)
    out_stream_end(stream);
  if (fd >= 0)
    close(fd);
  return result;
}
