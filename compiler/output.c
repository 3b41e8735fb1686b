// output.c: the output writer. output_write puts an OutTree on disk all or
// nothing, as a new DIR or as an update of DIR in place; output_check
// compares one with what is on disk, for `build --check`. The file
// primitives are fileio.c's, the journal journal.c's, and the files' bytes
// are made by makers.c's threads.
//
// All or nothing: after an error, every file of DIR is as it was. Whole
// states: at every moment, for any reader, even after a kill -9 or a power
// cut, each state directory (DIR/ENV/vpc, DIR/ENV/services/S) holds either
// all of its old files or all of its new ones; DIR as a whole is the old
// tree or the new one once the update has finished, which the next build
// (or this one run again) does first. Nothing is ever written or removed
// through a symbolic link inside DIR, nor below a mount point. Builds beside
// each other take turns: each holds flock(2) on DIR's parent.
//
// A new DIR is written whole as DIR.ecsc-new-XXXXXX beside it (mkdtemp: the
// same file system): its directories first, then its files on every core
// (makers_each), flushed with one syncfs(2) and renamed to DIR. A kill leaves
// only the temporary directory, which the next build removes.
//
// An existing DIR is updated in place, and only where it changed, through a
// journal in DIR/.ecsc-update/ (a rebuild after one service changed writes
// that service's state, not a tree of ten thousand):
//
//  1. Finishes an update that a kill interrupted after its commit (step 4),
//     or throws away one that had not reached it (journal.c).
//  2. Compares every file of the tree with DIR's, state directory by state
//     directory (other threads make the bytes meanwhile). A file differs
//     when its bytes do, or it is missing, or it is not a 0644 regular file;
//     the files the old DIR/.ecsc-manifest lists and the tree does not are
//     ecsc's to remove. A state with any of these is staged whole, its new
//     files in a directory .ecsc-update/N, to replace the live one. Every
//     other file in DIR is the user's (a README, backend.hcl, the .terraform/
//     that `terraform init` makes), carried into the replacement when its
//     state changes and otherwise never touched; one in the way of the tree,
//     a symbolic link where the tree has a directory, a mount point in a
//     state, or a directory the update may not write is an error found
//     here, before DIR changes. Nothing to do: done, having written nothing.
//     Each changed state's files go to OutOptions.changing, and then the
//     list of the changed states to OutOptions.changing_states, whose
//     errors stop the update here (OUT_REFUSED).
//  3. Flushes the staged files (fsync each of the first OUTPUT_FSYNC_MAX,
//     syncfs past that), so their bytes are on disk before anything points
//     at them.
//  4. Writes the journal (journal.c): a manifest naming the old files and
//     the new when files are added, the removals of DIR's own files, a swap
//     of each changed state, the new manifest last. Renaming the journal
//     into place is the commit.
//  5. Applies the journal, with SIGINT, SIGTERM, SIGHUP and SIGQUIT held
//     off, then removes .ecsc-update. Every step can be done twice, so step 1
//     of the next build finishes a killed one.
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

static int by_file_path(const void *a, const void *b) {
  return str_cmp((*(const OutFile *const *)a)->path, (*(const OutFile *const *)b)->path);
}

