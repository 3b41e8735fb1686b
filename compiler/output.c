// output.c: the only writer of the output directory. output_write puts an
// OutTree on disk all or nothing; output_check compares one with what is on
// disk, for `build --check`.
//
// All or nothing: after an error every file of DIR is as it was; after a
// kill -9 or a power cut at any moment, DIR is the old tree or the new one
// once the next build (or this one run again) has started. Nothing is ever
// written or removed through a symbolic link inside DIR. Builds beside each
// other take turns: each holds flock(2) on DIR's parent.
//
// A new DIR is written whole as DIR.ecsc-new-XXXXXX beside it (mkdtemp: the
// same file system): its directories first, then its files on every core
// (out_each), flushed with one syncfs(2) and renamed to DIR. A kill leaves
// only the temporary directory, which the next build removes.
//
// An existing DIR is updated in place, and only where it changed, through a
// journal in DIR/.ecsc-update/ (a rebuild after one service changed writes
// that service's files, not a tree of ten thousand):
//
//  1. Finishes an update that a kill interrupted after its commit (step 4),
//     or throws away one that had not reached it.
//  2. Compares every file of the tree with DIR's (other threads make the
//     bytes meanwhile). One that differs, is missing or is not a 0644 regular
//     file is written to .ecsc-update/N. The files the old DIR/.ecsc-manifest
//     lists and the tree does not are to be removed. Every other file in DIR
//     is the user's (a README, backend.hcl, the .terraform/ that `terraform
//     init` makes) and is never touched; one in the way of the tree, or a
//     symbolic link where the tree has a directory, is an error found here,
//     before DIR changes. Nothing to do: done, having written nothing.
//  3. Flushes the staged files (fsync each of the first FSYNC_MAX, syncfs
//     past that), so their bytes are on disk before anything points at them.
//  4. Writes the journal: the removals, then which N goes where, the new
//     manifest last. Renaming it into place is the commit.
//  5. Applies the journal, with SIGINT, SIGTERM, SIGHUP and SIGQUIT held off:
//     removes, renames each N into place (making missing directories),
//     removes directories the removals left empty, flushes, then removes
//     .ecsc-update. Every step can be done twice, so step 1 of the next
//     build finishes a killed one.
//
// A failure before the commit removes the scratch and leaves DIR untouched.
// One after it (an I/O error while renaming) leaves the journal for the next
// build to finish, and says so.
//
// DIR may be a symbolic link to a directory: the directory it names is
// updated and the link stays. Missing parents are made, as mkdir -p makes them.
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST ".ecsc-manifest"
#define MANIFEST_HEADER                                                                   \
  "# Written by ecsc: the files below are ecsc's. The next build replaces or removes " \
  "them and keeps every other file here.\n"
#define UPDATE ".ecsc-update"   // an update's scratch, inside DIR
#define JOURNAL "journal"       // in it: the committed update
#define JOURNAL_HEADER "# ecsc: an update of this directory; the next build finishes it.\n"
#define JOURNAL_END "end\n"

enum { FILE_MODE = 0644, DIR_MODE = 0755 };

