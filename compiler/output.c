// output.c: the output writer. output_write puts an OutTree on disk all or
// nothing, as a new DIR or as an update of DIR in place; output_check
// compares one with what is on disk, for `build --check`. The file
// primitives are fileio.c's, the journal journal.c's, and the files' bytes
// are made by makers.c's threads.
//
// All or nothing: after an error every file of DIR is as it was; after a
// kill -9 or a power cut at any moment, DIR is the old tree or the new one
// once the next build (or this one run again) has started. Nothing is ever
// written or removed through a symbolic link inside DIR. Builds beside each
// other take turns: each holds flock(2) on DIR's parent.
//
// A new DIR is written whole as DIR.ecsc-new-XXXXXX beside it (mkdtemp: the
// same file system): its directories first, then its files on every core
// (makers_each), flushed with one syncfs(2) and renamed to DIR. A kill leaves
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
//  3. Flushes the staged files (fsync each of the first OUTPUT_FSYNC_MAX,
//     syncfs past that), so their bytes are on disk before anything points at them.
//  4. Writes the journal (journal.c): the removals, then which N goes where,
//     the new manifest last. Renaming it into place is the commit.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST OUTPUT_MANIFEST
#define MANIFEST_HEADER                                                                   \
  "# Written by ecsc: the files below are ecsc's. The next build replaces or removes " \
  "them and keeps every other file here.\n"

//
// The tree's paths
//

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
    const char *why = fileio_bad_path(t->files[i].path);
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
// The manifest
//

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
    if (line.len && line.ptr[0] != '#' && !fileio_bad_path(line))
      (*paths)[(*n)++] = line;
    i = j + 1;
  }
  qsort(*paths, (size_t)*n, sizeof **paths, by_str);
}

// Reads DIR's manifest: returns 0 (no manifest is an empty one) or an errno.
static int read_manifest(Arena *a, int dirfd, Str **paths, ptrdiff_t *n) {
  Str text = {0};
  int err = fileio_read(a, dirfd, MANIFEST, &text);
  if (err == ENOENT)
    text = (Str){0};
  else if (err)
    return err;
  parse_manifest(a, text, paths, n);
  return 0;
}

//
// output_write
//

typedef struct {
  OutDir d;          // DIR: its descriptors, and where failures are reported
  OutTree *out;      // what to write: its files' bytes are made one at a time
  Sorted tree;
  Str *owned;        // the old manifest's paths, sorted
  ptrdiff_t nowned;
  char *parent;      // DIR's parent, resolved
  int parentfd;      // the same, open: the lock, and where a new DIR is renamed
  ptrdiff_t nstaged; // files in .ecsc-update, named 0, 1, ...
  dev_t dev;         // DIR's file system: an update renames within it
  char base[NAME_MAX + 1];   // DIR's name in its parent
  char temp[NAME_MAX + 1];   // a new DIR's temporary name in the parent
} Writer;

// Reports a failure about DIR/rel (DIR itself when rel is empty).
static void fail(Writer *w, const char *rel, const char *what, int err) {
  fileio_fail(&w->d, rel, what, err);
}

// Reports something of the user's in the tree's way at DIR/rel.
static void in_the_way(Writer *w, const char *rel, const char *what, const char *help) {
  Str path = str_fmt(&w->d.c->arena, "%.*s/%s", S(w->d.dir), rel);
  Diag *d = diag_file(w->d.c, E0009, path, "%s", what);
  diag_help(w->d.c, d, "%s", help);
}

