// bench/dumpfloor.c: the part of a build no ecsc can avoid while it writes
// its JSON with Jansson, as the project requires: dumping the tree's JSON.
// Every .json file of a built tree is loaded into Jansson's values first (not
// timed), then all are dumped with the flags of compiler/jsonout.c, on one
// thread a core as the makers (compiler/makers.c) do, and timed. Nothing is
// written to disk. Beside bench/floor.c (the same tree written from memory),
// it bounds a build from below: front end + this dump + the writes. Not part
// of ecsc; bench/run.sh compiles it.
//
//   dumpfloor TREE    prints "SECONDS THREADS FILES BYTES"
#define _GNU_SOURCE
#include <ftw.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 64, BUFFER = 16 << 20 };

static json_t **docs;
static size_t ndocs, capacity;

typedef struct {
  int index, nthreads;
  size_t bytes;
  pthread_t thread;
} Worker;

static int load(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)ftw;
  size_t len = strlen(path);
  if (type != FTW_F || len < 5 || strcmp(path + len - 5, ".json") != 0)
    return 0;
  json_error_t error;
  json_t *doc = json_load_file(path, 0, &error);
  if (!doc) {
    fprintf(stderr, "dumpfloor: %s:%d: %s\n", path, error.line, error.text);
    exit(1);
  }
  if (ndocs == capacity) {
    capacity = capacity ? 2 * capacity : 1024;
    docs = realloc(docs, capacity * sizeof *docs);
    if (!docs) {
      perror("dumpfloor");
      exit(1);
    }
  }
  docs[ndocs++] = doc;
  return 0;
}

// Worker k dumps documents k, k + n, k + 2n ..., as maker k makes files.
static void *dump_share(void *arg) {
  Worker *w = arg;
  char *buffer = malloc(BUFFER);
  if (!buffer)
    return NULL;
  for (size_t i = (size_t)w->index; i < ndocs; i += (size_t)w->nthreads)
    w->bytes += json_dumpb(docs[i], buffer, BUFFER,
                           JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
  free(buffer);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fputs("usage: dumpfloor TREE\n", stderr);
    return 2;
  }
  if (nftw(argv[1], load, 64, FTW_PHYS) != 0) {
    perror(argv[1]);
    return 1;
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int n = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
  Worker workers[MAX_THREADS] = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int k = 0; k < n; k++) {
    workers[k] = (Worker){.index = k, .nthreads = n};
    if (pthread_create(&workers[k].thread, NULL, dump_share, &workers[k]) != 0) {
      perror("dumpfloor: pthread_create");
      return 1;
    }
  }
  size_t bytes = 0;
  for (int k = 0; k < n; k++) {
    pthread_join(workers[k].thread, NULL);
    bytes += workers[k].bytes;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.3f %d %zu %zu\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
         n, ndocs, bytes);
  return 0;
}
