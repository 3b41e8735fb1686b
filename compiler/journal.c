// journal.c: the journal of an update in place, DIR/.ecsc-update/journal:
// what output.c staged and where each staged thing goes, written whole and
// flushed before its name appears (the commit), then done step by step; and
// recovery, which finishes the journal a kill interrupted after its commit,
// throws away a scratch directory that never reached it, or, asked to
// (--discard-journal), sets an unfinished update aside.
//
// A state directory (DIR/ENV/vpc, DIR/ENV/services/S) changes whole: its new
// files are staged in a directory .ecsc-update/N, the user's files in the
// live one are carried into it as hard links (fileio_carry), and one
// renameat2(RENAME_EXCHANGE) puts it in the old one's place, so any reader,
// at any moment, even after a kill -9, sees the state entirely old or
// entirely new. The old directory, now .ecsc-update/N, gives back what the
// user made meanwhile (fileio_merge) and goes. A new state is renamed into
// place; a removed one is exchanged with a directory of the user's files
// alone, and removed if that is empty. Everything else, DIR's own files (the
// manifest), is renamed into place file by file.
//
// The journal is lines of text, in the order they are done:
//
//   # ecsc journal 2: ...       the header (format 1, before states were
//                               swapped, had puts and dels only: still done)
//   put N .ecsc-manifest        a manifest naming the old files and the new,
//                               first whenever files are added, so that the
//                               manifest on disk names every file of ecsc's
//                               at every moment
//   del PATH                    a file to remove
//   swap N KIND INODE PATH      the staged directory .ecsc-update/N (its
//                               inode, to know afterwards whether it was
//                               done) replaces the state directory PATH;
//                               KIND is added, changed or removed
//   drop NAME                   a file of ecsc's in that state that the
//                               update removes: the user's files are the rest
//   state KIND PATH             where the file system cannot exchange: the
//                               state whose files the puts and dels change
//   put N PATH                  the staged file .ecsc-update/N goes to PATH
//   end                         the commit
//
// Every step can be done twice, so recovery does them all again. A journal
// with a line this ecsc never writes, or from a later format, is not
// guessed at: the build stops and says what to do.
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOURNAL "journal"  // in DIR/.ecsc-update: the committed update
#define HEADER_V1 "# ecsc: an update of this directory; the next build finishes it."
#define HEADER_V2_START "# ecsc journal "
#define HEADER_V2 HEADER_V2_START "2: an update of this directory, committed by its last line"
#define DISCARDED OUTPUT_RESERVED "discarded-"  // DIR/.ecsc-discarded-N: set aside

bool journal_no_exchange;
long journal_stop_at;

// Tests (journal_stop_at): whether the apply stops here, at the n-th step,
// leaving the disk as a kill -9 at that moment would.
static long step;
static bool stop_here(void) {
  return journal_stop_at > 0 && ++step == journal_stop_at;
}

//
// Writing
//

void journal_init(Journal *j, Arena *a) {
  *j = (Journal){.first = {.arena = a}, .dels = {.arena = a}, .swaps = {.arena = a},
                 .puts = {.arena = a}};
  buf_puts(&j->first, HEADER_V2 "\n");
  j->header = j->first.len;
}

void journal_put(Journal *j, ptrdiff_t staged, const char *path) {
  buf_printf(&j->puts, "put %td %s\n", staged, path);
}

void journal_put_first(Journal *j, ptrdiff_t staged, const char *path) {
  buf_printf(&j->first, "put %td %s\n", staged, path);
}

void journal_del(Journal *j, const char *path) {
  buf_printf(&j->dels, "del %s\n", path);
}

void journal_swap(Journal *j, ptrdiff_t staged, ChangeKind kind, uint64_t ino, Str path) {
  buf_printf(&j->swaps, "swap %td %s %llu %.*s\n", staged, emit_changes_name(kind),
             (unsigned long long)ino, S(path));
}

void journal_drop(Journal *j, Str name) {
  buf_printf(&j->swaps, "drop %.*s\n", S(name));
}

void journal_state(Journal *j, ChangeKind kind, Str path) {
  buf_printf(&j->swaps, "state %s %.*s\n", emit_changes_name(kind), S(path));
}

