// jsonout.c: ecsc's JSON, through Jansson: the dump every emitter (and
// report.c) uses (two-space indent, insertion order, a trailing newline), and
// the arena Jansson allocates from. Jansson writes nowhere before emission
// but here, in the emitters and in report.c (agent.c reads the JSON values of
// agent settings with it).
#include "emit.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

// A document as ecsc writes every JSON file: two-space indent, keys in the
// order they were added, a trailing newline. Takes the reference to root.
// Dumped into a buffer reserved first (json_dumpb copies each piece with one
// bounds check; a callback per piece cost a fifth of emission), and once
// more, sized, when it does not fit. Reserved, not the arena's free space:
// the dump itself allocates (Jansson's loop check), maybe from this arena.
Str jsonout_dump(Arena *a, json_t *root) {
  enum { FLAGS = JSON_INDENT(2) | JSON_PRESERVE_ORDER, GUESS = 64 << 10 };
  char *p = arena_alloc_uninit(a, GUESS, 1);
  size_t n = json_dumpb(root, p, GUESS, FLAGS);
  if (n + 2 > GUESS) {
    p = arena_alloc_uninit(a, (ptrdiff_t)n + 2, 1);
    json_dumpb(root, p, n, FLAGS);
  }
  json_decref(root);
  p[n] = '\n';
  p[n + 1] = 0;
  return (Str){p, (ptrdiff_t)n + 1};
}

// Jansson's allocator is one for the process; the arena is the calling
// thread's (emit.c's makers run side by side), NULL outside begin and end.
static _Thread_local Arena *json_arena;

static void *json_malloc(size_t n) {
  if (!json_arena)
    return malloc(n);
  return arena_alloc_uninit(json_arena, (ptrdiff_t)n, 16);  // malloc's alignment
}

static void json_free(void *p) {
  if (!json_arena)
    free(p);
}

static void set_allocator(void) {
  json_set_alloc_funcs(json_malloc, json_free);
}

void jsonout_arena_begin(Arena *a) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, set_allocator);
  json_arena = a;
}

void jsonout_arena_end(void) {
  json_arena = NULL;
}
