// bench/floor.c: the floor under any build of a tree: a program that already
// holds every byte of the output in memory writes the same directories and
// files (open, write, close; no temporary names), then flushes them (syncfs,
// as ecsc build does before it names the tree). What ecsc spends above this
// is its own: the check, and making the JSON. Not part of ecsc; bench/run.sh
// compiles it.
//
//   floor SRC DST    reads the tree SRC into memory, then times writing it
//                    as DST; prints "WRITE_SECONDS SYNC_SECONDS"
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char *rel;   // path below the root, "" for the root itself
  char *data;  // NULL for a directory
  size_t len;
} Entry;

static Entry *entries;
static size_t nentries, capacity, root_len;

static void fail(const char *what, const char *path) {
  perror(path);
  fprintf(stderr, "floor: %s failed\n", what);
  exit(1);
}

static Entry *push(void) {
  if (nentries == capacity) {
    capacity = capacity ? 2 * capacity : 1024;
    entries = realloc(entries, capacity * sizeof *entries);
    if (!entries)
      fail("realloc", "memory");
  }
  return &entries[nentries++];
}

// nftw's callback: directories before what they hold (pre-order), so that
// writing in this order never meets a missing parent.
static int load(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  Entry *e = push();
  e->rel = strdup(path + root_len);
  e->data = NULL;
  e->len = 0;
  if (type == FTW_D)
    return 0;
  if (type != FTW_F)
    fail("reading the tree (not a file or directory)", path);
  int fd = open(path, O_RDONLY);
  e->data = malloc((size_t)st->st_size + 1);
  if (fd < 0 || !e->data || read(fd, e->data, (size_t)st->st_size) != st->st_size)
    fail("read", path);
  e->len = (size_t)st->st_size;
  close(fd);
  return 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void write_tree(const char *dst) {
  char path[4096];
  for (size_t i = 0; i < nentries; i++) {
    snprintf(path, sizeof path, "%s%s", dst, entries[i].rel);
    if (!entries[i].data) {
      if (mkdir(path, 0777) != 0)
        fail("mkdir", path);
      continue;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 || write(fd, entries[i].data, entries[i].len) != (ssize_t)entries[i].len)
      fail("write", path);
    close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fputs("usage: floor SRC DST\n", stderr);
    return 2;
  }
  root_len = strlen(argv[1]);
  if (nftw(argv[1], load, 64, FTW_PHYS) != 0)
    fail("nftw", argv[1]);
  double t0 = now();
  write_tree(argv[2]);
  double t1 = now();
  int fd = open(argv[2], O_RDONLY | O_DIRECTORY);
  if (fd < 0 || syncfs(fd) != 0)
    fail("syncfs", argv[2]);
  close(fd);
  printf("%.3f %.3f\n", t1 - t0, now() - t1);
  return 0;
}