// DIR without trailing slashes, resolved through symbolic links; split into
// its parent (opened into w->parentfd) and its name.
static bool locate(Writer *w) {
  Arena *a = &w->d.c->arena;
  char *d = str_cstr(a, w->d.dir);
  char resolved[PATH_MAX];
  struct stat st;
  Str full;
  if (realpath(d, resolved)) {
    if (stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
      diag_file(w->d.c, E0008, w->d.dir, "output path is not a directory");
      return false;
    }
    full = str_c(resolved);
  } else if (errno == ENOENT && lstat(d, &st) != 0) {
    // DIR is new: resolve its parent, made first if missing (as mkdir -p;
    // an empty directory is all a failed build can leave behind).
    char *slash = strrchr(d, '/');
    Str parent = slash == d ? STR("/") : slash ? (Str){d, slash - d} : STR(".");
    Str name = str_c(slash ? slash + 1 : d);
    fileio_make_parents(str_cstr(a, parent));
    if (!realpath(str_cstr(a, parent), resolved)) {
      diag_file(w->d.c, E0008, parent, "cannot open the output directory's parent: %.*s",
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
    diag_file(w->d.c, E0008, w->d.dir, "cannot write this directory: it has no usable name");
    return false;
  }
  memcpy(w->base, name.ptr, (size_t)name.len);
  w->base[name.len] = 0;
  Str parent = slash == 0 ? STR("/") : (Str){full.ptr, slash};
  w->parent = str_cstr(a, parent);
  w->parentfd = open(w->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w->parentfd < 0) {
    diag_file(w->d.c, E0008, parent, "cannot open the output directory's parent: %.*s",
              S(diag_errno(a, errno)));
    return false;
  }
  return true;
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
      fileio_remove_tree(w->parentfd, e->d_name, true);  // what stays is tried next time
  closedir(d);
  return true;
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
  int err = fileio_create(&nf->w->d, nf->w->d.stagefd, path, data, false);
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
    char *path = str_cstr(&w->d.c->arena, w->tree.paths[i]);
    char *slash = strrchr(path, '/');
    Str dir = {path, slash ? slash - path : 0};
    if (!str_eq(dir, prev) && !fileio_make_dirs(&w->d, w->d.stagefd, path, fileio_seen_dirs(dir, prev)))
      return false;
    prev = dir;
  }
  NewFiles nf = {.w = w};
  pthread_mutex_init(&nf.lock, NULL);
  bool ok = makers_each(w->d.c, w->out, w->tree.files, w->tree.n, write_new_file, &nf);
  pthread_mutex_destroy(&nf.lock);
  if (emit_failed(w->d.c))
    return false;
  if (!ok)
    fail(w, str_cstr(&w->d.c->arena, nf.path), "cannot write file", nf.err);
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
  w->d.stagefd = openat(w->parentfd, w->temp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (w->d.stagefd < 0) {
    fail(w, "", "cannot open a temporary directory beside the output directory", errno);
    goto out_remove;
  }
  if (!write_new_files(w) ||
      !fileio_write(&w->d, w->d.stagefd, MANIFEST, MANIFEST, manifest_text(&w->d.c->arena, &w->tree),
                  false))
    goto out_remove;
  // One flush instead of an fsync per file: after a power cut, DIR never
  // names files whose bytes were lost.
  if (fchmod(w->d.stagefd, FILEIO_DIR_MODE) != 0 || syncfs(w->d.stagefd) != 0) {
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
  if (w->d.stagefd >= 0)
    close(w->d.stagefd);
  if (!ok)
    fileio_remove_tree(w->parentfd, w->temp, true);
  return ok;
}

//
// An update of DIR in place
//

// Whether DIR/prefix (NUL-terminated) can be a directory of the tree: it is
// one, on DIR's file system; it is missing, which *missing says; or it is a
// file the update removes. Anything else is reported.
static bool check_dir(Writer *w, const char *prefix, bool *missing) {
  struct stat st;
  if (fstatat(w->d.dirfd, prefix, &st, AT_SYMLINK_NOFOLLOW) != 0) {
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
    diag_file(w->d.c, E0008, str_fmt(&w->d.c->arena, "%.*s/%s", S(w->d.dir), prefix),
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

// Whether the update may create, replace or remove DIR/path: the nearest
// directory above it that exists is writable. Checked before the commit, as
// renaming into a directory the user made read-only would fail halfway.
static bool can_change(Writer *w, const char *path) {
  char *dir = str_cstr(&w->d.c->arena, str_c(path));
  for (char *slash = strrchr(dir, '/');; slash = strrchr(dir, '/')) {
    if (slash)
      *slash = 0;
    const char *at = slash ? dir : ".";
    struct stat st;  // not a directory: a previous build's file, removed first
    if (fstatat(w->d.dirfd, at, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
      if (faccessat(w->d.dirfd, at, W_OK | X_OK, AT_EACCESS) == 0)
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
static bool stage_file(Writer *w, const char *path, Str data, Journal *journal) {
  FileCompare r = fileio_compare(w->d.dirfd, path, data, true);
  if (r == FILE_SAME)
    return true;
  if (r == FILE_UNREADABLE && errno != EACCES) {  // one we may not read is replaced
    fail(w, path, "cannot read file", errno);
    return false;
  }
  if (!can_change(w, path))
    return false;
  struct stat st;
  if (fstatat(w->d.dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
    in_the_way(w, path, "a directory not written by ecsc is in the way",
               "ecsc now writes a file at this path; move the directory away");
    return false;
  }
  if (r != FILE_ABSENT && strcmp(path, MANIFEST) != 0 && !contains(w->owned, w->nowned, str_c(path))) {
    in_the_way(w, path, "a file not written by ecsc is in the way",
               "ecsc now writes a file at this path; move yours away");
    return false;
  }
  char name[32];
  ptrdiff_t n = w->nstaged++;
  snprintf(name, sizeof name, "%td", n);
  if ((w->d.stagefd < 0 && !journal_scratch(&w->d)) ||
      !fileio_write(&w->d, w->d.stagefd, name, path, data, w->nstaged <= OUTPUT_FSYNC_MAX))
    return false;
  journal_put(journal, n, path);
  return true;
}

// Step 2: the tree's files that differ from DIR's, staged; the journal's
// "put" lines in j. Every conflict is reported, not only the first.
static bool stage(Writer *w, Journal *j) {
  Str prev = STR("");
  MakerStream *stream = makers_stream(w->d.c, w->out, w->tree.files, w->tree.n);
  bool ok = true;
  for (ptrdiff_t i = 0; !w->d.io_failure && i < w->tree.n; i++) {
    char *path = str_cstr(&w->d.c->arena, w->tree.paths[i]);
    char *slash = strrchr(path, '/');
    Str dir = {path, slash ? slash - path : 0};
    bool dirs_ok = str_eq(dir, prev) || check_dirs(w, path, fileio_seen_dirs(dir, prev));
    prev = dir;
    Str data = makers_next(stream);
    if (!dirs_ok) {
      ok = false;
      continue;
    }
    ok = stage_file(w, path, data, j) && ok;
  }
  makers_end(stream);
  if (!ok || emit_failed(w->d.c))
    return false;
  Str manifest = manifest_text(&w->d.c->arena, &w->tree);
  return stage_file(w, MANIFEST, manifest, j);
}

// Step 2's other half: "del" lines for the previous build's files that the
// tree no longer has. One that is gone, or is a directory now, is not ecsc's
// to remove.
static bool removals(Writer *w, Journal *j) {
  bool ok = true;
  for (ptrdiff_t i = 0; i < w->nowned; i++) {
    struct stat st;
    char *path = str_cstr(&w->d.c->arena, w->owned[i]);
    if (!contains(w->tree.paths, w->tree.n, w->owned[i]) &&
        fstatat(w->d.dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
      ok = can_change(w, path) && ok;
      journal_del(j, path);
    }
  }
  return ok;
}

static bool update(Writer *w) {
  Arena *a = &w->d.c->arena;
  struct stat st;
  if (fstat(w->d.dirfd, &st) != 0) {
    fail(w, "", "cannot open output directory", errno);
    return false;
  }
  w->dev = st.st_dev;
  if (!journal_recover(&w->d))
    return false;
  int err = read_manifest(a, w->d.dirfd, &w->owned, &w->nowned);
  if (err) {
    fail(w, MANIFEST, "cannot read manifest", err);
    return false;
  }
  Journal j;
  journal_init(&j, a);
  bool ok = stage(w, &j);
  ok = (!w->d.io_failure && removals(w, &j)) && ok;
  if (ok && journal_is_empty(&j))
    return true;  // DIR is the tree already: nothing was written
  if (ok && w->d.stagefd < 0 && !journal_scratch(&w->d))  // removals only
    ok = false;
  if (ok && w->nstaged > OUTPUT_FSYNC_MAX && syncfs(w->d.stagefd) != 0) {
    fail(w, OUTPUT_SCRATCH, "cannot write output directory", errno);
    ok = false;
  }
  if (!ok || !journal_commit(&w->d, &j)) {
    if (w->d.stagefd >= 0)
      journal_discard(&w->d);
    return false;
  }
  return journal_apply(&w->d, &j);  // step 5
}

// Finds DIR and takes the lock; w->d.dirfd is DIR, or -1 when it is new.
static bool start(Writer *w, Compilation *c, OutTree *t, const char *dir) {
  *w = (Writer){.d = {.c = c, .dirfd = -1, .stagefd = -1}, .out = t, .parentfd = -1};
  w->d.umask = umask(0);  // only read: there is no other way
  umask(w->d.umask);
  w->d.dir = str_c(dir);
  while (w->d.dir.len > 1 && w->d.dir.ptr[w->d.dir.len - 1] == '/')
    w->d.dir.len--;
  if ((t && !sort_tree(c, t, w->d.dir, &w->tree)) || !locate(w))
    return false;
  // Blocks while another build writes beside DIR. Where the file system has
  // no locks (some NFS setups), builds go ahead unserialized.
  while (flock(w->parentfd, LOCK_EX) != 0 && errno == EINTR)
    continue;
  if (!tidy(w))
    return false;
  w->d.dirfd = openat(w->parentfd, w->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w->d.dirfd < 0 && errno != ENOENT) {
    fail(w, "", "cannot open output directory", errno);
    return false;
  }
  return true;
}

static OutResult finish(Writer *w, bool ok) {
  if (w->d.dirfd >= 0)
    close(w->d.dirfd);
  if (w->parentfd >= 0)
    close(w->parentfd);  // and with it the lock
  return ok ? OUT_OK : OUT_FAILED;
}

OutResult output_write(Compilation *c, OutTree *t, const char *dir) {
  Writer w;
  bool ok = start(&w, c, t, dir) && (w.d.dirfd >= 0 ? update(&w) : write_new(&w));
  return finish(&w, ok);
}

OutResult output_recover(Compilation *c, const char *dir) {
  Writer w;
  bool ok = start(&w, c, NULL, dir);
  struct stat st;
  if (ok && w.d.dirfd >= 0 && fstat(w.d.dirfd, &st) == 0) {
    w.dev = st.st_dev;
    ok = journal_recover(&w.d);
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
  MakerStream *stream = NULL;
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
  if (fd >= 0 && fstatat(fd, OUTPUT_SCRATCH "/journal", &st, AT_SYMLINK_NOFOLLOW) == 0)
    problems[np++] = (Problem){STR(OUTPUT_SCRATCH "/journal"), "unfinished"};
  if (fd >= 0)  // the files' bytes, made ahead on other threads
    stream = makers_stream(c, t, s.files, s.n);
  for (ptrdiff_t i = 0; i <= s.n; i++) {
    Str path = i < s.n ? s.paths[i] : STR(MANIFEST);
    char *cpath = str_cstr(a, path);
    Str data = fd < 0 ? (Str){0} : i < s.n ? makers_next(stream) : manifest;
    FileCompare r = fd < 0 ? FILE_ABSENT : fileio_compare(fd, cpath, data, true);
    if (r == FILE_UNREADABLE) {
      int err = errno;
      diag_file(c, E0010, str_fmt(a, "%.*s/%.*s", S(d), S(path)), "cannot read file: %.*s",
                S(diag_errno(a, err)));
      goto out_close_dir;
    }
    if (r != FILE_SAME)
      problems[np++] = (Problem){path, r == FILE_ABSENT ? "missing" : "differs"};
  }
  if (stream) {
    makers_end(stream);
    stream = NULL;
  }
  if (emit_failed(c))
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
    makers_end(stream);
  if (fd >= 0)
    close(fd);
  return result;
}
