// emit_changes.c: the state directories a build changed, added or removed,
// as output.c and journal.c note them, and the document `build
// --changed=json` prints for CI, which plans and applies exactly those:
//
//   {
//     "version": 1,
//     "states": [
//       {"path": "production/vpc", "environment": "production", "kind": "vpc",
//        "change": "changed", "depends_on": []},
//       {"path": "production/services/api", "environment": "production",
//        "kind": "service", "service": "api", "change": "added",
//        "depends_on": ["production/vpc"]}
//     ]
//   }
//
// In apply order: every VPC state first, then the service states, each
// group by path. A service state depends on its environment's VPC state
// (it reads the VPC state's outputs through terraform_remote_state), which
// depends on nothing. The layout is emit.h's: ENV/vpc and ENV/services/S.
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static const char *const change_names[] = {"added", "changed", "removed"};

void emit_changes_note(Changes *ch, Str dir, ChangeKind kind) {
  if (ch->n == ch->cap) {
    ptrdiff_t cap = ch->cap ? 2 * ch->cap : 16;
    StateChange *grown = new(ch->arena, StateChange, cap);
    if (ch->n)
      memcpy(grown, ch->items, sizeof *grown * (size_t)ch->n);
    ch->items = grown;
    ch->cap = cap;
  }
  ch->items[ch->n++] = (StateChange){str_dup(ch->arena, dir), kind};
}

typedef enum { STATE_VPC, STATE_SERVICE, STATE_OTHER } StateKind;

// A state directory's kind, its environment and (a service's) its name,
// read from its path.
typedef struct {
  StateKind kind;
  Str env, service;
  ptrdiff_t order;  // when it was noted: the first note of a directory wins
  const StateChange *change;
} State;

static State classify(const StateChange *c, ptrdiff_t order) {
  State s = {.kind = STATE_OTHER, .order = order, .change = c};
  Str p = c->dir;
  const char *slash = memchr(p.ptr, '/', (size_t)p.len);
  s.env = slash ? (Str){p.ptr, slash - p.ptr} : p;
  Str rest = slash ? (Str){slash + 1, p.len - (slash + 1 - p.ptr)} : (Str){p.ptr + p.len, 0};
  if (str_eq_c(rest, "vpc")) {
    s.kind = STATE_VPC;
  } else if (str_starts_with(rest, STR("services/"))) {
    Str name = {rest.ptr + 9, rest.len - 9};
    if (name.len && !memchr(name.ptr, '/', (size_t)name.len))
      s.kind = STATE_SERVICE, s.service = name;
  }
  return s;
}

static int by_path(const void *a, const void *b) {
  const State *x = a, *y = b;
  int c = str_cmp(x->change->dir, y->change->dir);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int by_apply_order(const void *a, const void *b) {
  const State *x = a, *y = b;
  if (x->kind != y->kind)
    return (int)x->kind - (int)y->kind;
  return str_cmp(x->change->dir, y->change->dir);
}

// Paths are UTF-8 unless a hand-edited manifest named others: those bytes
// become U+FFFD rather than a missing field.
static json_t *text(Arena *a, Str s) {
  Str clean = source_utf8_clean(a, s);
  return json_stringn_nocheck(clean.ptr, (size_t)clean.len);
}

static json_t *state(Arena *a, const State *s) {
  static const char *const kinds[] = {"vpc", "service", "other"};
  json_t *obj = json_object();
  json_object_set_new(obj, "path", text(a, s->change->dir));
  json_object_set_new(obj, "environment", text(a, s->env));
  json_object_set_new(obj, "kind", json_string(kinds[s->kind]));
  if (s->kind == STATE_SERVICE)
    json_object_set_new(obj, "service", text(a, s->service));
  json_object_set_new(obj, "change", json_string(change_names[s->change->kind]));
  json_t *deps = json_array();
  if (s->kind == STATE_SERVICE)
    json_array_append_new(deps, text(a, str_fmt(a, "%.*s/vpc", S(s->env))));
  json_object_set_new(obj, "depends_on", deps);
  return obj;
}

Str emit_changes_json(Arena *a, Changes *ch) {
  State *states = new(a, State, ch->n + 1);
  for (ptrdiff_t i = 0; i < ch->n; i++)
    states[i] = classify(&ch->items[i], i);
  qsort(states, (size_t)ch->n, sizeof *states, by_path);
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < ch->n; i++)
    if (n == 0 || !str_eq(states[i].change->dir, states[n - 1].change->dir))
      states[n++] = states[i];
  qsort(states, (size_t)n, sizeof *states, by_apply_order);
  json_t *list = json_array();
  for (ptrdiff_t i = 0; i < n; i++)
    json_array_append_new(list, state(a, &states[i]));
  json_t *root = json_object();
  json_object_set_new(root, "version", json_integer(1));
  json_object_set_new(root, "states", list);
  return jsonout_dump(a, root);
}
