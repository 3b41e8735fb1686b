// fileio.c: the file primitives of the output directory: the rules a path
// of the tree must follow, reading and comparing files, writing them (each
// flushed when asked), and making, opening, carrying over and removing
// directories. Every path is relative to a directory's descriptor and none
// is followed through a symbolic link, so nothing here reaches outside the
// directory it is given, and nothing crosses into another mount.
// output.c and journal.c build on these; only they and main.c touch files.
#include "emit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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
  if (str_starts_with(p, STR(OUTPUT_RESERVED)))
    return "the path starts with " OUTPUT_RESERVED ", which ecsc keeps for its own files";
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

static int make_dir(const OutDir *d, int dirfd, const char *path) {
  if (mkdirat(dirfd, path, FILEIO_DIR_MODE) != 0)
    return errno == EEXIST ? 0 : errno;
  if (d->umask & FILEIO_DIR_MODE && fchmodat(dirfd, path, FILEIO_DIR_MODE, 0) != 0)
    return errno;
  return 0;
}

// Makes the directory above path's last component (NUL-terminated, below
// dirfd), and those missing above it, as mkdir -p; one that exists is fine.
// Deepest first: in a tree being written its parent is usually there
// already, so a directory costs one mkdir. Returns 0 or an errno, and
// reports nothing: a new DIR's makers call it side by side.
int fileio_make_dirs(const OutDir *d, int dirfd, char *path) {
  char *slash = strrchr(path, '/');
  if (!slash)
    return 0;
  *slash = 0;
  int err = make_dir(d, dirfd, path);
  if (err == ENOENT && !(err = fileio_make_dirs(d, dirfd, path)))
    err = make_dir(d, dirfd, path);
  *slash = '/';
  return err;
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
    if (make)
      make_dir(d, fd, part);  // one that cannot be made fails the open below
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
// A directory on another device (a mount point) is left alone: EXDEV.
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
  struct stat above, st;
  if (fstat(dirfd, &above) != 0 || fstat(fd, &st) != 0 || above.st_dev != st.st_dev) {
    close(fd);
    return EXDEV;
  }
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

// Which mount dirfd/path (not followed) is on: statx's mount id, where the
// kernel has it (Linux 5.8), else its device, which tells bind mounts of one
// file system apart only by the id. *st gets what fstatat would give.
int fileio_mount(int dirfd, const char *path, uint64_t *mount, struct stat *st) {
  struct statx sx;
  if (statx(dirfd, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, &sx) != 0)
    return errno;
  *st = (struct stat){.st_mode = sx.stx_mode, .st_ino = sx.stx_ino, .st_uid = sx.stx_uid,
                      .st_gid = sx.stx_gid, .st_nlink = sx.stx_nlink,
                      .st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor)};
  *mount = sx.stx_mask & STATX_MNT_ID ? sx.stx_mnt_id : (uint64_t)st->st_dev | 1ull << 63;
  return 0;
}

static bool listed(const Str *names, ptrdiff_t n, const char *name) {
  for (ptrdiff_t i = 0; i < n; i++)
    if (str_eq_c(names[i], name))
      return true;
  return false;
}

// A directory's mode and owner given to a copy of it. The owner only where
// the process may (root): otherwise the copy is ours, as everything we make.
static void copy_attributes(int fd, const struct stat *st) {
  if (st->st_uid != geteuid() || st->st_gid != getegid())
    if (fchown(fd, st->st_uid, st->st_gid) != 0) {
      // not root: the copy stays ours
    }
  fchmod(fd, st->st_mode & 07777);
}

// A directory stream over fd's directory from its first entry, on a
// duplicate of fd: closedir closes the duplicate and fd stays open for the
// *at calls. Returns 0 or an errno.
static int dir_stream(int fd, DIR **out) {
  int dup_fd = dup(fd);
  DIR *dir = dup_fd < 0 ? NULL : fdopendir(dup_fd);
  if (!dir) {
    int err = errno;
    if (dup_fd >= 0)
      close(dup_fd);
    return err;
  }
  rewinddir(dir);
  *out = dir;
  return 0;
}