// Index of the first path >= key in sorted paths.
static ptrdiff_t lower_bound(const Str *paths, ptrdiff_t n, Str key) {
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

static bool contains(const Str *paths, ptrdiff_t n, Str key) {
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
  s->n = t->len;
  s->files = new(&c->arena, const OutFile *, t->len + 1);
  s->paths = new(&c->arena, Str, t->len + 1);
  bool ok = true;
  for (ptrdiff_t i = 0; i < t->len; i++) {
    s->files[i] = &t->items[i];
    const char *why = fileio_bad_path(t->items[i].path);
    if (why) {
      diag_file(c, E0011, dir, "refusing to write \"%.*s\": %s", S(t->items[i].path), why);
      ok = false;
    }
  }
  if (!ok)
    return false;
  qsort(s->files, (size_t)s->n, sizeof *s->files, by_file_path);
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

// The directory of a path of the tree ("" for DIR itself), and its name.
static Str split_path(Str path, Str *name) {
  ptrdiff_t slash = path.len;
  while (slash > 0 && path.ptr[slash - 1] != '/')
    slash--;
  if (name)
    *name = (Str){path.ptr + slash, path.len - slash};
  return slash ? (Str){path.ptr, slash - 1} : STR("");
}

//
// The manifest
//

// The manifest a build writes for these sorted paths.
static Str manifest_text(Arena *a, const Str *paths, ptrdiff_t n) {
  Buf b = {.arena = a};
  buf_puts(&b, MANIFEST_HEADER);
  for (ptrdiff_t i = 0; i < n; i++) {
    buf_put(&b, paths[i]);
    buf_putc(&b, '\n');
  }
  return buf_str(&b);
}

// The paths a manifest lists, sorted, each once. Lines that are comments,
// empty, or paths ecsc would never write (a hand edit) are skipped: those
// files are then treated as the user's, which errs on the side of keeping
// them.
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
  qsort(*paths, (size_t)*n, sizeof **paths, str_cmp_qsort);
  ptrdiff_t k = 0;
  for (ptrdiff_t i = 0; i < *n; i++)
    if (k == 0 || !str_eq((*paths)[i], (*paths)[k - 1]))
      (*paths)[k++] = (*paths)[i];
  *n = k;
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
// State directories
//

// A file of the tree, or a path of the old manifest (f NULL), by directory.
typedef struct {
  Str dir, name;
  const OutFile *f;
} Entry;

static int by_dir(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  int c = str_cmp(x->dir, y->dir);
  return c ? c : str_cmp(x->name, y->name);
}

static Entry *entries(Arena *a, const Str *paths, const OutFile *const *files, ptrdiff_t n) {
  Entry *e = new(a, Entry, n + 1);
  for (ptrdiff_t i = 0; i < n; i++) {
    e[i].dir = split_path(paths[i], &e[i].name);
    e[i].f = files ? files[i] : NULL;
  }
  qsort(e, (size_t)n, sizeof *e, by_dir);
  return e;
}

// A directory that holds files of the tree or of the old manifest: a state
// directory, or DIR itself (dir ""), which is never replaced whole.
typedef struct {
  Str dir;
  Entry *files;  // the tree's files in it, by name
  ptrdiff_t nfiles;
  Entry *old;    // the old manifest's paths in it, by name
  ptrdiff_t nold;
} State;

// The states of the tree and of the old manifest, by directory, from both
// sets of entries sorted by directory.
static State *list_states(Arena *a, Entry *tree, ptrdiff_t ntree, Entry *old, ptrdiff_t nold,
                          ptrdiff_t *n) {
  State *states = new(a, State, ntree + nold + 1);
  *n = 0;
  for (ptrdiff_t i = 0, j = 0; i < ntree || j < nold;) {
    int c = i == ntree ? 1 : j == nold ? -1 : str_cmp(tree[i].dir, old[j].dir);
    State *s = &states[(*n)++];
    s->dir = c <= 0 ? tree[i].dir : old[j].dir;
    s->files = tree + i;
    s->old = old + j;
    while (c <= 0 && i < ntree && str_eq(tree[i].dir, s->dir))
      i++, s->nfiles++;
    while (c >= 0 && j < nold && str_eq(old[j].dir, s->dir))
      j++, s->nold++;
  }
  return states;
}

static bool has_name(const Entry *e, ptrdiff_t n, Str name) {
  for (ptrdiff_t lo = 0, hi = n; lo < hi;) {
    ptrdiff_t mid = lo + (hi - lo) / 2;
    int c = str_cmp(e[mid].name, name);
    if (c == 0)
      return true;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
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
  State *states;     // an update's, by directory
  ptrdiff_t nstates;
  bool discard;      // --discard-journal
  void (*changing)(Compilation *c, Str dir, const OutFile *f, Changes *changes);  // OutOptions'
  void (*changing_states)(Compilation *c, const Model *m, Str dir, const Changes *states);
  bool refused;      // changing's errors stopped the update
  char *parent;      // DIR's parent, resolved
  int parentfd;      // the same, open: the lock, and where a new DIR is renamed
  uint64_t mount;    // DIR's mount: an update renames within it
  char base[NAME_MAX + 1];   // DIR's name in its parent
  char temp[NAME_MAX + 1];   // a new DIR's temporary name in the parent
  ptrdiff_t nstaged;         // names in .ecsc-update: 0, 1, ...
  ptrdiff_t nwritten;        // files staged: the first OUTPUT_FSYNC_MAX fsynced each
  int exchange;              // renameat2 exchanges here: -1 not known yet
  Str prev;                  // the state planned before, whose directories were checked
  bool paths_added;          // the tree has paths the old manifest does not
  bool paths_removed;        // and the other way round
  Changes planned;           // the states the update changes, once it is done
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

// The file's directories are made by the maker that first finds them
// missing: made by the caller before the makers started, they cost a tenth
// of a new DIR's time on one core while the other waited.
static bool write_new_file(void *ctx, const OutFile *f, Str data) {
  NewFiles *nf = ctx;
  const OutDir *d = &nf->w->d;
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%.*s", S(f->path));  // sort_tree refused longer ones
  int err = fileio_create(d, d->stagefd, path, data, false);
  if (err == ENOENT && !(err = fileio_make_dirs(d, d->stagefd, path)))
    err = fileio_create(d, d->stagefd, path, data, false);
  if (err) {
    pthread_mutex_lock(&nf->lock);
    if (!nf->err)
      nf->err = err, nf->path = f->path;
    pthread_mutex_unlock(&nf->lock);
  }
  return !err;
}

// Every file on every core: making a file and writing it are each about
// half of a new DIR's cost.
static bool write_new_files(Writer *w) {
  NewFiles nf = {.w = w};
  pthread_mutex_init(&nf.lock, NULL);
  bool ok = makers_each(w->out, w->tree.files, w->tree.n, write_new_file, &nf);
  pthread_mutex_destroy(&nf.lock);
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
  Str manifest = manifest_text(&w->d.c->arena, w->tree.paths, w->tree.n);
  if (!write_new_files(w) || !fileio_write(&w->d, w->d.stagefd, MANIFEST, MANIFEST, manifest, false))
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
  for (ptrdiff_t i = 0; w->d.changes && i < w->tree.n; i++) {
    Str dir = split_path(w->tree.paths[i], NULL);
    if (dir.len)
      emit_changes_note(w->d.changes, dir, CHANGE_ADDED);
  }
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

// Where a state directory is: found by check_state_dir.
typedef struct {
  bool exists;      // a directory on DIR's mount
  bool missing;     // it, or a directory above it, is not there yet
  struct stat st;   // when it exists
} Where;

// Whether DIR/prefix (NUL-terminated) can be a directory of the tree: it is
// one, on DIR's mount; it is missing, which where->missing says; or it is a
// file the update removes. Anything else is reported. The state directory
// itself is `last`.
static bool check_dir(Writer *w, const char *prefix, bool last, Where *where) {
  struct stat st;
  uint64_t mount;
  int err = fileio_mount(w->d.dirfd, prefix, &mount, &st);
  if (err) {
    if (err != ENOENT && err != ENOTDIR) {
      fail(w, prefix, "cannot read directory", err);
      return false;
    }
    where->missing = true;
    return true;
  }
  if (S_ISDIR(st.st_mode) && mount == w->mount) {
    if (last)
      where->exists = true, where->st = st;
    return true;
  }
  Str path = str_fmt(&w->d.c->arena, "%.*s/%s", S(w->d.dir), prefix);
  if (S_ISDIR(st.st_mode) && last) {
    Diag *d = diag_file(w->d.c, E0705, path, "this state directory is a mount point");
    diag_help(w->d.c, d,
              "ecsc replaces a state directory whole, and cannot move a mount point; mount it "
              "elsewhere");
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    diag_file(w->d.c, E0008, path,
              "cannot write below a mount point: ecsc renames files into place within one "
              "file system");
    return false;
  }
  Str p = str_c(prefix);
  if (contains(w->owned, w->nowned, p) && !contains(w->tree.paths, w->tree.n, p)) {
    where->missing = true;  // the previous build's file, removed first
    return true;
  }
  in_the_way(w, prefix,
             S_ISLNK(st.st_mode) ? "a symbolic link not written by ecsc is in the way"
                                 : "a file not written by ecsc is in the way",
             "ecsc now writes files below this path; move it away");
  return false;
}

// Checks the directories from DIR down to the state directory dir, but for
// those the previous state shared with it (checked then), and says where
// the state directory is.
static bool check_state_dir(Writer *w, Str dir, Where *where) {
  *where = (Where){0};
  char *path = str_cstr(&w->d.c->arena, dir);
  ptrdiff_t from = fileio_seen_dirs(dir, w->prev);
  w->prev = dir;
  for (char *p = path + from;;) {
    char *slash = strchr(p, '/');
    if (slash)
      *slash = 0;
    bool ok = check_dir(w, path, !slash, where);
    if (slash)
      *slash = '/';
    if (!slash || !ok || where->missing)
      return ok;
    p = slash + 1;
  }
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

// Whether the state directory can be replaced whole: it and its parent are
// writable (a directory moved to another parent has its ".." rewritten),
// and no mount point is in it (it could not move along). A state that does
// not exist yet needs its nearest directory writable.
static bool can_swap(Writer *w, const char *dir, const Where *where) {
  if (!where->exists)
    return can_change(w, str_cstr(&w->d.c->arena, str_fmt(&w->d.c->arena, "%s/-", dir)));
  if (faccessat(w->d.dirfd, dir, W_OK | X_OK, AT_EACCESS) != 0) {
    fail(w, dir, "cannot write in directory", errno);
    return false;
  }
  if (!can_change(w, dir))
    return false;
  int fd = openat(w->d.dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) {
    if (fd >= 0)
      close(fd);
    fail(w, dir, "cannot read directory", errno);
    return false;
  }
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(d))) {
    struct stat st;
    uint64_t mount;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
        fileio_mount(fd, e->d_name, &mount, &st) != 0 || mount == w->mount)
      continue;  // (a file can be a mount point too: mount --bind)
    Str path = str_fmt(&w->d.c->arena, "%.*s/%s/%s", S(w->d.dir), dir, e->d_name);
    Diag *diag = diag_file(w->d.c, E0705, path, "a mount point in a state directory");
    diag_help(w->d.c, diag,
              "ecsc replaces a state directory whole, and cannot move a mount point with it; "
              "mount it elsewhere (Terraform's TF_DATA_DIR can put .terraform outside the "
              "state directory)");
    ok = false;
  }
  closedir(d);
  return ok;
}

// Whether the next staged file is flushed by itself (else by one syncfs).
static bool sync_next(Writer *w) {
  return ++w->nwritten <= OUTPUT_FSYNC_MAX;
}

static bool scratch(Writer *w) {
  return w->d.stagefd >= 0 || journal_scratch(&w->d);
}

// Stages one file as .ecsc-update/N, to be renamed to path: "put N path".
static bool stage_file(Writer *w, const char *path, Str data, Journal *j, bool first) {
  char name[32];
  ptrdiff_t n = w->nstaged++;
  snprintf(name, sizeof name, "%td", n);
  if (!scratch(w) || !fileio_write(&w->d, w->d.stagefd, name, path, data, sync_next(w)))
    return false;
  (first ? journal_put_first : journal_put)(j, n, path);
  return true;
}

// What a file of the tree, not a state's whole, needs: nothing (its bytes
// are DIR's), or to be staged when nothing in DIR is in its way.
static bool plan_file(Writer *w, const char *path, Str data, bool owned, Journal *j) {
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
  if (r != FILE_ABSENT && !owned) {
    in_the_way(w, path, "a file not written by ecsc is in the way",
               "ecsc now writes a file at this path; move yours away");
    return false;
  }
  return stage_file(w, path, data, j, false);
}

// The old manifest's files of a state that the tree no longer has and DIR
// still does: the ones to remove. One that is gone, or is a directory now,
// is not ecsc's to remove.
static ptrdiff_t removed_files(Writer *w, const State *s, bool exists, Str *out) {
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < s->nold; i++) {
    if (has_name(s->files, s->nfiles, s->old[i].name))
      continue;
    w->paths_removed = true;
    struct stat st;
    Str path = s->dir.len ? str_fmt(&w->d.c->arena, "%.*s/%.*s", S(s->dir), S(s->old[i].name))
                          : s->old[i].name;
    if (exists && fstatat(w->d.dirfd, str_cstr(&w->d.c->arena, path), &st,
                          AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
      out[n++] = s->old[i].name;
  }
  return n;
}

// DIR's own files (not of a state): each staged, or removed, by itself.
static bool plan_root(Writer *w, const State *s, const Chunk *data, Journal *j) {
  bool ok = true;
  for (ptrdiff_t i = 0; i < s->nfiles; i++) {
    Str name = s->files[i].name;
    bool owned = has_name(s->old, s->nold, name);
    w->paths_added |= !owned;
    ok = plan_file(w, str_cstr(&w->d.c->arena, name), (Str){data[i].ptr, data[i].len}, owned,
                   j) && ok;
  }
  Str *gone = new(&w->d.c->arena, Str, s->nold + 1);
  ptrdiff_t ngone = removed_files(w, s, true, gone);
  for (ptrdiff_t i = 0; i < ngone; i++) {
    char *path = str_cstr(&w->d.c->arena, gone[i]);
    ok = can_change(w, path) && ok;
    journal_del(j, path);
  }
  return ok;
}

// Stages a changed state whole: its new files in the directory
// .ecsc-update/N, which replaces the live one ("swap"), with the names of
// the files it drops. The directory's mode is the live one's when the swap
// is done; a new state's is 0755.
static bool stage_state(Writer *w, const State *s, const Chunk *data, ChangeKind kind,
                        const Str *drops, ptrdiff_t ndrops, Journal *j) {
  Arena *a = &w->d.c->arena;
  char name[32];
  ptrdiff_t n = w->nstaged++;
  snprintf(name, sizeof name, "%td", n);
  char *dir = str_cstr(a, s->dir);
  if (mkdirat(w->d.stagefd, name, 0700) != 0) {
    fail(w, OUTPUT_SCRATCH, "cannot create ecsc's scratch directory", errno);
    return false;
  }
  int fd = openat(w->d.stagefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    fail(w, OUTPUT_SCRATCH, "cannot create ecsc's scratch directory", errno);
    return false;
  }
  bool ok = true;
  for (ptrdiff_t i = 0; ok && i < s->nfiles; i++)
    ok = fileio_write(&w->d, fd, str_cstr(a, s->files[i].name), str_cstr(a, s->files[i].f->path),
                      (Str){data[i].ptr, data[i].len}, sync_next(w));
  bool sync = w->nwritten <= OUTPUT_FSYNC_MAX;  // else syncfs flushes it with the rest
  struct stat st;
  if (ok && (fchmod(fd, FILEIO_DIR_MODE) != 0 || (sync && fsync(fd) != 0) || fstat(fd, &st) != 0))
    ok = false, fail(w, dir, "cannot write state directory", errno);
  close(fd);
  if (!ok)
    return false;
  journal_swap(j, n, kind, (uint64_t)st.st_ino, s->dir);
  for (ptrdiff_t i = 0; i < ndrops; i++)
    journal_drop(j, drops[i]);
  return true;
}

// Where the file system cannot exchange directories: the state's changed
// files staged and its dropped ones removed one by one, as before states
// were swapped.
static bool stage_state_files(Writer *w, const State *s, const Chunk *data,
                              const FileCompare *r, ChangeKind kind, const Str *drops,
                              ptrdiff_t ndrops, Journal *j) {
  Arena *a = &w->d.c->arena;
  journal_state(j, kind, s->dir);
  bool ok = true;
  for (ptrdiff_t i = 0; ok && i < s->nfiles; i++)
    if (r[i] != FILE_SAME)
      ok = stage_file(w, str_cstr(a, s->files[i].f->path), (Str){data[i].ptr, data[i].len}, j,
                      false);
  for (ptrdiff_t i = 0; i < ndrops; i++)
    journal_del(j, str_cstr(a, str_fmt(a, "%.*s/%.*s", S(s->dir), S(drops[i]))));
  return ok;
}

// Where a state the tree no longer has is. Below a symbolic link, or one
// now, it is not ecsc's to remove: it does not exist, for the update.
static bool find_removed_state(Writer *w, Str dir, Where *where) {
  *where = (Where){0};
  char *path = str_cstr(&w->d.c->arena, dir);
  const char *leaf;
  int fd = fileio_open_parent(&w->d, path, false, &leaf);
  if (fd < 0)
    return true;
  uint64_t mount;
  struct stat st;
  bool dir_here = fileio_mount(fd, leaf, &mount, &st) == 0 && S_ISDIR(st.st_mode);
  close(fd);
  if (dir_here && mount != w->mount) {
    Diag *d = diag_file(w->d.c, E0705, str_fmt(&w->d.c->arena, "%.*s/%s", S(w->d.dir), path),
                        "this state directory is a mount point");
    diag_help(w->d.c, d,
              "ecsc replaces a state directory whole, and cannot move a mount point; mount it "
              "elsewhere");
    return false;
  }
  if (dir_here)
    where->exists = true, where->st = st;
  return true;
}

// A state directory: compared file by file, and staged whole if anything
// differs, once everything that could stop the update is ruled out.
static bool plan_state(Writer *w, const State *s, const Chunk *data, Journal *j) {
  Arena *a = &w->d.c->arena;
  ArenaMark mark = arena_mark(a);  // given back when the state is unchanged: most are
  Where where;
  bool ok = s->nfiles ? check_state_dir(w, s->dir, &where) : find_removed_state(w, s->dir, &where);
  FileCompare *r = new(a, FileCompare, s->nfiles + 1);
  bool differs = false, absent = true;
  for (ptrdiff_t i = 0; ok && i < s->nfiles; i++) {
    char *path = str_cstr(a, s->files[i].f->path);
    bool owned = has_name(s->old, s->nold, s->files[i].name);
    w->paths_added |= !owned;
    r[i] = !where.exists ? FILE_ABSENT
                         : fileio_compare(w->d.dirfd, path, (Str){data[i].ptr, data[i].len}, true);
    differs |= r[i] != FILE_SAME;
    absent &= r[i] == FILE_ABSENT;
    if (r[i] == FILE_SAME || r[i] == FILE_ABSENT)
      continue;
    if (r[i] == FILE_UNREADABLE && errno != EACCES) {  // one we may not read is replaced
      fail(w, path, "cannot read file", errno);
      ok = false;
      continue;
    }
    struct stat st;
    if (fstatat(w->d.dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
      in_the_way(w, path, "a directory not written by ecsc is in the way",
                 "ecsc now writes a file at this path; move the directory away");
      ok = false;
    } else if (!owned) {
      in_the_way(w, path, "a file not written by ecsc is in the way",
                 "ecsc now writes a file at this path; move yours away");
      ok = false;
    }
  }
  Str *drops = new(a, Str, s->nold + 1);
  ptrdiff_t ndrops = removed_files(w, s, where.exists, drops);
  for (ptrdiff_t i = 0; (differs || ndrops) && w->changing && i < s->nfiles; i++)
    w->changing(w->d.c, w->d.dir, s->files[i].f, w->d.changes);
  if (ok && !differs && ndrops == 0)
    arena_rewind(a, mark);
  if (!ok || (!differs && ndrops == 0))
    return ok;
  ChangeKind kind = s->nfiles == 0         ? CHANGE_REMOVED
                    : absent && ndrops == 0 ? CHANGE_ADDED
                                            : CHANGE_CHANGED;
  char *dir = str_cstr(a, s->dir);
  if (!can_swap(w, dir, &where) || !scratch(w))
    return false;
  if (w->exchange < 0)
    w->exchange = journal_can_exchange(&w->d);
  emit_changes_note(&w->planned, s->dir, kind);
  return w->exchange ? stage_state(w, s, data, kind, drops, ndrops, j)
                     : stage_state_files(w, s, data, r, kind, drops, ndrops, j);
}

// The manifest: when the tree adds files, one naming the old files and the
// new goes first, so that at every moment the manifest on disk names every
// file of ecsc's there; the new one goes last, unless DIR has it.
static bool plan_manifest(Writer *w, Journal *j) {
  Arena *a = &w->d.c->arena;
  Str final = manifest_text(a, w->tree.paths, w->tree.n);
  if (w->paths_added) {
    Str first = final;
    if (w->paths_removed) {
      Str *both = new(a, Str, w->tree.n + w->nowned + 1);
      ptrdiff_t n = 0;
      for (ptrdiff_t i = 0, k = 0; i < w->tree.n || k < w->nowned;) {
        int c = i == w->tree.n ? 1 : k == w->nowned ? -1 : str_cmp(w->tree.paths[i], w->owned[k]);
        both[n++] = c <= 0 ? w->tree.paths[i] : w->owned[k];
        i += c <= 0, k += c >= 0;
      }
      first = manifest_text(a, both, n);
    }
    if (!stage_file(w, MANIFEST, first, j, true))
      return false;
    if (!w->paths_removed)
      return true;
  }
  return plan_file(w, MANIFEST, final, true, j);
}

// Step 2: every state compared and, where it changed, staged. Every conflict
// is reported, not only the first.
static bool plan(Writer *w, Journal *j) {
  Arena *a = &w->d.c->arena;
  Entry *tree = entries(a, w->tree.paths, w->tree.files, w->tree.n);
  Entry *old = entries(a, w->owned, NULL, w->nowned);
  w->states = list_states(a, tree, w->tree.n, old, w->nowned, &w->nstates);
  const OutFile **order = new(a, const OutFile *, w->tree.n + 1);
  ptrdiff_t most = 0;
  for (ptrdiff_t i = 0; i < w->tree.n; i++)
    order[i] = tree[i].f;
  for (ptrdiff_t i = 0; i < w->nstates; i++)
    most = w->states[i].nfiles > most ? w->states[i].nfiles : most;
  Chunk *data = new(a, Chunk, most + 1);
  MakerStream *stream = makers_stream(a, w->out, order, w->tree.n);
  bool ok = true;
  for (ptrdiff_t i = 0; i < w->nstates; i++) {
    const State *s = &w->states[i];
    for (ptrdiff_t k = 0; k < s->nfiles; k++)
      data[k] = makers_take(stream);
    if (!w->d.io_failure)
      ok = (s->dir.len ? plan_state(w, s, data, j) : plan_root(w, s, data, j)) && ok;
    for (ptrdiff_t k = 0; k < s->nfiles; k++)
      makers_release(data[k]);
  }
  makers_end(stream);
  if (!ok || w->d.io_failure)
    return false;
  return plan_manifest(w, j);
}

static bool update(Writer *w) {
  Arena *a = &w->d.c->arena;
  struct stat st;
  int err = fileio_mount(w->d.dirfd, ".", &w->mount, &st);
  if (err) {
    fail(w, "", "cannot open output directory", err);
    return false;
  }
  if (!journal_recover(&w->d, w->discard))
    return false;
  err = read_manifest(a, w->d.dirfd, &w->owned, &w->nowned);
  if (err) {
    fail(w, MANIFEST, "cannot read manifest", err);
    return false;
  }
  Journal j;
  journal_init(&j, a);
  w->planned = (Changes){.arena = a};
  bool ok = plan(w, &j);
  if (ok && w->changing_states)
    w->changing_states(w->d.c, w->out->m, w->d.dir, &w->planned);
  if (ok && comp_failed(w->d.c))  // changing's errors: nothing is written
    w->refused = true, ok = false;
  if (ok && journal_is_empty(&j))
    return w->d.stagefd < 0 || journal_discard(&w->d);  // DIR is the tree already
  if (ok && !scratch(w))  // removals only
    ok = false;
  if (ok && w->nwritten > OUTPUT_FSYNC_MAX && syncfs(w->d.stagefd) != 0) {
    fail(w, OUTPUT_SCRATCH, "cannot write output directory", errno);
    ok = false;
  }
  if (!ok || !journal_commit(&w->d, &j)) {
    if (w->d.stagefd >= 0)
      journal_discard(&w->d);
    return false;
  }
  if (!journal_apply(&w->d, &j))  // step 5
    return false;
  for (ptrdiff_t i = 0; w->d.changes && i < w->planned.len; i++)
    emit_changes_note(w->d.changes, w->planned.items[i].dir, w->planned.items[i].kind);
  return true;
}

// Finds DIR and takes the lock; w->d.dirfd is DIR, or -1 when it is new.
static bool start(Writer *w, Compilation *c, OutTree *t, const char *dir, const OutOptions *o) {
  *w = (Writer){.d = {.c = c, .dirfd = -1, .stagefd = -1}, .out = t, .parentfd = -1,
                .exchange = -1, .prev = STR("")};
  if (o) {
    w->discard = o->discard_journal;
    w->d.changes = o->changes;
    w->changing = o->changing;
    w->changing_states = o->changing_states;
  }
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

static OutResult end_writer(Writer *w, bool ok) {
  if (w->d.stagefd >= 0)
    close(w->d.stagefd);
  if (w->d.dirfd >= 0)
    close(w->d.dirfd);
  if (w->parentfd >= 0)
    close(w->parentfd);  // and with it the lock
  return ok ? OUT_OK : OUT_FAILED;
}

OutResult output_write(Compilation *c, OutTree *t, const char *dir, const OutOptions *o) {
  Writer w;
  bool ok = start(&w, c, t, dir, o) && (w.d.dirfd >= 0 ? update(&w) : write_new(&w));
  OutResult r = end_writer(&w, ok);
  return w.refused ? OUT_REFUSED : r;
}

OutResult output_recover(Compilation *c, const char *dir, const OutOptions *o) {
  Writer w;
  bool ok = start(&w, c, NULL, dir, o);
  if (ok && w.d.dirfd >= 0)
    ok = journal_recover(&w.d, w.discard);
  return end_writer(&w, ok);
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

// What build --check compares: the tree, state by state, with DIR (fd; -1
// when DIR is missing), and the previous build's files the tree no longer
// has. A file the manifest does not list is the user's, wherever it is.
typedef struct {
  Compilation *c;
  Str dir;            // as the user wrote it, for messages
  int fd;
  Str *owned;         // the manifest's paths, sorted
  ptrdiff_t nowned;
  Problem *problems;
  ptrdiff_t n;
  Changes *changes;   // the states a build would change, for --changed
  Changes planned;    // the same, for changing_states
  void (*changing)(Compilation *c, Str dir, const OutFile *f, Changes *changes);  // OutOptions'
  void (*changing_states)(Compilation *c, const Model *m, Str dir, const Changes *states);
} Checker;

static bool check_state(Checker *k, const State *s, MakerStream *stream) {
  Arena *a = &k->c->arena;
  ArenaMark mark = arena_mark(a);  // given back when the state is as it should be
  ptrdiff_t before = k->n;
  bool absent = true;
  for (ptrdiff_t i = 0; i < s->nfiles; i++) {
    Str path = s->files[i].f->path;
    Str data = k->fd < 0 ? (Str){0} : makers_next(stream);
    FileCompare r = k->fd < 0 ? FILE_ABSENT : fileio_compare(k->fd, str_cstr(a, path), data, true);
    if (r == FILE_UNREADABLE) {
      int err = errno;
      diag_file(k->c, E0010, str_fmt(a, "%.*s/%.*s", S(k->dir), S(path)),
                "cannot read file: %.*s", S(diag_errno(a, err)));
      return false;
    }
    absent &= r == FILE_ABSENT;
    if (r != FILE_SAME)
      k->problems[k->n++] = (Problem){path, r == FILE_ABSENT ? "missing" : "differs"};
  }
  ptrdiff_t extras = 0;
  for (ptrdiff_t i = 0; k->fd >= 0 && i < s->nold; i++) {
    if (has_name(s->files, s->nfiles, s->old[i].name))
      continue;
    struct stat st;
    Str path = s->dir.len ? str_fmt(a, "%.*s/%.*s", S(s->dir), S(s->old[i].name)) : s->old[i].name;
    if (fstatat(k->fd, str_cstr(a, path), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
      k->problems[k->n++] = (Problem){path, "extra"}, extras++;
  }
  if (k->n == before)
    arena_rewind(a, mark);
  for (ptrdiff_t i = 0; k->fd >= 0 && k->n > before && k->changing && i < s->nfiles; i++)
    k->changing(k->c, k->dir, s->files[i].f, k->changes);
  ChangeKind kind = s->nfiles == 0           ? CHANGE_REMOVED
                    : absent && extras == 0 ? CHANGE_ADDED
                                            : CHANGE_CHANGED;
  if (k->n > before && s->dir.len && k->changes)
    emit_changes_note(k->changes, s->dir, kind);
  if (k->n > before && s->dir.len && k->fd >= 0 && k->changing_states)
    emit_changes_note(&k->planned, s->dir, kind);
  return true;
}

OutResult output_check(Compilation *c, OutTree *t, const char *dir, const OutOptions *o,
                       Buf *report) {
  Arena *a = &c->arena;
  Checker k = {.c = c, .dir = str_c(dir), .changes = o ? o->changes : NULL,
               .planned = {.arena = a}, .changing = o ? o->changing : NULL,
               .changing_states = o ? o->changing_states : NULL};
  while (k.dir.len > 1 && k.dir.ptr[k.dir.len - 1] == '/')
    k.dir.len--;
  Sorted s;
  if (!sort_tree(c, t, k.dir, &s))
    return OUT_FAILED;
  k.fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (k.fd < 0 && errno != ENOENT) {
    diag_file(c, E0010, k.dir, "%s: %.*s",
              errno == ENOTDIR ? "output path is not a directory" : "cannot open output directory",
              S(diag_errno(a, errno)));
    return OUT_FAILED;
  }
  OutResult result = OUT_FAILED;
  MakerStream *stream = NULL;
  if (k.fd >= 0) {
    int err = read_manifest(a, k.fd, &k.owned, &k.nowned);
    if (err) {
      diag_file(c, E0010, str_fmt(a, "%.*s/" MANIFEST, S(k.dir)), "cannot read manifest: %.*s",
                S(diag_errno(a, err)));
      goto out_close_dir;
    }
  }
  k.problems = new(a, Problem, s.n + 2 + k.nowned);
  // A build killed after its commit: DIR is neither tree until the next
  // build finishes it, which changes its states too.
  if (k.fd >= 0 && journal_pending(a, k.fd, k.changes))
    k.problems[k.n++] = (Problem){STR(OUTPUT_SCRATCH "/journal"), "unfinished"};
  Entry *tree = entries(a, s.paths, s.files, s.n);
  ptrdiff_t nstates;
  State *states = list_states(a, tree, s.n, entries(a, k.owned, NULL, k.nowned), k.nowned,
                              &nstates);
  const OutFile **order = new(a, const OutFile *, s.n + 1);
  for (ptrdiff_t i = 0; i < s.n; i++)
    order[i] = tree[i].f;
  if (k.fd >= 0)  // the files' bytes, made ahead on other threads
    stream = makers_stream(a, t, order, s.n);
  for (ptrdiff_t i = 0; i < nstates; i++)
    if (!check_state(&k, &states[i], stream))
      goto out_close_dir;
  if (stream) {
    makers_end(stream);
    stream = NULL;
  }
  if (k.fd >= 0 && k.changing_states)
    k.changing_states(c, t->m, k.dir, &k.planned);
  Str manifest = manifest_text(a, s.paths, s.n);
  FileCompare r = k.fd < 0 ? FILE_ABSENT : fileio_compare(k.fd, MANIFEST, manifest, true);
  if (r == FILE_UNREADABLE) {
    diag_file(c, E0010, str_fmt(a, "%.*s/" MANIFEST, S(k.dir)), "cannot read file: %.*s",
              S(diag_errno(a, errno)));
    goto out_close_dir;
  }
  if (r != FILE_SAME)
    k.problems[k.n++] = (Problem){STR(MANIFEST), r == FILE_ABSENT ? "missing" : "differs"};
  qsort(k.problems, (size_t)k.n, sizeof *k.problems, by_problem_path);
  for (ptrdiff_t i = 0; i < k.n; i++)
    buf_printf(report, "%s: %.*s\n", k.problems[i].what, S(k.problems[i].path));
  result = k.n ? OUT_DIFFERS : OUT_OK;

out_close_dir:
  if (stream)
    makers_end(stream);
  if (k.fd >= 0)
    close(k.fd);
  return result;
}
