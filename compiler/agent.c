// agent.c: the ECS agent's settings as facts: the one table of them
// (agent_keys.h, generated from the agent's own documentation and code, and
// Bottlerocket's settings), and the forms the agent reads values in:
// booleans as Go's strconv.ParseBool, JSON lists and maps as encoding/json.
// check_agent.c judges a cluster's settings by them, emit_userdata.c writes
// them (Bottlerocket's TOML), derive_iam.c reads what they call for. (The
// JSON is read here with Jansson, which otherwise only writes, in the
// emitters: reading a value is no emission.)
#include "model.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const AgentKey table[] = {
#define AGENT_KEY(name, form, words, max, bottlerocket, toml) \
  {#name, form, words, max, bottlerocket, toml},
#include "agent_keys.h"
#undef AGENT_KEY
};

static int by_name(const void *key, const void *entry) {
  const Str *name = key;
  const char *other = ((const AgentKey *)entry)->name;
  size_t n = strlen(other);
  int cmp = strncmp(name->ptr, other, (size_t)name->len < n ? (size_t)name->len : n);
  if (cmp)
    return cmp;
  return (size_t)name->len < n ? -1 : (size_t)name->len > n;
}

// agent_keys.h is sorted by name (the generator sorts it).
const AgentKey *agent_key(Str name) {
  return bsearch(&name, table, countof(table), sizeof *table, by_name);
}

// The agent reads booleans as Go's strconv.ParseBool does (amazon-ecs-agent,
// agent/config/parse.go): 1 t T TRUE true True, 0 f F FALSE false False.
int agent_bool(Str v) {
  static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (int i = 0; i < countof(yes); i++) {
    if (str_eq_c(v, yes[i]))
      return 1;
    if (str_eq_c(v, no[i]))
      return 0;
  }
  return -1;
}

// text as a JSON list of strings, copied into the arena; false when it is
// anything else.
bool agent_json_list(Arena *a, Str text, Str **items, int *n) {
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

bool agent_json_map(Arena *a, Str text, Str **keys, Str **values, int *n) {
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

bool agent_json_ints(Str text, int64_t lo, int64_t hi) {
  json_t *list = json_loadb(text.ptr, (size_t)text.len, 0, NULL);
  bool ok = json_is_array(list);
  for (size_t i = 0; ok && i < json_array_size(list); i++) {
    json_t *item = json_array_get(list, i);
    ok = json_is_integer(item) && json_integer_value(item) >= lo && json_integer_value(item) <= hi;
  }
  json_decref(list);
  return ok;
}

bool agent_json_ports(Arena *a, Str text, int **ports, int *n) {
  json_t *list = json_loadb(text.ptr, (size_t)text.len, 0, NULL);
  bool ok = json_is_array(list);
  *n = 0;
  *ports = new(a, int, ok ? json_array_size(list) + 1 : 1);
  for (size_t i = 0; ok && i < json_array_size(list); i++) {
    json_t *item = json_array_get(list, i);
    ok = json_is_integer(item) && json_integer_value(item) >= 0 &&
         json_integer_value(item) <= 65535;
    if (ok)
      (*ports)[(*n)++] = (int)json_integer_value(item);
  }
  json_decref(list);
  return ok;
}

bool agent_json_object(Str text) {
  json_t *v = json_loadb(text.ptr, (size_t)text.len, 0, NULL);
  bool ok = json_is_object(v);
  json_decref(v);
  return ok;
}
