// unit.h: what the unit test files share: the tally each test_NAME(passed,
// failed) adds to (npassed and nfailed point at its arguments), and a file
// read whole into the arena. Each file includes it once, so each has its own.
#ifndef UNIT_H
#define UNIT_H

#include "base.h"

#include <stdio.h>

static int *npassed, *nfailed;

static inline void expect(bool ok, const char *what, const char *input) {
  if (ok) {
    (*npassed)++;
  } else {
    (*nfailed)++;
    printf("FAIL %s: %s\n", what, input);
  }
}

static inline bool read_file(Arena *a, const char *path, Str *out) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  Buf b = {.arena = a};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&b, (Str){chunk, (ptrdiff_t)n});
  fclose(f);
  *out = buf_str(&b);
  return true;
}

#endif
