// jsonout.c: ecsc's JSON, through Jansson: the builders the emitters write
// their documents with, the dump every emitter (and report.c) uses (two-space
// indent, insertion order, a trailing newline), and the arena Jansson
// allocates from. Jansson writes nowhere before emission but here, in the
// emitters and in report.c (agent.c reads the JSON values of agent settings
// with it).
#include "emit.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

//
// Builders
//

// Members are set with the _nocheck setter: every key is ecsc's own ASCII
// or the model's UTF-8 (see jsonout_str).
json_t *jsonout_vmembers(json_t *o, va_list ap) {
  for (const char *key; (key = va_arg(ap, const char *));) {
    json_t *value = va_arg(ap, json_t *);
    if (value)
      json_object_set_new_nocheck(o, key, value);
  }
  return o;
}

json_t *jsonout_members(json_t *o, ...) {
  va_list ap;
  va_start(ap, o);
  jsonout_vmembers(o, ap);
  va_end(ap);
  return o;
}

json_t *jsonout_putn(json_t *o, Str key, json_t *value) {
  if (value)
    json_object_setn_new_nocheck(o, key.ptr, (size_t)key.len, value);
  return o;
}

json_t *jsonout_items(json_t *const *items, ptrdiff_t n) {
  json_t *a = json_array();
  for (ptrdiff_t i = 0; i < n; i++)
    if (items[i])
      json_array_append_new(a, items[i]);
  return a;
}

json_t *jsonout_str(Str s) {
  return json_stringn_nocheck(s.ptr, (size_t)s.len);
}

json_t *jsonout_cstr(const char *s) {
  return json_string_nocheck(s);
}

json_t *jsonout_strs(const Str *s, int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, jsonout_str(s[i]));
  return a;
}

json_t *jsonout_int(int64_t n) {
  return json_integer((json_int_t)n);
}

// A number in tenths (a percentage AWS takes in steps of 0.1): an integer
// when whole, else a real that jsonout_dump writes to 15 significant
// digits, so that 1 tenth reads 0.1 and not 0.10000000000000001.
json_t *jsonout_tenths(int64_t tenths) {
  if (tenths % 10 == 0)
    return json_integer((json_int_t)(tenths / 10));
  return json_real((double)tenths / 10);
}

json_t *jsonout_bool(bool b) {
  return json_boolean(b);
}

//
// The dump, and the arena Jansson allocates from
//

// Jansson's allocator is one for the process; the arena is the calling
// thread's (emit.c's makers run side by side), NULL outside begin and end.
static _Thread_local Arena *json_arena;

// A document as ecsc writes every JSON file: two-space indent, keys in the
// order they were added, a trailing newline. Takes the reference to root.
// Dumped into a buffer reserved first (json_dumpb copies each piece with one
// bounds check; a callback per piece cost a fifth of emission), and once
// more, sized, when it does not fit. Reserved, not the arena's free space:
// the dump itself allocates (Jansson's loop check), maybe from this arena.
Str jsonout_dump(Arena *a, json_t *root) {
  // JSON_REAL_PRECISION(15): a double's digits that are always exact
  // (jsonout_tenths); Jansson's default, 17, writes 0.1 as 0.10000000000000001.
  enum {
    FLAGS = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15),
    GUESS = 64 << 10
  };
  char *p = arena_alloc_uninit(a, GUESS, 1);
  size_t n = json_dumpb(root, p, GUESS, FLAGS);
  if (n + 2 > GUESS) {
    p = arena_alloc_uninit(a, (ptrdiff_t)n + 2, 1);
    json_dumpb(root, p, n, FLAGS);
  }
  if (!json_arena)  // in an arena, its rewind frees the tree: no walk to free nothing
    json_decref(root);
  p[n] = '\n';
  p[n + 1] = 0;
  return (Str){p, (ptrdiff_t)n + 1};
}

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
