// previous.c: the previous build's files in DIR, read as ecsc wrote them:
// a state parsed, a member of an object, a string, and the name a Terraform
// reference names; an environment's service states there, this build's
// services' and those it removed, or those among the states a build changes
// (OutOptions.changing_states), each of those parsed once for the checks
// judged on them. rebuild_retire*.c, rebuild_costs.c, rebuild_update.c,
// rebuild_priorities.c and rebuild_discovery.c judge this build against them;
// nothing here judges or writes.
#include "rebuild.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

json_t *previous_member(json_t *o, const char *key) {
  return json_is_object(o) ? json_object_get(o, key) : NULL;
}

Str previous_text(json_t *v) {
  return json_is_string(v) ? (Str){json_string_value(v), (ptrdiff_t)json_string_length(v)}
                           : (Str){0};
}

// NAME of a Terraform reference "${TYPE.NAME.ATTR}" (pre is "${TYPE.",
// post ".ATTR}"), or {0} if s is not one.
Str previous_ref(Str s, const char *pre, const char *post) {
  Str p = str_c(pre), q = str_c(post);
  if (s.len <= p.len + q.len || !str_starts_with(s, p) ||
      memcmp(s.ptr + s.len - q.len, q.ptr, (size_t)q.len) != 0)
    return (Str){0};
  return (Str){s.ptr + p.len, s.len - p.len - q.len};
}

// What the "//" of a resource says after "from ": environment "E" › ...,
// where in the source the previous build made it; {0} when it says none.
Str previous_made_from(json_t *resource) {
  Str note = previous_text(previous_member(resource, "//"));
  for (ptrdiff_t i = note.len - 5; i >= 0; i--)
    if (memcmp(note.ptr + i, "from ", 5) == 0 && (i == 0 || note.ptr[i - 1] == ' '))
      return (Str){note.ptr + i + 5, note.len - i - 5};
  return (Str){0};
}

// A state file of the previous build, parsed; NULL when there is none or it
// is not JSON (not ecsc's to judge here: output.c reports what it cannot
// read or replace).
json_t *previous_state(Arena *a, const char *dir, Str rel) {
  Str bytes;
  Str path = str_fmt(a, "%s/%.*s", dir, S(rel));
  if (fileio_read(a, AT_FDCWD, path.ptr, &bytes) != 0)
    return NULL;
  return json_loadb(bytes.ptr, (size_t)bytes.len, 0, NULL);
}

// The member of a member ...: o's value at the keys given, NULL-terminated,
// or NULL where one is missing.
json_t *previous_at(json_t *o, ...) {
  va_list ap;
  va_start(ap, o);
  for (const char *key; o && (key = va_arg(ap, const char *));)
    o = previous_member(o, key);
  va_end(ap);
  return o;
}

// The entries of the directory path that keep(ctx, its descriptor, name)
// does not keep, sorted: the order of readdir is the file system's.
typedef bool Keep(const void *ctx, int dirfd, Str name);

static Str *entries_not_kept(Arena *a, const char *path, Keep *keep, const void *ctx, int *n) {
  *n = 0;
  DIR *d = opendir(path);
  if (!d)
    return NULL;
  struct {
    Str *items;
    ptrdiff_t len, cap;
  } names = {0};
  for (struct dirent *ent; (ent = readdir(d));) {
    Str name = str_c(ent->d_name);
    if (name.ptr[0] == '.' || keep(ctx, dirfd(d), name))
      continue;
    *list_push(a, &names) = str_dup(a, name);
  }
  closedir(d);
  if (names.len)
    qsort(names.items, (size_t)names.len, sizeof *names.items, str_cmp_qsort);
  *n = (int)names.len;
  return names.items;
}

static bool has_service(const void *ctx, int dirfd, Str name) {
  const Environment *e = ctx;
  for (int i = 0; i < e->nservices; i++)
    if (str_eq(e->services[i]->name, name))
      return true;
  return false;
}

// The names of the service states of e in DIR that this build no longer
// makes (ENV/services/NAME, emit.h's layout), sorted.
static Str *removed_services(Arena *a, const Environment *e, const char *dir, int *n) {
  Str path = str_fmt(a, "%s/%.*s/services", dir, S(e->name));
  return entries_not_kept(a, path.ptr, has_service, e, n);
}

// An environment of this build, or an entry of DIR that holds no VPC state.
static bool kept_or_no_vpc(const void *ctx, int dirfd, Str name) {
  const Model *m = ctx;
  for (int i = 0; i < m->nenvs; i++)
    if (str_eq(m->envs[i]->name, name))
      return true;
  char path[PATH_MAX];
  struct stat st;
  return snprintf(path, sizeof path, "%.*s/vpc/main.tf.json", S(name)) >= (int)sizeof path ||
         fstatat(dirfd, path, &st, 0) != 0;
}

// The environments of DIR that this build no longer has (DIR/ENV/vpc,
// emit.h's layout), sorted.
Str *previous_removed_environments(Arena *a, const Model *m, const char *dir, int *n) {
  return entries_not_kept(a, dir, kept_or_no_vpc, m, n);
}

static bool keep_none(const void *ctx, int dirfd, Str name) {
  (void)ctx, (void)dirfd, (void)name;
  return false;
}