// Links everything in the directory `from` into the directory `to`, as
// cp -al does: each directory made anew with its mode and owner, everything
// else (files, symbolic links, fifos) a hard link to the same inode. What
// `to` has already is kept (a copy an earlier, killed run began). Returns 0
// or an errno; EXDEV for a mount point inside.
static int link_all(int from, int to) {
  struct stat above;
  if (fstat(from, &above) != 0)
    return errno;
  DIR *dir;
  int err = dir_stream(from, &dir);
  if (err)
    return err;
  struct dirent *e;
  while (!err && (e = readdir(dir))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    struct stat st;
    if (fstatat(from, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      err = errno == ENOENT ? 0 : errno;  // gone meanwhile: nothing to carry
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      if (linkat(from, e->d_name, to, e->d_name, 0) != 0 && errno != EEXIST)
        err = errno;
      continue;
    }
    if (st.st_dev != above.st_dev) {
      err = EXDEV;
      break;
    }
    if (mkdirat(to, e->d_name, 0700) != 0 && errno != EEXIST) {
      err = errno;
      break;
    }
    int sub_from = openat(from, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int sub_to = openat(to, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub_from < 0 || sub_to < 0)
      err = errno;
    else if (!(err = link_all(sub_from, sub_to)))
      copy_attributes(sub_to, &st);
    if (sub_from >= 0)
      close(sub_from);
    if (sub_to >= 0)
      close(sub_to);
  }
  closedir(dir);
  return err;
}

// Carries the user's entries of the directory `from` into the directory
// `to`, which replaces it next (RENAME_EXCHANGE): every entry but those
// named in skip (ecsc's files the update removes) and those `to` has
// already (ecsc's new files, or entries an earlier, killed run carried).
// Each is linked (link_all), so `from` stays whole until the exchange; one
// that cannot be (a file another user owns, under fs.protected_hardlinks; a
// mount point deeper in it; a full disk) is moved instead, after what was
// linked of it is removed. Returns 0 or the errno of a move that failed.
int fileio_carry(int from, int to, const Str *skip, ptrdiff_t nskip) {
  DIR *dir;
  int err = dir_stream(from, &dir);
  if (err)
    return err;
  struct dirent *e;
  while (!err && (e = readdir(dir))) {
    const char *name = e->d_name;
    struct stat st, there;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || listed(skip, nskip, name))
      continue;
    if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;  // gone meanwhile
    bool has = fstatat(to, name, &there, AT_SYMLINK_NOFOLLOW) == 0;
    if (has && !(S_ISDIR(st.st_mode) && S_ISDIR(there.st_mode)))
      continue;  // ecsc's new file, or linked by an earlier run
    int linked;
    if (!S_ISDIR(st.st_mode)) {
      linked = linkat(from, name, to, name, 0) == 0 ? 0 : errno;
    } else {
      linked = has || mkdirat(to, name, 0700) == 0 ? 0 : errno;
      int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (!linked && (sub_from < 0 || sub_to < 0))
        linked = errno;
      if (!linked && !(linked = link_all(sub_from, sub_to)))
        copy_attributes(sub_to, &st);
      if (sub_from >= 0)
        close(sub_from);
      if (sub_to >= 0)
        close(sub_to);
    }
    if (linked) {
      fileio_remove_tree(to, name, S_ISDIR(st.st_mode));  // what was linked of it
      if (renameat(from, name, to, name) != 0)
        err = errno;
    }
  }
  closedir(dir);
  return err;
}

// After an exchange: `from` is the directory replaced, `to` the one that
// replaced it. Moves into `to` what only `from` has (an entry the user made
// between the carry and the exchange, or one a killed run had not carried),
// recursing where both have a directory, and removes the rest of `from`'s
// entries: ecsc's old files and the links carry made (where both have a
// file, `to`'s is the one kept). Top-level names in drop are ecsc's removed
// files, never moved. No directory is removed that could not be merged:
// returns 0 or that errno.
int fileio_merge(int from, int to, const Str *drop, ptrdiff_t ndrop) {
  struct stat above;
  if (fstat(from, &above) != 0)
    return errno;
  DIR *dir;
  int err = dir_stream(from, &dir);
  if (err)
    return err;
  struct dirent *e;
  while (!err && (e = readdir(dir))) {
    const char *name = e->d_name;
    struct stat st, there;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (listed(drop, ndrop, name)) {
      err = fileio_remove_tree(from, name, S_ISDIR(st.st_mode));
      continue;
    }
    if (fstatat(to, name, &there, AT_SYMLINK_NOFOLLOW) != 0) {
      // Only `from` has it. EEXIST: made in `to` meanwhile; both are kept.
      if (renameat2(from, name, to, name, RENAME_NOREPLACE) != 0)
        err = errno;
      continue;
    }
    if (S_ISDIR(st.st_mode) && !S_ISDIR(there.st_mode)) {
      err = EEXIST;  // a directory only `from` has, where `to` has a file: kept
      break;
    }
    if (S_ISDIR(st.st_mode) && st.st_ino != there.st_ino) {
      if (st.st_dev != above.st_dev) {
        err = EXDEV;
        break;
      }
      int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub_from < 0 || sub_to < 0)
        err = errno;
      else
        err = fileio_merge(sub_from, sub_to, NULL, 0);
      if (sub_from >= 0)
        close(sub_from);
      if (sub_to >= 0)
        close(sub_to);
      if (!err && unlinkat(from, name, AT_REMOVEDIR) != 0)
        err = errno;
      continue;
    }
    err = fileio_remove_tree(from, name, S_ISDIR(st.st_mode));
  }
  closedir(dir);
  return err;
}