bool journal_is_empty(const Journal *j) {
  return j->first.len == j->header && j->dels.len == 0 && j->puts.len == 0 &&
         j->swaps.len == 0;
}

static Str joined(Journal *j) {
  Buf b = {.arena = j->first.arena};
  buf_put(&b, buf_str(&j->first));
  buf_put(&b, buf_str(&j->dels));
  buf_put(&b, buf_str(&j->swaps));
  buf_put(&b, buf_str(&j->puts));  // the manifest last
  buf_puts(&b, "end\n");
  return buf_str(&b);
}

// Makes DIR/.ecsc-update, on the first file that needs it: an update that
// finds nothing to do leaves DIR as it was, to its modification time.
bool journal_scratch(OutDir *d) {
  if (mkdirat(d->dirfd, OUTPUT_SCRATCH, 0700) != 0 ||
      (d->stagefd = openat(d->dirfd, OUTPUT_SCRATCH,
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
    fileio_fail(d, OUTPUT_SCRATCH, "cannot create ecsc's scratch directory", errno);
    return false;
  }
  return true;
}

// Whether renameat2 can exchange two directories here. Where it cannot
// (some network and FUSE file systems), an update falls back to renaming
// each file into place, and a state is whole again once recovery has run.
bool journal_can_exchange(OutDir *d) {
  if (journal_no_exchange)
    return false;
  static const char *const probe[] = {"probe-a", "probe-b"};
  bool made = mkdirat(d->stagefd, probe[0], 0700) == 0 && mkdirat(d->stagefd, probe[1], 0700) == 0;
  bool can = made && renameat2(d->stagefd, probe[0], d->stagefd, probe[1], RENAME_EXCHANGE) == 0;
  unlinkat(d->stagefd, probe[0], AT_REMOVEDIR);
  unlinkat(d->stagefd, probe[1], AT_REMOVEDIR);
  return can;
}

// The journal, on disk before its name is: the commit.
bool journal_commit(OutDir *d, Journal *j) {
  Str journal = joined(j);
  int fd = openat(d->stagefd, JOURNAL ".tmp", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && fileio_write_all(fd, journal) && fsync(fd) == 0;
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok)
    ok = false, err = errno;
  if (ok && renameat(d->stagefd, JOURNAL ".tmp", d->stagefd, JOURNAL) != 0)
    ok = false, err = errno;
  if (ok && (fsync(d->stagefd) != 0 || fsync(d->dirfd) != 0))
    ok = false, err = errno;
  if (!ok)
    fileio_fail(d, OUTPUT_SCRATCH "/" JOURNAL, "cannot write the update's journal", err);
  return ok;
}

//
// Reading
//

typedef enum { J_PUT, J_DEL, J_SWAP, J_DROP, J_STATE } Op;

typedef struct {
  Op op;
  Str staged;       // put, swap: the name in the scratch directory
  ChangeKind kind;  // swap, state
  uint64_t ino;     // swap: the staged directory's inode
  Str path;         // relative to DIR; drop: the file's name in its state
} Line;

typedef enum { J_OK, J_DAMAGED, J_FOREIGN } Verdict;

typedef struct {
  Line *lines;
  ptrdiff_t n;
  Verdict verdict;
  int bad_line;  // 1-based: the line that made it damaged or foreign, 0: the end
  Str bad;       // that line
} Parsed;

// The word at *s up to a space (taken off *s with the space), or the rest.
static Str word(Str *s) {
  ptrdiff_t i = 0;
  while (i < s->len && s->ptr[i] != ' ')
    i++;
  Str w = {s->ptr, i};
  *s = i < s->len ? (Str){s->ptr + i + 1, s->len - i - 1} : (Str){s->ptr + i, 0};
  return w;
}

static bool decimal(Str s, uint64_t *value) {
  if (s.len == 0 || s.len > 19)
    return false;
  uint64_t v = 0;
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if (s.ptr[i] < '0' || s.ptr[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(s.ptr[i] - '0');
  }
  *value = v;
  return true;
}

static bool kind_of(Str s, ChangeKind *kind) {
  for (int k = CHANGE_ADDED; k <= CHANGE_REMOVED; k++)
    if (str_eq_c(s, emit_changes_name((ChangeKind)k)))
      return *kind = (ChangeKind)k, true;
  return false;
}

static bool state_path(Str p) {
  return !fileio_bad_path(p) && !str_eq_c(p, OUTPUT_MANIFEST);
}

// One line of a journal of the given format into *l; false if no build of
// this ecsc writes it so.
static bool parse_line(Str s, int version, const Line *prev, Line *l) {
  uint64_t n;
  Str op = word(&s);
  *l = (Line){0};
  if (str_eq_c(op, "put")) {
    l->op = J_PUT;
    l->staged = word(&s);
    l->path = s;
    return decimal(l->staged, &n) && (state_path(s) || str_eq_c(s, OUTPUT_MANIFEST));
  }
  if (str_eq_c(op, "del")) {
    l->op = J_DEL;
    l->path = s;
    return state_path(s);
  }
  if (version < 2)
    return false;
  if (str_eq_c(op, "swap")) {
    l->op = J_SWAP;
    l->staged = word(&s);
    bool ok = decimal(l->staged, &n) && kind_of(word(&s), &l->kind) && decimal(word(&s), &l->ino);
    l->path = s;
    return ok && state_path(s);
  }
  if (str_eq_c(op, "drop")) {
    l->op = J_DROP;
    l->path = s;
    return prev && (prev->op == J_SWAP || prev->op == J_DROP) && !fileio_bad_path(s) &&
           !memchr(s.ptr, '/', (size_t)s.len);
  }
  if (str_eq_c(op, "state")) {
    l->op = J_STATE;
    bool ok = kind_of(word(&s), &l->kind);
    l->path = s;
    return ok && state_path(s);
  }
  return false;
}

// A journal as lines; its verdict says whether this ecsc may do it.
static Parsed read_journal(Arena *a, Str text) {
  Parsed p = {.lines = new(a, Line, text.len / 4 + 2)};
  int version = 0, number = 0;
  bool ended = false;
  for (ptrdiff_t i = 0; i < text.len;) {
    ptrdiff_t j = i;
    while (j < text.len && text.ptr[j] != '\n')
      j++;
    Str line = {text.ptr + i, j - i};
    bool whole = j < text.len;  // a line ends with a newline
    i = j + 1;
    number++;
    p.bad_line = number, p.bad = line;
    if (number == 1) {
      uint64_t v = 0;
      Str rest = line;
      if (whole && str_eq_c(line, HEADER_V1)) {
        version = 1;
      } else if (whole && str_starts_with(line, STR(HEADER_V2_START))) {
        rest.ptr += sizeof HEADER_V2_START - 1, rest.len -= (ptrdiff_t)sizeof HEADER_V2_START - 1;
        Str w = word(&rest);
        if (w.len && w.ptr[w.len - 1] == ':')
          w.len--;
        if (decimal(w, &v) && v > 2)
          return p.verdict = J_FOREIGN, p;
        if (v != 2)
          return p.verdict = J_DAMAGED, p;
        version = 2;
      } else {
        return p.verdict = J_DAMAGED, p;
      }
      continue;
    }
    if (ended || !whole)
      return p.verdict = J_DAMAGED, p;
    if (str_eq_c(line, "end")) {
      ended = true;
      continue;
    }
    if (!parse_line(line, version, p.n ? &p.lines[p.n - 1] : NULL, &p.lines[p.n]))
      return p.verdict = J_DAMAGED, p;
    p.n++;
  }
  if (!ended) {
    p.bad_line = 0, p.bad = STR("");
    return p.verdict = J_DAMAGED, p;
  }
  p.bad_line = 0, p.bad = (Str){0};
  return p.verdict = J_OK, p;
}

// The states a journal changes, noted for --changed; leniently, line by
// line, so that a damaged journal set aside still names what it may have
// changed. A put or del below no state is DIR's own file.
void journal_note_states(Arena *a, Str text, Changes *changes) {
  if (!changes)
    return;
  Line prev = {.op = J_PUT}, l;
  for (ptrdiff_t i = 0; i < text.len;) {
    ptrdiff_t j = i;
    while (j < text.len && text.ptr[j] != '\n')
      j++;
    Str line = {text.ptr + i, j - i};
    i = j + 1;
    if (!parse_line(line, 2, &prev, &l))
      continue;
    prev = l;
    if (l.op == J_SWAP || l.op == J_STATE) {
      emit_changes_note(changes, l.path, l.kind);
    } else if (l.op == J_PUT || l.op == J_DEL) {
      ptrdiff_t slash = l.path.len;
      while (slash > 0 && l.path.ptr[slash - 1] != '/')
        slash--;
      if (slash > 1)
        emit_changes_note(changes, str_dup(a, (Str){l.path.ptr, slash - 1}), CHANGE_CHANGED);
    }
  }
}

//
// Doing
//

// Renames the staged file to DIR/path. ENOENT: done already.
static bool apply_put(OutDir *d, const Line *l, bool sync) {
  Arena *a = &d->c->arena;
  char *path = str_cstr(a, l->path);
  const char *leaf;
  int fd = fileio_open_parent(d, path, true, &leaf);
  if (fd < 0) {
    fileio_fail(d, path, "cannot write file", errno);
    return false;
  }
  bool ok = true;
  if (renameat(d->stagefd, str_cstr(a, l->staged), fd, leaf) != 0 && errno != ENOENT)
    ok = false, fileio_fail(d, path, "cannot write file", errno);
  if (ok && sync && fsync(fd) != 0)
    ok = false, fileio_fail(d, path, "cannot write file", errno);
  close(fd);
  return ok;
}

// Removes DIR/path; one gone, a directory, or below a link, is not ecsc's.
static bool apply_del(OutDir *d, const Line *l, bool sync) {
  char *path = str_cstr(&d->c->arena, l->path);
  const char *leaf;
  int fd = fileio_open_parent(d, path, false, &leaf);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
    return true;
  if (fd < 0) {
    fileio_fail(d, path, "cannot remove file", errno);
    return false;
  }
  bool ok = true;
  struct stat st;
  if (fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
      unlinkat(fd, leaf, 0) != 0 && errno != ENOENT)
    ok = false, fileio_fail(d, path, "cannot remove file", errno);
  if (ok && sync && fsync(fd) != 0)
    ok = false, fileio_fail(d, path, "cannot remove file", errno);
  close(fd);
  return ok;
}

// Before the exchange: the staged directory gets the live one's mode and
// owner, and the user's entries (all but ecsc's files, old and new).
static int carry(int live, int staged, const Str *drops, ptrdiff_t ndrops) {
  struct stat st;
  if (fstat(live, &st) != 0)
    return errno;
  int err = fileio_carry(live, staged, drops, ndrops);
  if (err)
    return err;
  if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
      fchown(staged, st.st_uid, st.st_gid) != 0) {
    // not root: the directory stays ours
  }
  return fchmod(staged, st.st_mode & 07777) == 0 ? 0 : errno;
}

// Gives back to the state what only the replaced directory (now the
// staged one's place in the scratch) has, then removes that directory.
static bool merge_old(OutDir *d, int parent, const char *leaf, const Line *swap,
                      const Str *drops, ptrdiff_t ndrops) {
  char *staged = str_cstr(&d->c->arena, swap->staged);
  int old = openat(d->stagefd, staged, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (old < 0)
    return true;  // merged and removed already
  int now = openat(parent, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int err = now < 0 ? (errno == ENOENT ? 0 : errno) : fileio_merge(old, now, drops, ndrops);
  close(old);
  if (now >= 0)
    close(now);
  if (!err)
    err = fileio_remove_tree(d->stagefd, staged, true);
  if (err)
    fileio_fail(d, str_cstr(&d->c->arena, swap->path),
                "cannot give back the files the old state directory holds", err);
  return !err;
}

// Removes a staged directory that has nowhere to go.
static bool drop_staged(OutDir *d, const Line *swap) {
  int err = fileio_remove_tree(d->stagefd, str_cstr(&d->c->arena, swap->staged), true);
  if (err)
    fileio_fail(d, OUTPUT_SCRATCH, "cannot remove ecsc's scratch directory", err);
  return !err;
}

// Puts the staged directory in the state's place: renamed there when the
// state is new, else exchanged with it (after its user's entries are
// carried over), then the old one merged back and removed. Done already when
// the state's inode is the staged one's.
static bool apply_swap(OutDir *d, const Line *l, const Str *drops, ptrdiff_t ndrops, bool sync) {
  Arena *a = &d->c->arena;
  char *path = str_cstr(a, l->path);
  char *staged = str_cstr(a, l->staged);
  const char *leaf;
  bool removed = l->kind == CHANGE_REMOVED;
  int parent = fileio_open_parent(d, path, !removed, &leaf);
  if (parent < 0 && removed && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
    return drop_staged(d, l);  // gone, or below a link: nothing of ecsc's to remove
  if (parent < 0) {
    fileio_fail(d, path, "cannot write state directory", errno);
    return false;
  }
  bool ok = true;
  struct stat st;
  bool exists = fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (exists && S_ISDIR(st.st_mode) && st.st_ino == l->ino)
    goto out_merge;  // exchanged already
  if (fstatat(d->stagefd, staged, &st, AT_SYMLINK_NOFOLLOW) != 0)
    goto out_close;  // nothing staged is left: done, and the state removed since
  if (!exists && removed) {
    ok = drop_staged(d, l);
    goto out_close;
  }
  if (!exists && renameat2(d->stagefd, staged, parent, leaf, RENAME_NOREPLACE) == 0)
    goto out_sync;
  if (!exists && errno != EEXIST) {
    ok = false, fileio_fail(d, path, "cannot write state directory", errno);
    goto out_close;
  }
  if (fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    ok = false, fileio_fail(d, path, "cannot write state directory", errno);
    goto out_close;
  }
  if (!S_ISDIR(st.st_mode)) {  // a file or a link: the user's, put there since
    Str where = str_fmt(a, "%.*s/%s", S(d->dir), path);
    d->io_failure = diag_file(d->c, E0009, where, "%s not written by ecsc is in the way",
                              S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
    diag_help(d->c, d->io_failure, "ecsc puts a state directory at this path; move it away");
    ok = false;
    goto out_close;
  }
  int live = openat(parent, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int into = openat(d->stagefd, staged, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int err = live < 0 || into < 0 ? errno : carry(live, into, drops, ndrops);
  if (live >= 0)
    close(live);
  if (into >= 0)
    close(into);
  if (!err && stop_here()) {
    ok = false;
    goto out_close;
  }
  if (!err && renameat2(d->stagefd, staged, parent, leaf, RENAME_EXCHANGE) != 0)
    err = errno;
  if (err) {
    ok = false, fileio_fail(d, path, "cannot replace state directory", err);
    goto out_close;
  }
out_sync:
  if (sync && fsync(parent) != 0) {
    ok = false, fileio_fail(d, path, "cannot write state directory", errno);
    goto out_close;
  }
  if (stop_here()) {
    ok = false;
    goto out_close;
  }
out_merge:
  ok = merge_old(d, parent, leaf, l, drops, ndrops);
out_close:
  close(parent);
  return ok;
}

// Does a parsed, committed journal, then removes the scratch. Directories
// that removals emptied go last, so that one emptied and filled again stays
// the same directory, and a replay removes those a kill left behind.
static bool apply_all(OutDir *d, const Parsed *p) {
  Arena *a = &d->c->arena;
  ptrdiff_t steps = 0;
  for (ptrdiff_t i = 0; i < p->n; i++)
    steps += p->lines[i].op != J_DROP && p->lines[i].op != J_STATE;
  bool sync_each = steps <= OUTPUT_FSYNC_MAX;  // else one syncfs at the end
  step = 0;
  for (ptrdiff_t i = 0; i < p->n; i++) {
    const Line *l = &p->lines[i];
    bool ok = true;
    if (l->op != J_DROP && l->op != J_STATE && stop_here())
      return false;
    if (l->op == J_PUT) {
      ok = apply_put(d, l, sync_each);
    } else if (l->op == J_DEL) {
      ok = apply_del(d, l, sync_each);
    } else if (l->op == J_SWAP) {
      ptrdiff_t ndrops = 0;
      while (i + 1 + ndrops < p->n && p->lines[i + 1 + ndrops].op == J_DROP)
        ndrops++;
      Str *drops = new(a, Str, ndrops + 1);
      for (ptrdiff_t k = 0; k < ndrops; k++)
        drops[k] = p->lines[i + 1 + k].path;
      ok = apply_swap(d, l, drops, ndrops, sync_each);
    }
    if (!ok) {
      if (d->io_failure) {
        diag_help(d->c, d->io_failure,
                  "the update is half done, and each state directory in %.*s is whole, old or "
                  "new: fix the cause and build again, which finishes the update first",
                  S(d->dir));
        diag_help(d->c, d->io_failure,
                  "or build again with --discard-journal to set the update aside and write "
                  "every file that differs");
      }
      return false;
    }
  }
  if (stop_here())
    return false;
  // (For a removed state, a name below it: the directories above that go.)
  for (ptrdiff_t i = 0; i < p->n; i++) {
    const Line *l = &p->lines[i];
    if (l->op == J_DEL || (l->op == J_SWAP && l->kind == CHANGE_REMOVED))
      fileio_remove_empty_dirs(d, str_cstr(a, str_fmt(a, "%.*s%s", S(l->path),
                                                      l->op == J_SWAP ? "/-" : "")));
  }
  if (!sync_each && syncfs(d->dirfd) != 0) {
    fileio_fail(d, "", "cannot write output directory", errno);
    return false;
  }
  return journal_discard(d);
}

// Does it with SIGINT, SIGTERM, SIGHUP and SIGQUIT held off: a signal now
// would leave the journal to the next build; held off, it ends the process
// once the update is whole.
static bool apply_held(OutDir *d, const Parsed *p) {
  sigset_t hold, old;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  sigaddset(&hold, SIGTERM);
  sigaddset(&hold, SIGHUP);
  sigaddset(&hold, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &hold, &old);
  bool ok = apply_all(d, p);
  if (d->stagefd >= 0)  // left open by a failure, with the journal
    close(d->stagefd), d->stagefd = -1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return ok;
}

bool journal_apply(OutDir *d, Journal *j) {
  Str t = joined(j);
  Parsed p = read_journal(&d->c->arena, t);
  if (p.verdict != J_OK) {  // a bug in this file: refuse rather than half do it
    fileio_fail(d, OUTPUT_SCRATCH "/" JOURNAL, "cannot read back the update's journal", EINVAL);
    journal_discard(d);
    return false;
  }
  return apply_held(d, &p);
}

// Removes the scratch, its journal first: a scratch half removed is then one
// that was never committed.
bool journal_discard(OutDir *d) {
  if (d->stagefd >= 0) {
    unlinkat(d->stagefd, JOURNAL, 0);
    close(d->stagefd);
    d->stagefd = -1;
  }
  int err = fileio_remove_tree(d->dirfd, OUTPUT_SCRATCH, false);
  if (err)
    fileio_fail(d, OUTPUT_SCRATCH, "cannot remove ecsc's scratch directory", err);
  return !err;
}

//
// Recovery
//

// --discard-journal: the unfinished update goes, whole, to
// DIR/.ecsc-discarded-N, deleting nothing: what the user's it holds (files a
// killed run was moving) stays theirs to look at.
static bool set_aside(OutDir *d, Str journal) {
  Arena *a = &d->c->arena;
  journal_note_states(a, journal, d->changes);
  if (d->stagefd >= 0)
    close(d->stagefd), d->stagefd = -1;
  char name[NAME_MAX + 1];
  for (int n = 1; n < 1000; n++) {
    snprintf(name, sizeof name, DISCARDED "%d", n);
    if (renameat2(d->dirfd, OUTPUT_SCRATCH, d->dirfd, name, RENAME_NOREPLACE) == 0) {
      fsync(d->dirfd);
      Diag *note = diag_file(d->c, N0704, str_fmt(a, "%.*s/%s", S(d->dir), name),
                             "an interrupted build's unfinished update was set aside here");
      diag_help(d->c, note,
                "it holds what that build had staged, and may hold files of yours it was "
                "moving; delete it once you have looked");
      return true;
    }
    if (errno != EEXIST)
      break;
  }
  fileio_fail(d, OUTPUT_SCRATCH, "cannot set the unfinished update aside", errno);
  return false;
}

// The bidirectional formatting character at p (U+202A-U+202E or
// U+2066-U+2069: E2 80 AA-AE, E2 81 A6-A9 in UTF-8), or 0.
static unsigned bidi_control(const unsigned char *p, ptrdiff_t n) {
  if (n < 3 || p[0] != 0xE2)
    return 0;
  unsigned c = 0x2000u | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ? c : 0;
}

// A line of a journal as a message may quote it: control and bidirectional
// formatting characters escaped (\u001b), never printed raw to a terminal,
// and at most 80 bytes.
static Str display_line(Arena *a, Str line) {
  Str clean = source_utf8_clean(a, line);
  const unsigned char *p = (const unsigned char *)clean.ptr;
  Buf b = {.arena = a};
  for (ptrdiff_t i = 0; i < clean.len && b.len < 80; i++) {
    unsigned bidi = bidi_control(p + i, clean.len - i);
    if (bidi)
      buf_printf(&b, "\\u%04x", bidi), i += 2;
    else if (p[i] < 0x20 || p[i] == 0x7F || p[i] == '"' || p[i] == '\\')
      buf_printf(&b, "\\u%04x", p[i]);
    else
      buf_putc(&b, (char)p[i]);
  }
  return buf_str(&b);
}

// A journal this ecsc cannot do, reported with what to do instead.
static void refuse(OutDir *d, const Parsed *p) {
  Arena *a = &d->c->arena;
  Str path = str_fmt(a, "%.*s/" OUTPUT_SCRATCH "/" JOURNAL, S(d->dir));
  Diag *e;
  if (p->verdict == J_FOREIGN) {
    e = diag_file(d->c, E0703, path,
                  "an interrupted build of a later ecsc left this update, in a journal format "
                  "this ecsc does not know: \"%.*s\"",
                  S(display_line(a, p->bad)));
    diag_help(d->c, e, "build with that later ecsc, which finishes the update first");
  } else {
    Str bad = display_line(a, p->bad);
    Str why = p->bad_line == 0 ? STR("its last line is not \"end\"")
              : p->bad_line == 1
                  ? str_fmt(a, "its first line is not ecsc's header: \"%.*s\"", S(bad))
                  : str_fmt(a, "line %d is not one ecsc writes: \"%.*s\"", p->bad_line, S(bad));
    e = diag_file(d->c, E0702, path, "the journal of an interrupted build is damaged: %.*s",
                  S(why));
    diag_help(d->c, e,
              "no build can finish this update, so none was tried: %.*s is as the "
              "interrupted build left it",
              S(d->dir));
  }
  diag_help(d->c, e,
            "or build again with --discard-journal: it moves " OUTPUT_SCRATCH " aside, to "
            DISCARDED "N beside it, deleting nothing, and writes every file that differs");
}

// Finishes, throws away or sets aside what a killed update left.
bool journal_recover(OutDir *d, bool discard) {
  Arena *a = &d->c->arena;
  Str journal = {0};
  int err = fileio_read(a, d->dirfd, OUTPUT_SCRATCH "/" JOURNAL, &journal);
  if (err && err != ENOENT && err != ENOTDIR) {
    fileio_fail(d, OUTPUT_SCRATCH "/" JOURNAL, "cannot read the journal of an interrupted build",
                err);
    return false;
  }
  bool committed = !err;
  d->stagefd = openat(d->dirfd, OUTPUT_SCRATCH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d->stagefd < 0 && errno == ENOENT)
    return true;
  if (d->stagefd < 0 && errno != ENOTDIR && errno != ELOOP) {
    fileio_fail(d, OUTPUT_SCRATCH, "cannot open ecsc's scratch directory", errno);
    return false;
  }
  if (d->stagefd < 0 || !committed)  // not a directory, or never committed
    return journal_discard(d);
  if (discard)
    return set_aside(d, journal);
  Parsed p = read_journal(a, journal);
  if (p.verdict != J_OK) {
    refuse(d, &p);
    close(d->stagefd), d->stagefd = -1;
    return false;
  }
  journal_note_states(a, journal, d->changes);
  return apply_held(d, &p);
}

// The committed journal in DIR (dirfd), if there is one: the update a kill
// left. Its states are noted in changes.
bool journal_pending(Arena *a, int dirfd, Changes *changes) {
  Str journal;
  if (fileio_read(a, dirfd, OUTPUT_SCRATCH "/" JOURNAL, &journal) != 0)
    return false;
  journal_note_states(a, journal, changes);
  return true;
}