// The service states of environment env in DIR (ENV/services/NAME), sorted:
// of an environment this build no longer has, every one.
Str *previous_environment_services(Arena *a, const char *dir, Str env, int *n) {
  Str path = str_fmt(a, "%s/%.*s/services", dir, S(env));
  return entries_not_kept(a, path.ptr, keep_none, NULL, n);
}

// Listed once per environment for every check against the previous build
// (main.c, previous_build_checks): one opendir of ENV/services.
PreviousServices previous_services(Arena *a, const Environment *e, const char *dir) {
  int nremoved;
  Str *removed = removed_services(a, e, dir, &nremoved);
  PreviousServices all = {new(a, PreviousService, e->nservices + nremoved + 1), 0};
  for (int k = 0; k < e->nservices; k++)
    all.items[all.n++] = (PreviousService){e->services[k], e->services[k]->name};
  for (int k = 0; k < nremoved; k++)
    all.items[all.n++] = (PreviousService){NULL, removed[k]};
  return all;
}

json_t *previous_vpc_state(Arena *a, const char *dir, Str env) {
  return previous_state(a, dir, str_fmt(a, "%.*s/vpc/main.tf.json", S(env)));
}

json_t *previous_service_state(Arena *a, const char *dir, Str env, Str service) {
  return previous_state(a, dir, str_fmt(a, "%.*s/services/%.*s/main.tf.json", S(env),
                                        S(service)));
}

// The service states of environment env among the states the build
// changes, adds or removes: their names, from their directories
// ENV/services/NAME (emit.h's layout), sorted, each once.
static Str *changed_services(Arena *a, Str env, const Changes *states, int *n) {
  Str *names = new(a, Str, states->len + 1);
  *n = 0;
  for (ptrdiff_t i = 0; i < states->len; i++) {
    Str dir = states->items[i].dir;
    ptrdiff_t pre = env.len + (ptrdiff_t)strlen("/services/");
    if (dir.len <= pre || !str_starts_with(dir, env) ||
        memcmp(dir.ptr + env.len, "/services/", (size_t)(pre - env.len)) != 0)
      continue;
    Str name = {dir.ptr + pre, dir.len - pre};
    if (!memchr(name.ptr, '/', (size_t)name.len))
      names[(*n)++] = name;
  }
  qsort(names, (size_t)*n, sizeof *names, str_cmp_qsort);
  int k = 0;
  for (int i = 0; i < *n; i++)
    if (k == 0 || !str_eq(names[i], names[k - 1]))
      names[k++] = names[i];
  *n = k;
  return names;
}

// Index of name in the sorted names, or -1.
static int name_index(const Str *names, int n, Str name) {
  for (int lo = 0, hi = n; lo < hi;) {
    int mid = lo + (hi - lo) / 2;
    int c = str_cmp(names[mid], name);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

// The service states of e that the build changes, adds or removes (of
// states, output.c's OutOptions.changing_states), as previous_services
// orders them: this build's services first, in their order, then the
// removed ones by name. Listed once per environment for every check judged
// on them (main.c, states_changing).
ChangingStates *previous_changing_services(Arena *a, const Environment *e,
                                           const Changes *states_changed) {
  int n;
  Str *names = changed_services(a, e->name, states_changed, &n);
  ChangingStates *cs = new(a, ChangingStates, 1);
  cs->e = e;
  cs->states = new(a, PreviousService, n + 1);
  cs->state_of = new(a, int, e->nservices + 1);
  bool *matched = new(a, bool, n + 1);
  for (int i = 0; i < e->nservices; i++) {
    int k = name_index(names, n, e->services[i]->name);
    cs->state_of[i] = k < 0 ? -1 : cs->n;
    if (k < 0)
      continue;
    matched[k] = true;
    cs->states[cs->n++] = (PreviousService){e->services[i], e->services[i]->name};
  }
  for (int k = 0; k < n; k++)
    if (!matched[k])  // a state the build removes: its service is gone
      cs->states[cs->n++] = (PreviousService){NULL, names[k]};
  return cs;
}

static bool any_wants(const ChangingCheck *checks, int n, int k) {
  for (int j = 0; j < n; j++)
    if (checks[j].wants(checks[j].ctx, k))
      return true;
  return false;
}

// Each state is parsed once, into a scratch arena rewound after it: a check
// keeps only what it takes (at 10 x 1000, when every state changes, the
// 110 MB of states read at once doubled a rebuild's peak memory, 155 to
// 298 MB). A check may come to want a state it passed over only after
// taking another (rebuild_discovery.c: every state's name, once one service
// takes a new one), hence the passes, until one reads nothing new.
void previous_read_changing(const char *dir, const ChangingStates *cs, ChangingCheck *checks,
                            int n) {
  Arena scratch = {0};
  bool *read = new(&scratch, bool, cs->n + 1);
  for (bool more = true; more;) {
    more = false;
    for (int k = 0; k < cs->n; k++) {
      if (read[k] || !any_wants(checks, n, k))
        continue;
      ArenaMark mark = arena_mark(&scratch);
      json_t *state = previous_service_state(&scratch, dir, cs->e->name, cs->states[k].name);
      for (int j = 0; j < n; j++)
        checks[j].take(checks[j].ctx, k, state);
      json_decref(state);
      arena_rewind(&scratch, mark);
      read[k] = more = true;
    }
  }
  arena_free(&scratch);
}