// An update that stages up to this many files fsyncs each; past it, one
// syncfs is cheaper. (syncfs flushes all of the file system's dirty data,
// another program's too: after a checkout, seconds for a one-file change.)
enum { FSYNC_MAX = 64 };

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
  if (p.len >= PATH_MAX)
    return "the path is longer than PATH_MAX";
  if (p.ptr[0] == '#')
    return "the path starts with #, which the manifest reads as a comment";
  if (str_eq_c(p, MANIFEST) || str_starts_with(p, STR(MANIFEST "/")))
    return "the path is the manifest's";
  if (str_eq_c(p, UPDATE) || str_starts_with(p, STR(UPDATE "/")))
    return "the path is in ecsc's scratch directory";
  ptrdiff_t start = 0;
  for (ptrdiff_t i = 0; i <= p.len; i++) {
    if (i < p.len && (p.ptr[i] == '\n' || p.ptr[i] == '\r' || p.ptr[i] == 0))
      return "the path contains a line break or NUL";
    if (i < p.len && p.ptr[i] != '/')
      continue;
    Str part = {p.ptr + start, i - start};
    if (part.len == 0)
      return "the path has an empty component";
    if (part.len > NAME_MAX)  // found before the commit, not when renaming
      return "a component of the path is longer than NAME_MAX";
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

//
// output_write
//

typedef struct {
  Compilation *c;
  Str dir;           // DIR as the user wrote it, for messages
  OutTree *out;      // what to write: its files' bytes are made one at a time
  Sorted tree;
  Str *owned;        // the old manifest's paths, sorted
  ptrdiff_t nowned;
  char *parent;      // DIR's parent, resolved
  int parentfd;      // the same, open: the lock, and where a new DIR is renamed
  int dirfd;         // DIR, when it exists
  int stagefd;       // the new tree (a new DIR), or DIR/.ecsc-update (an update)
  ptrdiff_t nstaged; // files in .ecsc-update, named 0, 1, ...
  dev_t dev;         // DIR's file system: an update renames within it
  char base[NAME_MAX + 1];   // DIR's name in its parent
  char temp[NAME_MAX + 1];   // a new DIR's temporary name in the parent
  mode_t umask;              // the process's, to skip chmods it makes needless
  Diag *io_failure;          // the last failure of the file system, if any
} Writer;

// Reports a failure about DIR/rel (DIR itself when rel is empty).
static void fail(Writer *w, const char *rel, const char *what, int err) {
  Str path = *rel ? str_fmt(&w->c->arena, "%.*s/%s", S(w->dir), rel) : w->dir;
  w->io_failure =
      diag_file(w->c, E0008, path, "%s: %.*s", what, S(diag_errno(&w->c->arena, err)));
}

// Reports something of the user's in the tree's way at DIR/rel.
static void in_the_way(Writer *w, const char *rel, const char *what, const char *help) {
  Str path = str_fmt(&w->c->arena, "%.*s/%s", S(w->dir), rel);
  Diag *d = diag_file(w->c, E0009, path, "%s", what);
  diag_help(w->c, d, "%s", help);
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
    diag_file(w->c, E0008, w->dir, "cannot write this directory: it has no usable name");
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

static bool has_prefix(const char *s, const char *base, const char *suffix) {
  size_t n = strlen(base), m = strlen(suffix);
  return strncmp(s, base, n) == 0 && strncmp(s + n, suffix, m) == 0;
}

// Removes the DIR.ecsc-new-* a killed build of a new DIR left.
static bool tidy(Writer *w) {
  int fd = dup(w->parentfd);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) {
    if (fd >= 0)
      close(fd);
    fail(w, "", "cannot read the output directory's parent", errno);
    return false;
  }
  struct dirent *e;
  while ((e = readdir(d)))
    if (has_prefix(e->d_name, w->base, ".ecsc-new-"))
      remove_tree(w->parentfd, e->d_name, true);  // what stays is tried next time
  closedir(d);
  return true;
}

// How much of dir (a file's directory in the tree) names directories already
// seen with prev, the previous file's directory: sorted paths share their
// leading directories, which are made, or checked, once.
static ptrdiff_t seen_dirs(Str dir, Str prev) {
  ptrdiff_t k = 0;
  while (k < dir.len && k < prev.len && dir.ptr[k] == prev.ptr[k])
    k++;
  bool dir_ends = k == dir.len || dir.ptr[k] == '/';
  bool prev_ends = k == prev.len || prev.ptr[k] == '/';
  if (!(dir_ends && prev_ends)) {
    while (k > 0 && dir.ptr[k - 1] != '/')
      k--;
    return k;
  }
  return k == 0 ? 0 : k + 1;
}

// Makes the directories above path (NUL-terminated, below dirfd) from byte
// `from` on; those that exist are fine.
static bool make_dirs(Writer *w, int dirfd, char *path, ptrdiff_t from) {
  for (char *p = strchr(path + from, '/'); p; p = strchr(p + 1, '/')) {
    *p = 0;
    int r = mkdirat(dirfd, path, DIR_MODE);
    int err = errno;
    if (r == 0 && w->umask & DIR_MODE)
      r = fchmodat(dirfd, path, DIR_MODE, 0), err = errno;
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

// Creates the file name below dirfd with data, flushed to disk if `sync`.
// Returns 0 or an errno; safe on any thread.
static int create_file(const Writer *w, int dirfd, const char *name, Str data, bool sync) {
  int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
  if (fd < 0)
    return errno;
  bool ok = (!(w->umask & FILE_MODE) || fchmod(fd, FILE_MODE) == 0) && write_all(fd, data) &&
            (!sync || fsync(fd) == 0);
  int err = ok ? 0 : errno;
  if (close(fd) != 0 && !err)
    err = errno;
  return err;
}

// create_file, reported on DIR/rel.
static bool write_file(Writer *w, int dirfd, const char *name, const char *rel, Str data,
                       bool sync) {
  int err = create_file(w, dirfd, name, data, sync);
  if (err)
    fail(w, rel, "cannot write file", err);
  return !err;
}

//
// A new DIR
//

// One file of a new DIR, on a maker's thread: the first failure is kept for
// the caller to report (diagnostics are not thread-safe).
typedef struct {
  Writer *w;
  pthread_mutex_t lock;
  int err;
  Str path;
} NewFiles;

static bool write_new_file(void *ctx, const OutFile *f, Str data) {
  NewFiles *nf = ctx;
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%.*s", S(f->path));  // sort_tree refused longer ones
  int err = create_file(nf->w, nf->w->stagefd, path, data, false);
  if (err) {
    pthread_mutex_lock(&nf->lock);
    if (!nf->err)
      nf->err = err, nf->path = f->path;
    pthread_mutex_unlock(&nf->lock);
  }
  return !err;
}

// The directories first, here, then the files on every core: making a file
// and writing it are each about half of a new DIR's cost.
static bool write_new_files(Writer *w) {
  Str prev = STR("");  // not {0}: comparisons would memcmp NULL
  for (ptrdiff_t i = 0; i < w->tree.n; i++) {
    char *path = str_cstr(&w->c->arena, w->tree.paths[i]);
    char *slash = strrchr(path, '/');
    Str dir = {path, slash ? slash - path : 0};
    if (!str_eq(dir, prev) && !make_dirs(w, w->stagefd, path, seen_dirs(dir, prev)))
      return false;
    prev = dir;
  }
  NewFiles nf = {.w = w};
  pthread_mutex_init(&nf.lock, NULL);
  bool ok = out_each(w->c, w->out, w->tree.files, w->tree.n, write_new_file, &nf);
  pthread_mutex_destroy(&nf.lock);
  if (out_failed(w->c))
    return false;
  if (!ok)
    fail(w, str_cstr(&w->c->arena, nf.path), "cannot write file", nf.err);
  return ok;
}

static bool write_new(Writer *w) {
  char path[PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/%s.ecsc-new-XXXXXX", w->parent, w->base);
  if (n >= (int)sizeof path || !mkdtemp(path)) {
    fail(w, "", "cannot create a temporary directory beside the output directory",
         n >= (int)sizeof path ? ENAMETOOLONG : errno);
    return false;
  }
  snprintf(w->temp, sizeof w->temp, "%s", strrchr(path, '/') + 1);
  bool ok = false;
  w->stagefd = openat(w->parentfd, w->temp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (w->stagefd < 0) {
    fail(w, "", "cannot open a temporary directory beside the output directory", errno);
    goto out_remove;
  }
  if (!write_new_files(w) ||
      !write_file(w, w->stagefd, MANIFEST, MANIFEST, manifest_text(&w->c->arena, &w->tree),
                  false))
    goto out_remove;
  // One flush instead of an fsync per file: after a power cut, DIR never
  // names files whose bytes were lost.
  if (fchmod(w->stagefd, DIR_MODE) != 0 || syncfs(w->stagefd) != 0) {
    fail(w, "", "cannot write output directory", errno);
    goto out_remove;
  }
  if (renameat(w->parentfd, w->temp, w->parentfd, w->base) != 0) {
    fail(w, "", "cannot create output directory", errno);
    goto out_remove;
  }
  fsync(w->parentfd);  // the rename itself survives a power cut
  ok = true;
out_remove:
  if (w->stagefd >= 0)
    close(w->stagefd);
  if (!ok)
    remove_tree(w->parentfd, w->temp, true);
  return ok;
}

//
// An update of DIR in place
//

// Opens the directory above path (NUL-terminated, relative to DIR) one
// component at a time and never through a symbolic link, so that no journal,
// however stale or corrupt, and no link a user put in DIR, can make an update
// write or remove outside DIR. Makes missing directories when `make`. Returns
// an fd to close, *leaf pointing into path at the last component; or -1 with
// errno ENOENT (missing), ELOOP (a symbolic link) or ENOTDIR (a file).
static int open_parent(Writer *w, char *path, bool make, const char **leaf) {
  int fd = openat(w->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char *part = path;
  for (char *slash = strchr(part, '/'); fd >= 0 && slash; slash = strchr(part, '/')) {
    *slash = 0;
    if (make && mkdirat(fd, part, DIR_MODE) == 0 && w->umask & DIR_MODE)
      fchmodat(fd, part, DIR_MODE, 0);
    int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    *slash = '/';
    close(fd);
    fd = next;
    errno = err;
    part = slash + 1;
  }
  *leaf = part;
  return fd;
}

// Removes DIR/path's directories left empty, deepest first.
static void remove_empty_dirs(Writer *w, char *path) {
  for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
    *slash = 0;
    const char *leaf;
    int fd = open_parent(w, path, false, &leaf);
    bool removed = fd >= 0 && unlinkat(fd, leaf, AT_REMOVEDIR) == 0;
    if (fd >= 0)
      close(fd);
    if (!removed)
      break;
  }
}

// Does what one line of a committed journal says; done twice, the second
// time does nothing. A line no build writes is refused rather than guessed
// at. sync: flush the directory changed.
static bool apply_line(Writer *w, Str line, bool sync) {
  Arena *a = &w->c->arena;
  bool del = str_starts_with(line, STR("del "));
  ptrdiff_t sp = 4;
  if (!del && str_starts_with(line, STR("put ")))
    while (sp < line.len && line.ptr[sp] >= '0' && line.ptr[sp] <= '9')
      sp++;
  else if (!del)
    goto out_other;
  Str rel = del ? (Str){line.ptr + 4, line.len - 4} : (Str){line.ptr + sp + 1, line.len - sp - 1};
  if (!del && (sp == 4 || sp >= line.len || line.ptr[sp] != ' '))
    goto out_bad;
  if (bad_path(rel) && (del || !str_eq_c(rel, MANIFEST)))
    goto out_bad;
  char *path = str_cstr(a, rel);
  const char *leaf;
  int fd = open_parent(w, path, !del, &leaf);
  if (fd < 0 && del && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
    return true;  // gone, or below a link: not ecsc's to remove
  if (fd < 0) {
    fail(w, path, "cannot write file", errno);
    return false;
  }
  bool ok = true;
  struct stat st;
  if (del) {
    // A directory: a later line made it, in a run that was cut short.
    if (fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
        unlinkat(fd, leaf, 0) != 0 && errno != ENOENT)
      ok = false, fail(w, path, "cannot remove file", errno);
  } else {
    char *staged = str_cstr(a, (Str){line.ptr + 4, sp - 4});
    if (renameat(w->stagefd, staged, fd, leaf) != 0 && errno != ENOENT)  // ENOENT: done
      ok = false, fail(w, path, "cannot write file", errno);
  }
  if (ok && sync && fsync(fd) != 0)
    ok = false, fail(w, path, "cannot write file", errno);
  close(fd);
  return ok;
out_other:
  if (line.len == 0 || line.ptr[0] == '#' || str_eq_c(line, "end"))
    return true;
out_bad:
  w->io_failure = diag_file(
      w->c, E0008, str_fmt(a, "%.*s/" UPDATE "/" JOURNAL, S(w->dir)),
      "the journal of an interrupted build has a line ecsc does not write: \"%.*s\"", S(line));
  return false;
}

// Removes the scratch, its journal first: a scratch half removed is then one
// that was never committed.
static bool discard(Writer *w) {
  if (w->stagefd >= 0) {
    unlinkat(w->stagefd, JOURNAL, 0);
    close(w->stagefd);
    w->stagefd = -1;
  }
  int err = remove_tree(w->dirfd, UPDATE, false);
  if (err)
    fail(w, UPDATE, "cannot remove ecsc's scratch directory", err);
  return !err;
}

// The journal's lines, one at a time: *i is where the next starts.
static bool next_line(Str text, ptrdiff_t *i, Str *line) {
  if (*i >= text.len)
    return false;
  ptrdiff_t j = *i;
  while (j < text.len && text.ptr[j] != '\n')
    j++;
  *line = (Str){text.ptr + *i, j - *i};
  *i = j + 1;
  return true;
}

// Applies a journal and removes the scratch. A journal without its last line
// was never committed: the scratch goes and DIR stays as it is. Directories
// emptied by removals go last, so that one emptied and filled again stays
// the same directory, and a replay removes those a kill left behind.
static bool apply(Writer *w, Str journal) {
  Str end = STR("\n" JOURNAL_END);
  bool committed = journal.len >= end.len &&
                   memcmp(journal.ptr + journal.len - end.len, end.ptr, (size_t)end.len) == 0;
  ptrdiff_t changes = 0, i = 0;
  Str line;
  while (committed && next_line(journal, &i, &line))
    changes += str_starts_with(line, STR("put ")) || str_starts_with(line, STR("del "));
  bool sync_each = changes <= FSYNC_MAX;  // else one syncfs at the end
  for (i = 0; committed && next_line(journal, &i, &line);) {
    if (!apply_line(w, line, sync_each)) {
      if (w->io_failure)
        diag_help(w->c, w->io_failure,
                  "the update is half done; the next ecsc build -o %.*s finishes it", S(w->dir));
      return false;
    }
  }
  for (i = 0; committed && next_line(journal, &i, &line);)
    if (str_starts_with(line, STR("del ")))
      remove_empty_dirs(w, str_cstr(&w->c->arena, (Str){line.ptr + 4, line.len - 4}));
  if (committed && !sync_each && syncfs(w->dirfd) != 0) {
    fail(w, "", "cannot write output directory", errno);
    return false;
  }
  return discard(w);
}

// Step 1: finishes or throws away what a killed update left.
static bool recover(Writer *w) {
  Str journal = {0};
  int err = read_file(&w->c->arena, w->dirfd, UPDATE "/" JOURNAL, &journal);
  if (err && err != ENOENT && err != ENOTDIR) {
    fail(w, UPDATE "/" JOURNAL, "cannot read the journal of an interrupted build", err);
    return false;
  }
  w->stagefd = openat(w->dirfd, UPDATE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (w->stagefd < 0 && errno == ENOENT)
    return true;
  if (w->stagefd < 0 && errno != ENOTDIR && errno != ELOOP) {
    fail(w, UPDATE, "cannot open ecsc's scratch directory", errno);
    return false;
  }
  return w->stagefd < 0 ? discard(w) : apply(w, journal);  // not a directory: removed
}

// Whether DIR/prefix (NUL-terminated) can be a directory of the tree: it is
// one, on DIR's file system; it is missing, which *missing says; or it is a
// file the update removes. Anything else is reported.
static bool check_dir(Writer *w, const char *prefix, bool *missing) {
  struct stat st;
  if (fstatat(w->dirfd, prefix, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      fail(w, prefix, "cannot read directory", errno);
      return false;
    }
    *missing = true;
    return true;
  }
  if (S_ISDIR(st.st_mode) && st.st_dev == w->dev)
    return true;
  if (S_ISDIR(st.st_mode)) {
    diag_file(w->c, E0008, str_fmt(&w->c->arena, "%.*s/%s", S(w->dir), prefix),
              "cannot write below a mount point: ecsc renames files into place within one "
              "file system");
    return false;
  }
  Str p = str_c(prefix);
  if (contains(w->owned, w->nowned, p) && !contains(w->tree.paths, w->tree.n, p)) {
    *missing = true;  // the previous build's file, removed first
    return true;
  }
  in_the_way(w, prefix,
             S_ISLNK(st.st_mode) ? "a symbolic link not written by ecsc is in the way"
                                 : "a file not written by ecsc is in the way",
             "ecsc now writes files below this path; move it away");
  return false;
}

// Checks the directories above path (NUL-terminated) from byte `from` on.
static bool check_dirs(Writer *w, char *path, ptrdiff_t from) {
  bool missing = false, ok = true;
  for (char *p = strchr(path + from, '/'); p && ok && !missing; p = strchr(p + 1, '/')) {
    *p = 0;
    ok = check_dir(w, path, &missing);
    *p = '/';
  }
  return ok;
}

// Makes DIR/.ecsc-update, on the first file that needs it: an update that
// finds nothing to do leaves DIR as it was, to its modification time.
static bool scratch(Writer *w) {
  if (mkdirat(w->dirfd, UPDATE, 0700) != 0 ||
      (w->stagefd = openat(w->dirfd, UPDATE, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
    fail(w, UPDATE, "cannot create ecsc's scratch directory", errno);
    return false;
  }
  return true;
}

// Whether the update may create, replace or remove DIR/path: the nearest
// directory above it that exists is writable. Checked before the commit, as
// renaming into a directory the user made read-only would fail halfway.
static bool can_change(Writer *w, const char *path) {
  char *dir = str_cstr(&w->c->arena, str_c(path));
  for (char *slash = strrchr(dir, '/');; slash = strrchr(dir, '/')) {
    if (slash)
      *slash = 0;
    const char *at = slash ? dir : ".";
    struct stat st;  // not a directory: a previous build's file, removed first
    if (fstatat(w->dirfd, at, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
      if (faccessat(w->dirfd, at, W_OK | X_OK, AT_EACCESS) == 0)
        return true;
      fail(w, slash ? dir : "", "cannot write in directory", errno);
      return false;
    }
    if (!slash)
      return true;  // DIR itself vanished: the rename reports it
  }
}

// Step 2 for one file: stages it unless DIR holds its bytes. journal gets
// its "put" line.
static bool stage_file(Writer *w, const char *path, Str data, Buf *journal) {
  Compare r = compare_file(w->dirfd, path, data, true);
  if (r == SAME)
    return true;
  if (r == UNREADABLE && errno != EACCES) {  // one we may not read is replaced
    fail(w, path, "cannot read file", errno);
    return false;
  }
  if (!can_change(w, path))
    return false;
  struct stat st;
  if (fstatat(w->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
    in_the_way(w, path, "a directory not written by ecsc is in the way",
               "ecsc now writes a file at this path; move the directory away");
    return false;
  }
  if (r != ABSENT && strcmp(path, MANIFEST) != 0 && !contains(w->owned, w->nowned, str_c(path))) {
    in_the_way(w, path, "a file not written by ecsc is in the way",
               "ecsc now writes a file at this path; move yours away");
    return false;
  }
  char name[32];
  snprintf(name, sizeof name, "%td", w->nstaged++);
  if ((w->stagefd < 0 && !scratch(w)) ||
      !write_file(w, w->stagefd, name, path, data, w->nstaged <= FSYNC_MAX))
    return false;
  buf_printf(journal, "put %s %s\n", name, path);
  return true;
}

// Step 2: the tree's files that differ from DIR's, staged; the journal's
// "put" lines in puts. Every conflict is reported, not only the first.
static bool stage(Writer *w, Buf *puts) {
  Str prev = STR("");
  OutStream *stream = out_stream(w->c, w->out, w->tree.files, w->tree.n);
  bool ok = true;
  for (ptrdiff_t i = 0; !w->io_failure && i < w->tree.n; i++) {
    char *path = str_cstr(&w->c->arena, w->tree.paths[i]);
    char *slash = strrchr(path, '/');
    Str dir = {path, slash ? slash - path : 0};
    bool dirs_ok = str_eq(dir, prev) || check_dirs(w, path, seen_dirs(dir, prev));
    prev = dir;
    Str data = out_stream_next(stream);
    if (!dirs_ok) {
      ok = false;
      continue;
    }
    ok = stage_file(w, path, data, puts) && ok;
  }
  out_stream_end(stream);
  if (!ok || out_failed(w->c))
    return false;
  Str manifest = manifest_text(&w->c->arena, &w->tree);
  return stage_file(w, MANIFEST, manifest, puts);
}

// Step 2's other half: "del" lines for the previous build's files that the
// tree no longer has. One that is gone, or is a directory now, is not ecsc's
// to remove.
static bool removals(Writer *w, Buf *journal) {
  bool ok = true;
  for (ptrdiff_t i = 0; i < w->nowned; i++) {
    struct stat st;
    char *path = str_cstr(&w->c->arena, w->owned[i]);
    if (!contains(w->tree.paths, w->tree.n, w->owned[i]) &&
        fstatat(w->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
      ok = can_change(w, path) && ok;
      buf_printf(journal, "del %s\n", path);
    }
  }
  return ok;
}

// Step 4: the journal, on disk before its name is: the commit.
static bool commit(Writer *w, Str journal) {
  int fd = openat(w->stagefd, JOURNAL ".tmp", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && write_all(fd, journal) && fsync(fd) == 0;
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok)
    ok = false, err = errno;
  if (ok && renameat(w->stagefd, JOURNAL ".tmp", w->stagefd, JOURNAL) != 0)
    ok = false, err = errno;
  if (ok && (fsync(w->stagefd) != 0 || fsync(w->dirfd) != 0))
    ok = false, err = errno;
  if (!ok)
    fail(w, UPDATE "/" JOURNAL, "cannot write the update's journal", err);
  return ok;
}

static bool update(Writer *w) {
  Arena *a = &w->c->arena;
  struct stat st;
  if (fstat(w->dirfd, &st) != 0) {
    fail(w, "", "cannot open output directory", errno);
    return false;
  }
  w->dev = st.st_dev;
  if (!recover(w))
    return false;
  int err = read_manifest(a, w->dirfd, &w->owned, &w->nowned);
  if (err) {
    fail(w, MANIFEST, "cannot read manifest", err);
    return false;
  }
  Buf journal = {.arena = a}, puts = {.arena = a};
  buf_puts(&journal, JOURNAL_HEADER);
  ptrdiff_t header = journal.len;
  bool ok = stage(w, &puts);
  ok = (!w->io_failure && removals(w, &journal)) && ok;
  if (ok && journal.len == header && puts.len == 0)
    return true;  // DIR is the tree already: nothing was written
  buf_put(&journal, buf_str(&puts));  // the manifest last
  buf_puts(&journal, JOURNAL_END);
  if (ok && w->stagefd < 0 && !scratch(w))  // removals only
    ok = false;
  if (ok && w->nstaged > FSYNC_MAX && syncfs(w->stagefd) != 0) {
    fail(w, UPDATE, "cannot write output directory", errno);
    ok = false;
  }
  if (!ok || !commit(w, buf_str(&journal))) {
    if (w->stagefd >= 0)
      discard(w);
    return false;
  }
  // Step 5: a signal now would leave the journal to the next build; held
  // off, it ends the process once the update is whole.
  sigset_t hold, old;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  sigaddset(&hold, SIGTERM);
  sigaddset(&hold, SIGHUP);
  sigaddset(&hold, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &hold, &old);
  ok = apply(w, buf_str(&journal));
  if (w->stagefd >= 0)  // left open by a failure, with the journal
    close(w->stagefd), w->stagefd = -1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return ok;
}

// Finds DIR and takes the lock; w->dirfd is DIR, or -1 when it is new.
static bool start(Writer *w, Compilation *c, OutTree *t, const char *dir) {
  *w = (Writer){.c = c, .out = t, .parentfd = -1, .dirfd = -1, .stagefd = -1};
  w->umask = umask(0);  // only read: there is no other way
  umask(w->umask);
  w->dir = str_c(dir);
  while (w->dir.len > 1 && w->dir.ptr[w->dir.len - 1] == '/')
    w->dir.len--;
  if ((t && !sort_tree(c, t, w->dir, &w->tree)) || !locate(w))
    return false;
  // Blocks while another build writes beside DIR. Where the file system has
  // no locks (some NFS setups), builds go ahead unserialized.
  while (flock(w->parentfd, LOCK_EX) != 0 && errno == EINTR)
    continue;
  if (!tidy(w))
    return false;
  w->dirfd = openat(w->parentfd, w->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w->dirfd < 0 && errno != ENOENT) {
    fail(w, "", "cannot open output directory", errno);
    return false;
  }
  return true;
}

static OutResult finish(Writer *w, bool ok) {
  if (w->dirfd >= 0)
    close(w->dirfd);
  if (w->parentfd >= 0)
    close(w->parentfd);  // and with it the lock
  return ok ? OUT_OK : OUT_FAILED;
}

OutResult output_write(Compilation *c, OutTree *t, const char *dir) {
  Writer w;
  bool ok = start(&w, c, t, dir) && (w.dirfd >= 0 ? update(&w) : write_new(&w));
  return finish(&w, ok);
}

OutResult output_recover(Compilation *c, const char *dir) {
  Writer w;
  bool ok = start(&w, c, NULL, dir);
  struct stat st;
  if (ok && w.dirfd >= 0 && fstat(w.dirfd, &st) == 0) {
    w.dev = st.st_dev;
    ok = recover(&w);
  }
  return finish(&w, ok);
}

//
// output_check
//

typedef struct {
  Str path;
  const char *what;  // "missing", "differs", "extra", "unfinished"
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

  Problem *problems = new(a, Problem, s.n + 2 + nowned);
  ptrdiff_t np = 0;
  // A build killed after its commit: DIR is neither tree until the next
  // build finishes it.
  struct stat st;
  if (fd >= 0 && fstatat(fd, UPDATE "/" JOURNAL, &st, AT_SYMLINK_NOFOLLOW) == 0)
    problems[np++] = (Problem){STR(UPDATE "/" JOURNAL), "unfinished"};
  if (fd >= 0)  // the files' bytes, made ahead on other threads
    stream = out_stream(c, t, s.files, s.n);
  for (ptrdiff_t i = 0; i <= s.n; i++) {
    Str path = i < s.n ? s.paths[i] : STR(MANIFEST);
    char *cpath = str_cstr(a, path);
    Str data = fd < 0 ? (Str){0} : i < s.n ? out_stream_next(stream) : manifest;
    Compare r = fd < 0 ? ABSENT : compare_file(fd, cpath, data, true);
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
