// fileio.c: the file primitives of the output directory: the rules a path
// of the tree must follow, reading and comparing files, writing them (each
// flushed when asked), and making, opening and removing directories. Every
// path is relative to a directory's descriptor and none is followed through
// a symbolic link, so nothing here reaches outside the directory it is given.
// output.c and journal.c build on these; only they and main.c touch files.
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//
// Paths of the tree
//

// Why a tree path must not be written, or NULL. Paths come from the emitters,
// not from users, so each of these is a bug in ecsc; checking them is cheap
// and keeps such a bug from writing outside DIR. The manifest is one path per
// line, hence no line breaks.
const char *fileio_bad_path(Str p) {
  if (p.len == 0)
    return "the path is empty";
  if (p.ptr[0] == '/')
    return "the path is absolute";
  if (p.len >= PATH_MAX)
    return "the path is longer than PATH_MAX";
  if (p.ptr[0] == '#')
    return "the path starts with #, which the manifest reads as a comment";
  if (str_eq_c(p, OUTPUT_MANIFEST) || str_starts_with(p, STR(OUTPUT_MANIFEST "/")))
    return "the path is the manifest's";
  if (str_eq_c(p, OUTPUT_SCRATCH) || str_starts_with(p, STR(OUTPUT_SCRATCH "/")))
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

// How much of dir (a file's directory in the tree) names directories already
// seen with prev, the previous file's directory: sorted paths share their
// leading directories, which are made, or checked, once.
ptrdiff_t fileio_seen_dirs(Str dir, Str prev) {
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

//
// Failures
//

void fileio_fail(OutDir *d, const char *rel, const char *what, int err) {
  Str path = *rel ? str_fmt(&d->c->arena, "%.*s/%s", S(d->dir), rel) : d->dir;
  d->io_failure =
      diag_file(d->c, E0008, path, "%s: %.*s", what, S(diag_errno(&d->c->arena, err)));
}

//
// Files
//

bool fileio_write_all(int fd, Str data) {
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

// Compares the file at dirfd/path with data without reading it into memory.
// A symbolic link, a directory or a file of another mode (when want_mode is
// set) is FILE_DIFFERENT: a build would put a regular file there.
// FILE_UNREADABLE leaves errno set.
FileCompare fileio_compare(int dirfd, const char *path, Str data, bool want_mode) {
  int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return FILE_ABSENT;
    return errno == ELOOP ? FILE_DIFFERENT : FILE_UNREADABLE;
  }
  FileCompare r = FILE_DIFFERENT;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    r = FILE_UNREADABLE;
    goto out_close;
  }
  if (!S_ISREG(st.st_mode) || st.st_size != data.len ||
      (want_mode && (st.st_mode & 07777) != FILEIO_FILE_MODE))
    goto out_close;
  char chunk[1 << 16];
  for (ptrdiff_t off = 0;;) {
    ssize_t k = read_full(fd, chunk, sizeof chunk);
    if (k < 0) {
      r = FILE_UNREADABLE;
      goto out_close;
    }
    if (k == 0) {
      r = off == data.len ? FILE_SAME : FILE_DIFFERENT;
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
int fileio_read(Arena *a, int dirfd, const char *path, Str *out) {
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

// Creates the file name below dirfd with data, flushed to disk if `sync`.
// Returns 0 or an errno; safe on any thread.
int fileio_create(const OutDir *d, int dirfd, const char *name, Str data, bool sync) {
  int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  FILEIO_FILE_MODE);
  if (fd < 0)
    return errno;
  bool ok = (!(d->umask & FILEIO_FILE_MODE) || fchmod(fd, FILEIO_FILE_MODE) == 0) &&
            fileio_write_all(fd, data) && (!sync || fsync(fd) == 0);
  int err = ok ? 0 : errno;
  if (close(fd) != 0 && !err)
    err = errno;
  return err;
}

// fileio_create, reported on DIR/rel.
bool fileio_write(OutDir *d, int dirfd, const char *name, const char *rel, Str data, bool sync) {
  int err = fileio_create(d, dirfd, name, data, sync);
  if (err)
    fileio_fail(d, rel, "cannot write file", err);
  return !err;
}

//
// Directories
//

// Makes path's missing directories, as mkdir -p does (for DIR's parent; an
// empty directory is all a failed build can leave behind).
void fileio_make_parents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = 0;
    mkdir(path, FILEIO_DIR_MODE);
    *p = '/';
  }
  mkdir(path, FILEIO_DIR_MODE);
}

// Makes the directories above path (NUL-terminated, below dirfd) from byte
// `from` on; those that exist are fine.
bool fileio_make_dirs(OutDir *d, int dirfd, char *path, ptrdiff_t from) {
  for (char *p = strchr(path + from, '/'); p; p = strchr(p + 1, '/')) {
    *p = 0;
    int r = mkdirat(dirfd, path, FILEIO_DIR_MODE);
    int err = errno;
    if (r == 0 && d->umask & FILEIO_DIR_MODE)
      r = fchmodat(dirfd, path, FILEIO_DIR_MODE, 0), err = errno;
    else if (r != 0 && err == EEXIST)
      r = 0;
    if (r != 0)
      fileio_fail(d, path, "cannot create directory", err);
    *p = '/';
    if (r != 0)
      return false;
  }
  return true;
}

// Opens the directory above path (NUL-terminated, relative to DIR) one
// component at a time and never through a symbolic link, so that no journal,
// however stale or corrupt, and no link a user put in DIR, can make an update
// write or remove outside DIR. Makes missing directories when `make`. Returns
// an fd to close, *leaf pointing into path at the last component; or -1 with
// errno ENOENT (missing), ELOOP (a symbolic link) or ENOTDIR (a file).
int fileio_open_parent(const OutDir *d, char *path, bool make, const char **leaf) {
  int fd = openat(d->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char *part = path;
  for (char *slash = strchr(part, '/'); fd >= 0 && slash; slash = strchr(part, '/')) {
    *slash = 0;
    if (make && mkdirat(fd, part, FILEIO_DIR_MODE) == 0 && d->umask & FILEIO_DIR_MODE)
      fchmodat(fd, part, FILEIO_DIR_MODE, 0);
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
void fileio_remove_empty_dirs(const OutDir *d, char *path) {
  for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
    *slash = 0;
    const char *leaf;
    int fd = fileio_open_parent(d, path, false, &leaf);
    bool removed = fd >= 0 && unlinkat(fd, leaf, AT_REMOVEDIR) == 0;
    if (fd >= 0)
      close(fd);
    if (!removed)
      break;
  }
}

// Removes name (a file, or a directory with everything in it) below dirfd;
// is_dir is a hint from readdir that spares a failing unlink. Never follows a
// symbolic link, so a link to a user's directory inside a removed tree
// removes the link only. Returns 0 or an errno.
int fileio_remove_tree(int dirfd, const char *name, bool is_dir) {
  if (!is_dir) {
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
      return 0;
    if (errno != EISDIR && errno != EPERM)  // POSIX allows EPERM for a directory
      return errno;
  }
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : errno;
  DIR *dir = fdopendir(fd);
  if (!dir) {
    int err = errno;
    close(fd);
    return err;
  }
  int err = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    int sub = fileio_remove_tree(fd, e->d_name, e->d_type == DT_DIR);
    if (sub && !err)
      err = sub;
  }
  closedir(dir);
  if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && !err)
    err = errno;
  return err;
}
