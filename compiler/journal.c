// journal.c: the journal of an update in place, DIR/.ecsc-update/journal:
// what output.c staged and where each staged file goes, written whole and
// flushed before its name appears (the commit), then done step by step; and
// recovery, which finishes the journal a kill interrupted after its commit,
// or throws away a scratch directory that never reached it.
//
// A journal is lines of text: a header, "del PATH" for each file to remove,
// "put N PATH" for each staged file .ecsc-update/N to rename to DIR/PATH, the
// manifest's last, and "end". Every step can be done twice, so recovery just
// does them all again.
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOURNAL "journal"  // in DIR/.ecsc-update: the committed update
#define JOURNAL_HEADER "# ecsc: an update of this directory; the next build finishes it.\n"
#define JOURNAL_END "end\n"

void journal_init(Journal *j, Arena *a) {
  *j = (Journal){.head = {.arena = a}, .tail = {.arena = a}};
  buf_puts(&j->head, JOURNAL_HEADER);
  j->header = j->head.len;
}

void journal_put(Journal *j, ptrdiff_t staged, const char *path) {
  buf_printf(&j->tail, "put %td %s\n", staged, path);
}

void journal_del(Journal *j, const char *path) {
  buf_printf(&j->head, "del %s\n", path);
}

bool journal_is_empty(const Journal *j) {
  return j->head.len == j->header && j->tail.len == 0;
}

static Str text(Journal *j) {
  Buf b = {.arena = j->head.arena};
  buf_put(&b, buf_str(&j->head));
  buf_put(&b, buf_str(&j->tail));  // the manifest last
  buf_puts(&b, JOURNAL_END);
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

// The journal, on disk before its name is: the commit.
bool journal_commit(OutDir *d, Journal *j) {
  Str journal = text(j);
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

// Does what one line of a committed journal says; done twice, the second
// time does nothing. A line no build writes is refused rather than guessed
// at. sync: flush the directory changed.
static bool apply_line(OutDir *d, Str line, bool sync) {
  Arena *a = &d->c->arena;
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
  if (fileio_bad_path(rel) && (del || !str_eq_c(rel, OUTPUT_MANIFEST)))
    goto out_bad;
  char *path = str_cstr(a, rel);
  const char *leaf;
  int fd = fileio_open_parent(d, path, !del, &leaf);
  if (fd < 0 && del && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
    return true;  // gone, or below a link: not ecsc's to remove
  if (fd < 0) {
    fileio_fail(d, path, "cannot write file", errno);
    return false;
  }
  bool ok = true;
  struct stat st;
  if (del) {
    // A directory: a later line made it, in a run that was cut short.
    if (fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
        unlinkat(fd, leaf, 0) != 0 && errno != ENOENT)
      ok = false, fileio_fail(d, path, "cannot remove file", errno);
  } else {
    char *staged = str_cstr(a, (Str){line.ptr + 4, sp - 4});
    if (renameat(d->stagefd, staged, fd, leaf) != 0 && errno != ENOENT)  // ENOENT: done
      ok = false, fileio_fail(d, path, "cannot write file", errno);
  }
  if (ok && sync && fsync(fd) != 0)
    ok = false, fileio_fail(d, path, "cannot write file", errno);
  close(fd);
  return ok;
out_other:
  if (line.len == 0 || line.ptr[0] == '#' || str_eq_c(line, "end"))
    return true;
out_bad:
  d->io_failure = diag_file(
      d->c, E0008, str_fmt(a, "%.*s/" OUTPUT_SCRATCH "/" JOURNAL, S(d->dir)),
      "the journal of an interrupted build has a line ecsc does not write: \"%.*s\"", S(line));
  return false;
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
static bool apply(OutDir *d, Str journal) {
  Str end = STR("\n" JOURNAL_END);
  bool committed = journal.len >= end.len &&
                   memcmp(journal.ptr + journal.len - end.len, end.ptr, (size_t)end.len) == 0;
  ptrdiff_t changes = 0, i = 0;
  Str line;
  while (committed && next_line(journal, &i, &line))
    changes += str_starts_with(line, STR("put ")) || str_starts_with(line, STR("del "));
  bool sync_each = changes <= OUTPUT_FSYNC_MAX;  // else one syncfs at the end
  for (i = 0; committed && next_line(journal, &i, &line);) {
    if (!apply_line(d, line, sync_each)) {
      if (d->io_failure)
        diag_help(d->c, d->io_failure,
                  "the update is half done; the next ecsc build -o %.*s finishes it", S(d->dir));
      return false;
    }
  }
  for (i = 0; committed && next_line(journal, &i, &line);)
    if (str_starts_with(line, STR("del ")))
      fileio_remove_empty_dirs(d, str_cstr(&d->c->arena, (Str){line.ptr + 4, line.len - 4}));
  if (committed && !sync_each && syncfs(d->dirfd) != 0) {
    fileio_fail(d, "", "cannot write output directory", errno);
    return false;
  }
  return journal_discard(d);
}

// Applies the committed journal, with SIGINT, SIGTERM, SIGHUP and SIGQUIT
// held off: a signal now would leave the journal to the next build; held
// off, it ends the process once the update is whole.
bool journal_apply(OutDir *d, Journal *j) {
  sigset_t hold, old;
  sigemptyset(&hold);
  sigaddset(&hold, SIGINT);
  sigaddset(&hold, SIGTERM);
  sigaddset(&hold, SIGHUP);
  sigaddset(&hold, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &hold, &old);
  bool ok = apply(d, text(j));
  if (d->stagefd >= 0)  // left open by a failure, with the journal
    close(d->stagefd), d->stagefd = -1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return ok;
}

// Finishes or throws away what a killed update left.
bool journal_recover(OutDir *d) {
  Str journal = {0};
  int err = fileio_read(&d->c->arena, d->dirfd, OUTPUT_SCRATCH "/" JOURNAL, &journal);
  if (err && err != ENOENT && err != ENOTDIR) {
    fileio_fail(d, OUTPUT_SCRATCH "/" JOURNAL, "cannot read the journal of an interrupted build",
                err);
    return false;
  }
  d->stagefd = openat(d->dirfd, OUTPUT_SCRATCH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d->stagefd < 0 && errno == ENOENT)
    return true;
  if (d->stagefd < 0 && errno != ENOTDIR && errno != ELOOP) {
    fileio_fail(d, OUTPUT_SCRATCH, "cannot open ecsc's scratch directory", errno);
    return false;
  }
  if (d->stagefd < 0)  // not a directory: removed
    return journal_discard(d);
  bool ok = apply(d, journal);
  if (d->stagefd >= 0)  // left open by a failure, with the journal
    close(d->stagefd), d->stagefd = -1;
  return ok;
}

// Whether DIR (dirfd) holds a committed journal: the update a kill left.
bool journal_pending(int dirfd) {
  struct stat st;
  return fstatat(dirfd, OUTPUT_SCRATCH "/" JOURNAL, &st, AT_SYMLINK_NOFOLLOW) == 0;
}
