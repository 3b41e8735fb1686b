// jsonout.c: ecsc's JSON, through Jansson: the dump every emitter (and
// report.c) uses (two-space indent, insertion order, a trailing newline), the
// arena Jansson allocates from, and the JSON ecsc reads in agent settings
// (lists, maps, objects). Jansson appears nowhere before emission but here,
// in the emitters and in report.c.
#include "emit.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

// text as a JSON list of strings, copied into the arena; false when it is
// anything else.
bool json_string_list(Arena *a, Str text, Str **items, int *n) {
  json_t *list = json_loadb(text.ptr, (size_t)text.len, JSON_REJECT_DUPLICATES, NULL);
  bool ok = json_is_array(list);
  *n = 0;
  *items = new(a, Str, ok ? json_array_size(list) + 1 : 1);
  for (size_t i = 0; ok && i < json_array_size(list); i++) {
    json_t *item = json_array_get(list, i);
    ok = json_is_string(item);
    if (ok)
      (*items)[(*n)++] = str_dup(a, (Str){json_string_value(item), (ptrdiff_t)json_string_length(item)});
  }
  json_decref(list);
  return ok;
}

bool json_string_map(Arena *a, Str text, Str **keys, Str **values, int *n) {
  json_t *map = json_loadb(text.ptr, (size_t)text.len, JSON_REJECT_DUPLICATES, NULL);
  bool ok = json_is_object(map);
  size_t size = ok ? json_object_size(map) : 0;
  *n = 0;
  *keys = new(a, Str, size + 1);
  *values = new(a, Str, size + 1);
  const char *key;
  json_t *value;
  if (ok)
    json_object_foreach(map, key, value) {
      if (!json_is_string(value)) {
        ok = false;
        break;
      }
      (*keys)[*n] = str_dup(a, str_c(key));
      (*values)[(*n)++] = str_dup(a, (Str){json_string_value(value), (ptrdiff_t)json_string_length(value)});
    }
  json_decref(map);
  return ok;
}

bool json_int_list(Str text, int64_t lo, int64_t hi) {
  json_t *list = json_loadb(text.ptr, (size_t)text.len, 0, NULL);
  bool ok = json_is_array(list);
  for (size_t i = 0; ok && i < json_array_size(list); i++) {
    json_t *item = json_array_get(list, i);
    ok = json_is_integer(item) && json_integer_value(item) >= lo && json_integer_value(item) <= hi;
  }
  json_decref(list);
  return ok;
}

bool json_object_text(Str text) {
  json_t *v = json_loadb(text.ptr, (size_t)text.len, 0, NULL);
  bool ok = json_is_object(v);
  json_decref(v);
  return ok;
}

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
