// resolve.c: binds every name in the syntax trees to its declaration and
// builds the model (model.h): one project, its environments with their VPC,
// load balancer, bastion and clusters, the parameters, and every service in
// every environment it runs in, with its templates and that environment's
// overrides merged by the language's rules:
//
//   start from the template chain, farthest ancestor first, then the
//   service's own settings, then the `in "ENV"` blocks (the templates' in
//   chain order, then the service's). A later attribute replaces an earlier
//   one; lists replace; maps merge key by key; single blocks merge attribute
//   by attribute; repeatable blocks (grant) accumulate.
//
// Runs after schema_check.c (so every name and type is where it belongs) and
// before check.c. Reports E04xx; required settings are checked here, after
// merging, since a template or an override need not be complete.
#include "model.h"

#include <stdlib.h>
#include <string.h>

//
// Tables of declarations by name
//

typedef struct {
  Node *decl;
  ptrdiff_t index;  // in declaration order: the model's arrays use the same
} Decl;

// Declarations of one kind by name, so that thousands of services resolve in
// n log n; and in declaration order, for output and "did you mean".
typedef struct {
  Map *by_name;  // to a Decl
  struct {
    Node **items;
    ptrdiff_t len, cap;
  } order;
  struct {
    Str *items;
    ptrdiff_t len, cap;
  } names;
} Table;

static Node *lookup(Table *t, Str key) {
  Decl *d = map_get(t->by_name, key);
  return d ? d->decl : NULL;
}

// The model object built from the declaration named key: all[i] was built
// from the table's i-th declaration.
static void *fact(Table *t, void **all, Str key) {
  Decl *d = map_get(t->by_name, key);
  return d ? all[d->index] : NULL;
}

// Adds decl under key; returns the earlier declaration when there is one.
static Node *insert(Arena *a, Table *t, Str key, Node *decl) {
  void **slot = map_slot(&t->by_name, key, a);
  if (*slot)
    return ((Decl *)*slot)->decl;
  Decl *d = new(a, Decl, 1);
  *d = (Decl){decl, t->order.len};
  *slot = d;
  *list_push(a, &t->order) = decl;
  *list_push(a, &t->names) = key;
  return NULL;
}

//
// The resolver
//

typedef struct {
  Compilation *c;
  Model *m;
  Values *values;
  Node *project;
  Table envs, params, sm_secrets, templates, services, vars, types, regions, amis, timezones;
  struct {
    Node **items;
    ptrdiff_t len, cap;
  } ill_typed;  // variables' values not of their declared type (reported)
  // The settings of the service being resolved, merged for every environment:
  // read while its model is built and then never again, so rewound after each
  // service. In the compilation's arena they were a fifth of a 10 x 1000
  // lint's memory, and fresh pages cost their zeroing.
  Arena merges;
} Resolver;

static Str label(Node *block) {
  return block->labels ? block->labels->str : (Str){"", 0};
}

static Span label_span(Node *block) {
  return block->labels ? block->labels->span : block->name_span;
}

static void unknown(Resolver *r, DiagCode code, Span at, const char *kind, Str name, Table *t,
                    const char *where) {
  Diag *d = diag_at(r->c, code, at, "unknown %s \"%.*s\"%s", kind, S(name), where ? where : "");
  diag_did_you_mean(r->c, d, name, t->names.items, t->order.len);
}

// Collects the top-level declarations of every file, reporting duplicates.
static void declare(Resolver *r, Node *n) {
  static const struct {
    const char *kind;
    size_t table;
  } kinds[] = {
      {"environment", offsetof(Resolver, envs)},   {"parameter", offsetof(Resolver, params)},
      {"template", offsetof(Resolver, templates)}, {"service", offsetof(Resolver, services)},
      {"variable", offsetof(Resolver, vars)},      {"instance_type", offsetof(Resolver, types)},
      {"region", offsetof(Resolver, regions)},     {"ami", offsetof(Resolver, amis)},
      {"secret", offsetof(Resolver, sm_secrets)},  {"time_zone", offsetof(Resolver, timezones)},
  };
  if (str_eq_c(n->name, "project")) {
    if (r->project) {
      Diag *d = diag_at(r->c, E0401, label_span(n), "a second project \"%.*s\"", S(label(n)));
      diag_note(r->c, d, label_span(r->project), "the project is declared here");
      diag_help(r->c, d, "a configuration has one project; environments divide it");
      return;
    }
    r->project = n;
    return;
  }
  for (int i = 0; i < countof(kinds); i++) {
    if (!str_eq_c(n->name, kinds[i].kind))
      continue;
    Table *t = (Table *)((char *)r + kinds[i].table);
    Node *first = insert(&r->c->arena, t, label(n), n);
    if (first) {
      Diag *d = diag_at(r->c, E0401, label_span(n), "duplicate %s \"%.*s\"", kinds[i].kind,
                        S(label(n)));
      diag_note(r->c, d, label_span(first), "first declared here");
    }
    return;
  }
}

//
// Settings: merging blocks by the language's rules
//

// A merged block of settings: for each attribute the node that won (for its
// value and, above all, its place, so that a rule broken after merging points
// at the line that set the value), maps merged key by key, single blocks
// merged recursively, repeatable blocks accumulated.
typedef struct Settings Settings;
typedef struct {
  Str name;
  Node *attr;      // the N_ATTR that set it last
  Node **entries;  // maps: the winning N_ATTR entry of each key, in first-set order
  Node **sorted;   // the same, sorted by key (pairs merges it with its base)
  int nentries;
} Setting;

struct Settings {
  struct {
    Setting *items;
    ptrdiff_t len, cap;
  } attrs;
  struct {
    struct SettingsBlock {
      Str name;
      Node *node;    // the first block of this name that was applied
      Settings *body;
    } *items;
    ptrdiff_t len, cap;
  } blocks;
  struct {
    Node **items;    // repeatable blocks (grant), in order
    ptrdiff_t len, cap;
  } repeated;
};

static Setting *find_setting(Settings *s, Str name) {
  for (int i = 0; i < s->attrs.len; i++)
    if (str_eq(s->attrs.items[i].name, name))
      return &s->attrs.items[i];
  return NULL;
}

static int by_entry_name(const void *a, const void *b) {
  return str_cmp((*(Node *const *)a)->name, (*(Node *const *)b)->name);
}

// The entries of set, then those of map over them key by key, in first-set
// order, and a copy sorted by key for pairs(). A map of the keys makes
// it n log n: a search and a copy per entry made a map of 20,000 keys take
// 4.7 GB and 16 s. (Keys are unique within one map: schema_check.c.)
static void merge_map(Arena *a, Setting *set, Node *map) {
  int n = 0, count = set->nentries;
  for (Node *e = map->body; e; e = e->next)
    n++;
  Node **merged = new(a, Node *, count + n);
  Map *place = NULL;  // key -> its element of merged
  for (int i = 0; i < count; i++) {
    merged[i] = set->entries[i];
    *map_slot(&place, merged[i]->name, a) = &merged[i];
  }
  for (Node *e = map->body; e; e = e->next) {
    void **slot = map_slot(&place, e->name, a);
    if (!*slot)
      *slot = &merged[count++];
    *(Node **)*slot = e;
  }
  set->entries = merged;
  set->nentries = count;
  set->sorted = new(a, Node *, count);
  memcpy(set->sorted, merged, sizeof(Node *) * (size_t)count);
  qsort(set->sorted, (size_t)count, sizeof(Node *), by_entry_name);
}

static void apply(Arena *a, Settings *s, Node *body);

static Settings *child(Arena *a, Settings *s, Node *block) {
  for (int i = 0; i < s->blocks.len; i++)
    if (str_eq(s->blocks.items[i].name, block->name))
      return s->blocks.items[i].body;
  Settings *body = new(a, Settings, 1);
  *list_push(a, &s->blocks) = (struct SettingsBlock){block->name, block, body};
  return body;
}

// Applies one block's items over s. `in` and `extends` are the merge's own
// business and are skipped here.
static void apply(Arena *a, Settings *s, Node *body) {
  for (Node *n = body; n; n = n->next) {
    if (n->kind == N_ATTR) {
      if (str_eq_c(n->name, "extends"))
        continue;
      Setting *set = find_setting(s, n->name);
      bool merge = set && n->value->kind == N_MAP && set->attr->value->kind == N_MAP;
      if (!set) {
        set = list_push(a, &s->attrs);
        *set = (Setting){.name = n->name};
      }
      if (!merge) {
        set->entries = NULL;
        set->nentries = 0;
      }
      set->attr = n;
      if (n->value->kind == N_MAP)
        merge_map(a, set, n->value);
    } else if (n->kind == N_BLOCK) {
      if (str_eq_c(n->name, "in"))
        continue;
      if (n->labels || str_eq_c(n->name, "grant")) {  // cluster "a", grant: kept apart
        *list_push(a, &s->repeated) = n;
        continue;
      }
      apply(a, child(a, s, n), n->body);
    }
  }
}

static Settings *settings_of(Arena *a, Node *block) {
  Settings *s = new(a, Settings, 1);
  if (block)
    apply(a, s, block->body);
  return s;
}

static Node *setting(Settings *s, const char *name) {
  Setting *set = s ? find_setting(s, str_c(name)) : NULL;
  return set ? set->attr : NULL;
}


static Span setting_span(Settings *s, const char *name, Span fallback) {
  Node *n = setting(s, name);
  return n ? n->value->span : fallback;
}

static Settings *setting_block(Settings *s, const char *name) {
  for (int i = 0; s && i < s->blocks.len; i++)
    if (str_eq_c(s->blocks.items[i].name, name))
      return s->blocks.items[i].body;
  return NULL;
}

static Span setting_block_span(Settings *s, const char *name, Span fallback) {
  for (int i = 0; s && i < s->blocks.len; i++)
    if (str_eq_c(s->blocks.items[i].name, name))
      return s->blocks.items[i].node->name_span;
  return fallback;
}

static Node *setting_block_node(Settings *s, const char *name) {
  for (int i = 0; s && i < s->blocks.len; i++)
    if (str_eq_c(s->blocks.items[i].name, name))
      return s->blocks.items[i].node;
  return NULL;
}

//
// Values: variables substituted, defaults from the schema
//

// The value of var.NAME in env (NULL: outside any environment): --set's or
// the values file's (values_lookup's order), then the declared default.
static Node *variable(Resolver *r, Node *ref, Environment *env, const SchemaAttr *a) {
  Str name = ref->parts[1];
  Node *decl = lookup(&r->vars, name);
  if (!decl) {
    unknown(r, E0402, ref->span, "variable", name, &r->vars, NULL);
    return NULL;
  }
  Node *v = values_lookup(r->values, name, env ? env->name : (Str){0});
  if (!v)
    for (Node *i = decl->body; i; i = i->next)
      if (i->kind == N_ATTR && str_eq_c(i->name, "default"))
        v = i->value;
  if (!v) {
    Diag *d = diag_at(r->c, E0403, ref->span, "variable \"%.*s\" has no value%s%.*s%s", S(name),
                      env ? " in environment \"" : "", S(env ? env->name : STR("")),
                      env ? "\"" : "");
    diag_note(r->c, d, label_span(decl), "declared here, without a default");
    diag_help(r->c, d, "set it with --set %.*s=VALUE or in a values file (--values FILE), or "
                       "give it a default", S(name));
    return NULL;
  }
  for (ptrdiff_t i = 0; i < r->ill_typed.len; i++)
    if (r->ill_typed.items[i] == v)
      return NULL;  // reported against the declaration, not again at each use
  if (a) {
    int before = r->c->nerrors;
    schema_check_value(r->c, a, v);
    if (r->c->nerrors > before)
      return NULL;
  }
  return v;
}

static const SchemaAttr *attr_of(const SchemaBlock *b, const char *name) {
  const SchemaAttr *a = schema_attr(b, str_c(name));
  if (!a) {
    // A name the code asks for must be in the schema: a bug, caught by tests.
    abort();
  }
  return a;
}

// The value an attribute has in merged settings s: its own, with var.NAME
// substituted, or the schema's default; NULL when it has neither.
static Node *get(Resolver *r, Settings *s, const SchemaBlock *b, const char *name,
                 Environment *env) {
  const SchemaAttr *a = attr_of(b, name);
  Node *set = setting(s, name);
  Node *v = set ? set->value : NULL;
  if (v && v->kind == N_REF && v->nparts == 2 && str_eq_c(v->parts[0], "var"))
    return variable(r, v, env, a);
  return v ? v : schema_default(r->c, a);
}

// A number, or 0 where the attribute has neither a value nor a default.
static int64_t get_num(Resolver *r, Settings *s, const SchemaBlock *b, const char *name,
                       Environment *env) {
  Node *v = get(r, s, b, name, env);
  return v && v->kind != N_STRING && v->kind != N_LIST ? v->v.i : 0;
}

// A percentage in tenths, whole or not (schema.c's `tenths` attributes,
// whose range schema_check.c has checked).
static int64_t get_tenths(Resolver *r, Settings *s, const SchemaBlock *b, const char *name,
                          Environment *env) {
  Node *v = get(r, s, b, name, env);
  return v && v->kind == N_PERCENT ? schema_percent_tenths(v) : 0;
}

static Str get_str(Resolver *r, Settings *s, const SchemaBlock *b, const char *name,
                   Environment *env) {
  Node *v = get(r, s, b, name, env);
  return v && v->kind == N_STRING ? v->str : (Str){0};
}

static bool get_bool(Resolver *r, Settings *s, const SchemaBlock *b, const char *name,
                     Environment *env) {
  Node *v = get(r, s, b, name, env);
  return v && v->kind == N_BOOL && v->v.b;
}

static Str *strings(Resolver *r, Node *list, int *n) {
  *n = 0;
  if (!list || list->kind != N_LIST)
    return NULL;
  for (Node *e = list->body; e; e = e->next)
    (*n)++;
  Str *out = new(&r->c->arena, Str, *n);
  int i = 0;
  for (Node *e = list->body; e; e = e->next)
    out[i++] = e->str;
  return out;
}

static CidrAt *cidrs(Resolver *r, Node *list, int *n) {
  *n = 0;
  if (!list || list->kind != N_LIST)
    return NULL;
  for (Node *e = list->body; e; e = e->next)
    (*n)++;
  CidrAt *out = new(&r->c->arena, CidrAt, *n);
  int i = 0;
  for (Node *e = list->body; e; e = e->next)
    out[i++] = (CidrAt){e->v.cidr, e->span};
  return out;
}

// The places of a list's elements, in order.
static Span *spans(Resolver *r, Node *list, int n) {
  Span *out = new(&r->c->arena, Span, n > 0 ? n : 1);
  int i = 0;
  for (Node *e = list && list->kind == N_LIST ? list->body : NULL; e && i < n; e = e->next)
    out[i++] = e->span;
  return out;
}

// Where an attribute's value (or a block's name) was written; {0} when it
// was not (model.h, "Places").
static Span written_at(Settings *s, const char *name) {
  return setting_span(s, name, (Span){0});
}

// Where an attribute was written, from its name on: for a map, whose value
// spans lines, the line that names it.
static Span attr_at(Settings *s, const char *name) {
  Node *n = setting(s, name);
  return n ? n->span : (Span){0};
}

static Span block_at(Settings *s, const char *name) {
  return setting_block_span(s, name, (Span){0});
}

// A map setting as sorted pairs, over `base` pairs (sorted, unique) that it
// overrides: a merge of two sorted lists (the entries' sorted copy), where a
// search per entry was quadratic.
static KeyValue *pairs(Resolver *r, Settings *s, const char *name, const KeyValue *base,
                       int nbase, int *n) {
  Setting *set = s ? find_setting(s, str_c(name)) : NULL;
  int nset = set ? set->nentries : 0;
  KeyValue *out = new(&r->c->arena, KeyValue, nbase + nset > 0 ? nbase + nset : 1);
  int i = 0, j = 0;
  *n = 0;
  while (i < nbase || j < nset) {
    int cmp = i == nbase ? 1 : j == nset ? -1 : str_cmp(base[i].name, set->sorted[j]->name);
    if (cmp < 0) {
      out[(*n)++] = base[i++];
    } else {
      Node *e = set->sorted[j++];
      out[(*n)++] = (KeyValue){e->name, e->value->str, e->name_span, e->value->span};
      i += cmp == 0;  // the entry overrides the base pair of its name
    }
  }
  return out;
}

//
// The AWS facts of the stdlib
//

static void facts(Resolver *r) {
  Model *m = r->m;
  Arena *a = &r->c->arena;
  const SchemaBlock *tb = schema_path("instance_type");
  m->instance_types = new(a, InstanceType *, r->types.order.len);
  for (ptrdiff_t i = 0; i < r->types.order.len; i++) {
    Node *n = r->types.order.items[i];
    Settings *s = settings_of(a, n);
    InstanceType *t = new(a, InstanceType, 1);
    t->name = label(n);
    t->vcpu = (int)get_num(r, s, tb, "vcpu", NULL);
    t->memory = get_num(r, s, tb, "memory", NULL);
    t->arch = str_eq_c(get_str(r, s, tb, "arch", NULL), "arm64") ? ARCH_ARM64 : ARCH_X86_64;
    // ECS Developer Guide, "Elastic network interface trunking": an awsvpc
    // task takes an interface of its own, and the instance's primary
    // interface counts as one, so an instance holds one task fewer than it
    // has interfaces, unless the guide gives another figure.
    int enis = (int)get_num(r, s, tb, "enis", NULL);
    t->awsvpc_tasks = setting(s, "awsvpc_tasks") ? (int)get_num(r, s, tb, "awsvpc_tasks", NULL)
                      : enis                     ? enis - 1
                                                 : -1;
    t->trunk_tasks = (int)get_num(r, s, tb, "trunk_tasks", NULL);
    t->hypervisor = get_str(r, s, tb, "hypervisor", NULL);
    m->instance_types[m->ninstance_types++] = t;
  }
  const SchemaBlock *rb = schema_path("region");
  m->regions = new(a, Region *, r->regions.order.len);
  for (ptrdiff_t i = 0; i < r->regions.order.len; i++) {
    Node *n = r->regions.order.items[i];
    Region *g = new(a, Region, 1);
    g->name = label(n);
    g->azs = strings(r, get(r, settings_of(a, n), rb, "azs", NULL), &g->nazs);
    m->regions[m->nregions++] = g;
  }
  const SchemaBlock *ab = schema_path("ami");
  m->amis = new(a, AmiFamily *, r->amis.order.len);
  for (ptrdiff_t i = 0; i < r->amis.order.len; i++) {
    Node *n = r->amis.order.items[i];
    Settings *s = settings_of(a, n);
    AmiFamily *f = new(a, AmiFamily, 1);
    *f = (AmiFamily){label(n), {get_str(r, s, ab, "x86_64", NULL), get_str(r, s, ab, "arm64", NULL)},
                     get_str(r, s, ab, "end_of_life", NULL)};
    m->amis[m->namis++] = f;
  }
  const SchemaBlock *zb = schema_path("time_zone");
  m->timezones = new(a, Timezone *, r->timezones.order.len);
  for (ptrdiff_t i = 0; i < r->timezones.order.len; i++) {
    Node *n = r->timezones.order.items[i];
    Timezone *z = new(a, Timezone, 1);
    z->name = label(n);
    z->aliases = strings(r, get(r, settings_of(a, n), zb, "aliases", NULL), &z->naliases);
    m->timezones[m->ntimezones++] = z;
  }
}

//
// Project and parameters
//

static void project(Resolver *r) {
  Node *n = r->project;
  if (!n)
    return;
  Arena *a = &r->c->arena;
  const SchemaBlock *pb = schema_path("project"), *sb = schema_path("project.state");
  Settings *s = settings_of(a, n);
  Settings *state = setting_block(s, "state");
  Project *p = new(a, Project, 1);
  p->name = label(n);
  p->span = label_span(n);
  p->bucket = get_str(r, state, sb, "bucket", NULL);
  p->region = get_str(r, state, sb, "region", NULL);
  if (!p->region.len)
    p->region = get_str(r, s, pb, "region", NULL);
  p->lock_table = get_str(r, state, sb, "lock_table", NULL);
  p->lock_table_span = span_or(written_at(state, "lock_table"), p->span);
  p->tags = pairs(r, s, "tags", NULL, 0, &p->ntags);
  r->m->project = p;
}

static void one_of(Resolver *r, Node *n, const char *kind, Settings *s, const char *x,
                   const char *y);

static void parameters(Resolver *r) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("parameter");
  r->m->params = new(a, Parameter *, r->params.order.len);
  for (ptrdiff_t i = 0; i < r->params.order.len; i++) {
    Node *n = r->params.order.items[i];
    Settings *s = settings_of(a, n);
    Parameter *p = new(a, Parameter, 1);
    p->name = label(n);
    p->span = label_span(n);
    p->at.path = written_at(s, "path");
    p->at.value = written_at(s, "value");
    p->at.kms_key = written_at(s, "kms_key");
    p->path = get_str(r, s, b, "path", NULL);
    p->secure = get_bool(r, s, b, "secure", NULL);
    if (setting(s, "kms_key"))
      p->kms_key = get_str(r, s, b, "kms_key", NULL);
    p->value = get_str(r, s, b, "value", NULL);
    p->description = get_str(r, s, b, "description", NULL);
    p->at.external = written_at(s, "external");
    p->external = get_str(r, s, b, "external", NULL);
    one_of(r, n, "parameter", s, "path", "external");
    p->index = r->m->nparams;
    r->m->params[r->m->nparams++] = p;
  }
}

// A declaration that takes exactly one of two attributes (E0910).
static void one_of(Resolver *r, Node *n, const char *kind, Settings *s, const char *x,
                   const char *y) {
  bool hx = setting(s, x) != NULL, hy = setting(s, y) != NULL;
  if (hx != hy)
    return;
  Diag *d = hx ? diag_at(r->c, E0910, span_or(written_at(s, y), label_span(n)),
                         "%s \"%.*s\" has both %s and %s", kind, S(label(n)), x, y)
               : diag_at(r->c, E0910, label_span(n), "%s \"%.*s\" has neither %s nor %s", kind,
                         S(label(n)), x, y);
  diag_help(r->c, d, "give exactly one of %s and %s", x, y);
}

static void sm_secrets(Resolver *r) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("secret");
  r->m->sm_secrets = new(a, SmSecret *, r->sm_secrets.order.len);
  for (ptrdiff_t i = 0; i < r->sm_secrets.order.len; i++) {
    Node *n = r->sm_secrets.order.items[i];
    Settings *s = settings_of(a, n);
    SmSecret *k = new(a, SmSecret, 1);
    k->name = label(n);
    k->span = label_span(n);
    k->at.arn = written_at(s, "arn");
    k->at.name = written_at(s, "name");
    k->at.kms_key = written_at(s, "kms_key");
    k->arn = get_str(r, s, b, "arn", NULL);
    k->secret_name = get_str(r, s, b, "name", NULL);
    k->key = get_str(r, s, b, "key", NULL);
    k->version_stage = get_str(r, s, b, "version_stage", NULL);
    k->version_id = get_str(r, s, b, "version_id", NULL);
    k->kms_key = get_str(r, s, b, "kms_key", NULL);
    one_of(r, n, "secret", s, "arn", "name");
    k->index = r->m->nsm_secrets;
    r->m->sm_secrets[r->m->nsm_secrets++] = k;
  }
}

//
// Environments
//

static SubnetId *subnet_ids(Resolver *r, Node *list, int *n) {
  Str *ids = strings(r, list, n);
  Span *at = spans(r, list, *n);
  SubnetId *out = new(&r->c->arena, SubnetId, *n);
  for (int i = 0; i < *n; i++)
    out[i] = (SubnetId){.id = ids[i], .at = at[i]};
  return out;
}

// vpc { id = "vpc-...", public_subnet_ids, private_subnet_ids }: a VPC
// ecsc does not manage. Its NAT is its own (check_network.c refuses nat
// and the CIDR form beside id).
static void existing_vpc(Resolver *r, Environment *e, Settings *s, const SchemaBlock *b) {
  Vpc *v = &e->vpc;
  v->at.id = written_at(s, "id");
  v->at.public_subnet_ids = written_at(s, "public_subnet_ids");
  v->at.private_subnet_ids = written_at(s, "private_subnet_ids");
  v->id = get_str(r, s, b, "id", e);
  if (!v->id.len)
    return;
  v->nat = NAT_EXISTING;
  v->public_ids = subnet_ids(r, get(r, s, b, "public_subnet_ids", e), &v->npublic_ids);
  v->private_ids = subnet_ids(r, get(r, s, b, "private_subnet_ids", e), &v->nprivate_ids);
}

static void vpc(Resolver *r, Environment *e, Settings *s) {
  const SchemaBlock *b = schema_path("environment.vpc");
  Vpc *v = &e->vpc;
  v->declared = s != NULL;
  v->at.cidr = written_at(s, "cidr");
  v->at.azs = written_at(s, "azs");
  v->at.public_subnets = written_at(s, "public_subnets");
  v->at.private_subnets = written_at(s, "private_subnets");
  v->at.database_subnets = written_at(s, "database_subnets");
  v->at.nat = written_at(s, "nat");
  Node *cidr = get(r, s, b, "cidr", e);
  if (cidr)
    v->cidr = cidr->v.cidr;
  Node *azs = get(r, s, b, "azs", e);
  v->azs = strings(r, azs, &v->nazs);
  v->az_at = spans(r, azs, v->nazs);
  v->public_subnets = cidrs(r, get(r, s, b, "public_subnets", e), &v->npublic);
  v->private_subnets = cidrs(r, get(r, s, b, "private_subnets", e), &v->nprivate);
  v->database_subnets = cidrs(r, get(r, s, b, "database_subnets", e), &v->ndatabase);
  Str nat = get_str(r, s, b, "nat", e);
  v->nat = str_eq_c(nat, "per_az") ? NAT_PER_AZ : str_eq_c(nat, "none") ? NAT_NONE : NAT_SINGLE;
  existing_vpc(r, e, s, b);
}

static Alb *alb(Resolver *r, Environment *e, Settings *s, Node *n) {
  const SchemaBlock *b = schema_path("environment.alb");
  Alb *l = new(&r->c->arena, Alb, 1);
  l->span = n->name_span;
  l->at.ingress_cidrs = written_at(s, "ingress_cidrs");
  l->at.certificate_arn = written_at(s, "certificate_arn");
  l->idle_timeout_ms = get_num(r, s, b, "idle_timeout", e);
  l->ingress = cidrs(r, get(r, s, b, "ingress_cidrs", e), &l->ningress);
  l->certificate_arn = get_str(r, s, b, "certificate_arn", e);
  l->ssl_policy = get_str(r, s, b, "ssl_policy", e);
  l->deletion_protection = get_bool(r, s, b, "deletion_protection", e);
  return l;
}

static Bastion *bastion(Resolver *r, Environment *e, Settings *s, Node *n) {
  const SchemaBlock *b = schema_path("environment.bastion");
  Bastion *h = new(&r->c->arena, Bastion, 1);
  h->span = n->name_span;
  h->at.ssh_cidrs = written_at(s, "ssh_cidrs");
  h->instance_type = get_str(r, s, b, "instance_type", e);
  h->ssh = cidrs(r, get(r, s, b, "ssh_cidrs", e), &h->nssh);
  h->key_name = get_str(r, s, b, "key_name", e);
  return h;
}

static InstanceType *instance_type(Resolver *r, Str name, Span at) {
  InstanceType *t = fact(&r->types, (void **)r->m->instance_types, name);
  if (!t && name.len) {
    Diag *d = diag_at(r->c, E0404, at, "unknown instance type \"%.*s\"", S(name));
    diag_did_you_mean(r->c, d, name, r->types.names.items, r->types.order.len);
    diag_help(r->c, d, "ecsc knows the types of std/aws/instance_types; declare others with "
                       "instance_type \"NAME\" { vcpu = ... memory = ... arch = ... }");
  }
  return t;
}

// The instance types the group may launch: instance_type, then the spot
// block's, each once (a mixed instances policy's overrides replace the
// launch template's type, so instance_type leads the list).
static void instance_types(Resolver *r, Cluster *k, Settings *spot, Environment *e) {
  Arena *a = &r->c->arena;
  Node *list = spot ? get(r, spot, schema_path("environment.cluster.spot"), "instance_types", e)
                    : NULL;
  int n;
  Str *names = strings(r, list, &n);
  Span *at = spans(r, list, n);
  k->types = new(a, InstanceType *, n + 1);
  k->type_names = new(a, Str, n + 1);
  k->type_at = new(a, Span, n + 1);
  if (!k->instance_type.len)
    return;  // no instances of its own (a spot block without them: E0995)
  k->types[0] = k->type;
  k->type_names[0] = k->instance_type;
  k->type_at[0] = span_or(k->at.instance_type, k->span);
  k->ntypes = 1;
  for (int i = 0; i < n; i++) {
    bool seen = false;
    for (int j = 0; j < k->ntypes && !seen; j++)
      seen = str_eq(k->type_names[j], names[i]);
    if (seen)
      continue;
    k->types[k->ntypes] = instance_type(r, names[i], at[i]);
    k->type_names[k->ntypes] = names[i];
    k->type_at[k->ntypes++] = at[i];
  }
}

static Spot *spot(Resolver *r, Settings *s, Environment *e) {
  if (!s)
    return NULL;
  const SchemaBlock *b = schema_path("environment.cluster.spot");
  Spot *p = new(&r->c->arena, Spot, 1);
  p->at.instance_types = written_at(s, "instance_types");
  p->at.on_demand_percent = written_at(s, "on_demand_percent");
  p->on_demand_base = (int)get_num(r, s, b, "on_demand_base", e);
  p->on_demand_percent = (int)get_num(r, s, b, "on_demand_percent", e);
  p->allocation = get_str(r, s, b, "allocation", e);
  return p;
}

// strategy "PROVIDER" { base, weight } blocks among repeated blocks, in
// order; a later one of a provider (an `in` block's over the service's)
// replaces the earlier in its place. The names are check_provider.c's.
static void strategy(Resolver *r, Strategy *st, Settings *s, Environment *e, Cluster *k) {
  const SchemaBlock *b = schema_path("service.strategy");
  st->items = new(&r->c->arena, StrategyItem, s && s->repeated.len ? s->repeated.len : 1);
  for (ptrdiff_t i = 0; s && i < s->repeated.len; i++) {
    Node *n = s->repeated.items[i];
    if (!str_eq_c(n->name, "strategy") || !n->labels)
      continue;
    StrategyItem *it = NULL;
    for (int j = 0; j < st->n && !it; j++)
      if (str_eq(st->items[j].name, label(n)))
        it = &st->items[j];
    if (!it)
      it = &st->items[st->n++];
    Settings *is = settings_of(&r->c->arena, n);
    Str name = label(n);
    *it = (StrategyItem){
        .name = name,
        .provider = str_eq_c(name, "ec2")            ? PROVIDER_EC2
                    : str_eq_c(name, "fargate")      ? PROVIDER_FARGATE
                    : str_eq_c(name, "fargate_spot") ? PROVIDER_FARGATE_SPOT
                                                     : PROVIDER_UNKNOWN,
        .base = (int)get_num(r, is, b, "base", e),
        .weight = (int)get_num(r, is, b, "weight", e),
        .span = label_span(n),
        .at = {written_at(is, "base"), written_at(is, "weight")},
    };
    for (int j = 0; k && it->provider == PROVIDER_UNKNOWN && j < k->ngroups; j++)
      if (str_eq(k->groups[j]->group, name))
        it->provider = PROVIDER_GROUP, it->group = k->groups[j];
  }
}

// managed_scaling { }, or its defaults (AWS's) when absent.
static void managed_scaling(Resolver *r, ManagedScaling *m, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("environment.cluster.managed_scaling");
  m->given = s != NULL;
  m->at.enabled = written_at(s, "enabled");
  m->at.min_step = written_at(s, "min_step");
  m->at.max_step = written_at(s, "max_step");
  m->enabled = get_bool(r, s, b, "enabled", e);
  m->target_capacity = (int)get_num(r, s, b, "target_capacity", e);
  m->min_step = (int)get_num(r, s, b, "min_step", e);
  m->max_step = (int)get_num(r, s, b, "max_step", e);
  m->warmup_ms = get_num(r, s, b, "warmup", e);
}

// The settings of a cluster's own instances, or of a group's: s is the
// cluster's or the group's block, b its schema.
static void instances(Resolver *r, Cluster *k, Settings *s, const SchemaBlock *b, Environment *e) {
  k->at.instance_type = written_at(s, "instance_type");
  k->at.size = written_at(s, "size");
  k->at.min_size = written_at(s, "min_size");
  k->at.max_size = written_at(s, "max_size");
  k->instance_type = get_str(r, s, b, "instance_type", e);
  k->type = instance_type(r, k->instance_type, setting_span(s, "instance_type", k->span));
  k->size = (int)get_num(r, s, b, "size", e);
  k->min_size = setting(s, "min_size") ? (int)get_num(r, s, b, "min_size", e) : k->size;
  k->max_size = setting(s, "max_size") ? (int)get_num(r, s, b, "max_size", e) : k->size;
  Settings *ss = setting_block(s, "spot");
  k->spot = spot(r, ss, e);
  if (k->spot)
    k->spot->span = block_at(s, "spot");
  instance_types(r, k, ss, e);
  Settings *ms = setting_block(s, "managed_scaling");
  managed_scaling(r, &k->scaling, ms, e);
  k->scaling.span = block_at(s, "managed_scaling");
  k->at.termination_protection = written_at(s, "termination_protection");
  k->termination_protection = get_bool(r, s, b, "termination_protection", e);
}

// group "NAME" { } blocks, in order: each a Cluster of the cluster's
// settings with instances of its own (model.h). Two of one name are the
// schema's duplicate (E0305).
static void groups(Resolver *r, Cluster *k, Node *n, Environment *e) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("environment.cluster.group");
  int count = 0;
  for (Node *i = n->body; i; i = i->next)
    count += i->kind == N_BLOCK && str_eq_c(i->name, "group") && i->labels;
  k->groups = new(a, Cluster *, count ? count : 1);
  for (Node *i = n->body; i; i = i->next) {
    if (i->kind != N_BLOCK || !str_eq_c(i->name, "group") || !i->labels)
      continue;
    Cluster *g = new(a, Cluster, 1);
    *g = *k;
    g->groups = NULL;
    g->ngroups = 0;
    g->outer = k;
    g->group = label(i);
    g->group_at = g->span = label_span(i);
    instances(r, g, settings_of(a, i), b, e);
    k->groups[k->ngroups++] = g;
  }
}

static Cluster *cluster(Resolver *r, Environment *e, Node *n) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("environment.cluster");
  Settings *s = settings_of(a, n);
  Cluster *k = new(a, Cluster, 1);
  k->name = label(n);
  k->env = e;
  k->span = label_span(n);
  k->at.ami = written_at(s, "ami");
  k->at.ami_id = written_at(s, "ami_id");
  k->at.key_name = written_at(s, "key_name");
  k->at.root_volume = written_at(s, "root_volume");
  k->at.detailed_monitoring = written_at(s, "detailed_monitoring");
  k->at.agent = written_at(s, "agent");
  Str family = get_str(r, s, b, "ami", e);
  k->ami = fact(&r->amis, (void **)r->m->amis, family);
  if (!k->ami)
    diag_at(r->c, E0404, setting_span(s, "ami", k->span),
            "unknown AMI family \"%.*s\": the standard library does not declare it", S(family));
  k->ami_id = get_str(r, s, b, "ami_id", e);
  k->key_name = get_str(r, s, b, "key_name", e);
  k->root_volume = get_num(r, s, b, "root_volume", e);
  k->container_insights = get_str(r, s, b, "container_insights", e);
  k->detailed_monitoring = get_bool(r, s, b, "detailed_monitoring", e);
  k->at.fargate = written_at(s, "fargate");
  k->fargate = get_bool(r, s, b, "fargate", e);
  k->at.architecture = written_at(s, "architecture");
  k->arch = str_eq_c(get_str(r, s, b, "architecture", e), "arm64") ? ARCH_ARM64 : ARCH_X86_64;
  k->agent = pairs(r, s, "agent", NULL, 0, &k->nagent);
  instances(r, k, s, b, e);
  groups(r, k, n, e);
  strategy(r, &k->strategy, s, e, k);
  return k;
}

static void region_of(Resolver *r, Environment *e, Settings *s) {
  const SchemaBlock *b = schema_path("environment");
  e->region = get_str(r, s, b, "region", e);
  Span at = setting_span(s, "region", e->span);
  if (!e->region.len && r->m->project) {
    Settings *ps = settings_of(&r->c->arena, r->project);
    e->region = get_str(r, ps, schema_path("project"), "region", NULL);
    at = setting_span(ps, "region", r->m->project->span);
  }
  if (!e->region.len)
    return;
  e->at.region = at;
  e->region_info = fact(&r->regions, (void **)r->m->regions, e->region);
  if (!e->region_info) {
    Diag *d = diag_at(r->c, E0404, at, "unknown region \"%.*s\"", S(e->region));
    if (model_region_listed(e->region))  // AWS has it; std/aws/regions lacks its zones
      diag_help(r->c, d, "AWS's partition data lists region \"%.*s\", but std/aws/regions has "
                "no names of its availability zones: declare region \"%.*s\" { azs = [...] } "
                "with those `aws ec2 describe-availability-zones --region %.*s` gives",
                S(e->region), S(e->region), S(e->region));
    else
      diag_did_you_mean(r->c, d, e->region, r->regions.names.items, r->regions.order.len);
  }
}

static Environment *environment(Resolver *r, Node *n) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("environment");
  Settings *s = settings_of(a, n);
  Environment *e = new(a, Environment, 1);
  e->name = label(n);
  e->span = label_span(n);
  e->at.prefix = written_at(s, "prefix");
  e->prefix = setting(s, "prefix") ? get_str(r, s, b, "prefix", e) : (Str){0};  // derive.c
  region_of(r, e, s);
  e->account = get_str(r, s, b, "account", e);
  // Production is declared, or known by the names teams give it: lint's
  // warnings for what should stay closed there (lint.c) rest on it.
  e->production_at = written_at(s, "production");
  e->production = setting(s, "production") ? get_bool(r, s, b, "production", e)
                  : str_eq_c(e->name, "production") || str_eq_c(e->name, "prod") ||
                      str_eq_c(e->name, "prd");
  e->connect_namespace_at = written_at(s, "connect_namespace");
  e->connect_namespace = get_bool(r, s, b, "connect_namespace", e);
  Project *p = r->m->project;
  e->tags = pairs(r, s, "tags", p ? p->tags : NULL, p ? p->ntags : 0, &e->ntags);
  vpc(r, e, setting_block(s, "vpc"));
  if (setting_block(s, "alb"))
    e->alb = alb(r, e, setting_block(s, "alb"), setting_block_node(s, "alb"));
  if (setting_block(s, "bastion"))
    e->bastion = bastion(r, e, setting_block(s, "bastion"), setting_block_node(s, "bastion"));
  int count = 0;
  for (Node *i = n->body; i; i = i->next)
    count += i->kind == N_BLOCK && str_eq_c(i->name, "cluster");
  e->clusters = new(a, Cluster *, count);
  for (Node *i = n->body; i; i = i->next)
    if (i->kind == N_BLOCK && str_eq_c(i->name, "cluster"))
      e->clusters[e->nclusters++] = cluster(r, e, i);
  return e;
}

//
// Services
//

static Node *extends_of(Node *decl) {
  for (Node *it = decl->body; it; it = it->next)
    if (it->kind == N_ATTR && str_eq_c(it->name, "extends"))
      return it->value;
  return NULL;
}

static bool declared_before(Node *a, Node *b) {
  if (a->span.src != b->span.src)
    return a->span.src->index < b->span.src->index;
  return a->span.start < b->span.start;
}

// Reports a cycle of templates, told from the one declared first, so that
// meeting it from any of its members gives the same (deduplicated) error.
static void cycle(Resolver *r, Node **members, int n) {
  int first = 0;
  for (int i = 1; i < n; i++)
    if (declared_before(members[i], members[first]))
      first = i;
  Buf b = {.arena = &r->c->arena};
  for (int k = 0; k <= n; k++)
    buf_printf(&b, "%s\"%.*s\"", k ? " extends " : "", S(label(members[(first + k) % n])));
  Diag *d = diag_at(r->c, E0405, extends_of(members[first])->span, "template cycle: %.*s",
                    S(buf_str(&b)));
  if (!d->help)
    diag_help(r->c, d, "a template cannot extend itself, directly or through others");
}

// The templates a declaration extends, farthest first, then the declaration
// itself. A cycle is reported, with its whole path, and cut.
static int chain(Resolver *r, Node *decl, Node **out, int max) {
  Node *path[64];
  int n = 0;
  for (Node *d = decl; d && n < max && n < countof(path);) {
    for (int i = 0; i < n; i++) {
      if (path[i] != d)
        continue;
      cycle(r, path + i, n - i);
      d = NULL;
      break;
    }
    if (!d)
      break;
    path[n++] = d;
    Node *ext = extends_of(d);
    if (!ext || ext->kind != N_REF || ext->nparts != 2)
      break;
    Node *t = lookup(&r->templates, ext->parts[1]);
    if (!t)
      unknown(r, E0402, ext->span, "template", ext->parts[1], &r->templates, NULL);
    d = t;
  }
  for (int i = 0; i < n; i++)
    out[i] = path[n - 1 - i];
  return n;
}

// Whether a service runs in e: `environments`, set by the service or by the
// nearest template that sets it, lists e; without it, everywhere.
static Node *environments_of(Node **links, int nlinks) {
  for (int k = nlinks - 1; k >= 0; k--)
    for (Node *it = links[k]->body; it; it = it->next)
      if (it->kind == N_ATTR && str_eq_c(it->name, "environments") && it->value->kind == N_LIST)
        return it;
  return NULL;
}

static bool runs_in(Node **links, int nlinks, Str env) {
  Node *list = environments_of(links, nlinks);
  if (!list)
    return true;
  for (Node *v = list->value->body; v; v = v->next)
    if (v->kind == N_STRING && str_eq(v->str, env))
      return true;
  return false;
}

// An `in "ENV"` block for an environment the service does not run in never
// applies: said, since it usually means a misplaced override or a missing
// entry in `environments`.
static void dead_overrides(Resolver *r, Node *decl, Node **links, int nlinks) {
  for (int k = 0; k < nlinks; k++) {
    for (Node *it = links[k]->body; it; it = it->next) {
      if (it->kind != N_BLOCK || !str_eq_c(it->name, "in") || !it->labels ||
          !lookup(&r->envs, it->labels->str) || runs_in(links, nlinks, it->labels->str))
        continue;
      Node *list = environments_of(links, nlinks);
      Diag *d = diag_at(r->c, W0576, it->labels->span,
                        "service \"%.*s\" does not run in environment \"%.*s\": this override "
                        "never applies", S(label(decl)), S(it->labels->str));
      diag_note(r->c, d, list->value->span, "the service runs only in these environments");
      diag_help(r->c, d, "add \"%.*s\" to environments, or remove the block",
                S(it->labels->str));
    }
  }
}

// Every environment a service names (in `environments` or `in "ENV"`) must
// exist: a misspelt override would otherwise never apply, silently.
static void check_env_names(Resolver *r, Node **links, int nlinks) {
  if (!r->envs.order.len)
    return;  // a module: the environments are declared by the file importing it
  for (int k = 0; k < nlinks; k++) {
    for (Node *it = links[k]->body; it; it = it->next) {
      if (it->kind == N_BLOCK && str_eq_c(it->name, "in") && it->labels &&
          !lookup(&r->envs, it->labels->str))
        unknown(r, E0402, it->labels->span, "environment", it->labels->str, &r->envs, NULL);
      if (it->kind == N_ATTR && str_eq_c(it->name, "environments") &&
          it->value->kind == N_LIST)
        for (Node *v = it->value->body; v; v = v->next)
          if (v->kind == N_STRING && !lookup(&r->envs, v->str))
            unknown(r, E0402, v->span, "environment", v->str, &r->envs, NULL);
    }
  }
}

static Settings *merge(Resolver *r, Node **links, int nlinks, Environment *e) {
  Arena *a = &r->merges;
  Settings *s = new(a, Settings, 1);
  for (int k = 0; k < nlinks; k++)
    apply(a, s, links[k]->body);
  for (int k = 0; e && k < nlinks; k++)
    for (Node *it = links[k]->body; it; it = it->next)
      if (it->kind == N_BLOCK && str_eq_c(it->name, "in") && it->labels &&
          str_eq(it->labels->str, e->name))
        apply(a, s, it->body);
  return s;
}

// The service's own container needs no memory of its own when its task has
// one, as a sidecar does not (ECS API Reference, "ContainerDefinition",
// memory: "you must specify either a task-level memory value or a
// container-level memory value"): terraform-aws-modules, AWS Copilot and
// ecspresso all size the task alone.
static bool sized_by_task(const SchemaBlock *b, const SchemaAttr *a, Settings *s) {
  return b == schema_path("service") && strcmp(a->name, "memory") == 0 &&
         setting(setting_block(s, "task"), "memory");
}

// Required settings, checked once merged. A setting the service's own chain
// lacks in every environment is one error; one that only some environments'
// overrides supply names the others.
static void require(Resolver *r, Node *decl, Span at, const SchemaBlock *b, Settings *base,
                    Settings **per_env, Environment **envs, int nenvs, const char *path) {
  for (const SchemaAttr *a = b->attrs; a && a->name; a++) {
    if (!a->required || setting(base, a->name) || sized_by_task(b, a, base))
      continue;
    if (!nenvs && !base)
      continue;
    Buf missing = {.arena = &r->c->arena};
    int count = 0, present = 0;
    for (int i = 0; i < nenvs; i++) {
      present += per_env[i] != NULL;  // environments where the block exists
      if (per_env[i] && !setting(per_env[i], a->name) && !sized_by_task(b, a, per_env[i])) {
        buf_printf(&missing, "%s\"%.*s\"", count ? ", " : "", S(envs[i]->name));
        count++;
      }
    }
    if (!count && nenvs)  // every environment's overrides supply it
      continue;
    Diag *d = count == present || nenvs == 0
                  ? diag_at(r->c, E0304, at, "missing required attribute \"%s%s\" in service \"%.*s\"",
                            path, a->name, S(label(decl)))
                  : diag_at(r->c, E0304, at,
                            "missing required attribute \"%s%s\" in service \"%.*s\" in %s %.*s", path,
                            a->name, S(label(decl)), count == 1 ? "environment" : "environments",
                            S(buf_str(&missing)));
    diag_help(r->c, d, "add %s = ... (%.1024s)", a->name, a->doc);
  }
}

static HealthCheck *health(Resolver *r, Settings *s, Environment *e) {
  if (!s)
    return NULL;
  const SchemaBlock *b = schema_path("service.health");
  HealthCheck *h = new(&r->c->arena, HealthCheck, 1);
  h->at.command = written_at(s, "command");
  h->at.timeout = written_at(s, "timeout");
  Node *cmd = get(r, s, b, "command", e);
  if (cmd && cmd->kind == N_STRING) {
    h->shell = true;
    h->command = new(&r->c->arena, Str, 1);
    h->command[0] = cmd->str;
    h->ncommand = 1;
  } else {
    h->command = strings(r, cmd, &h->ncommand);
  }
  h->interval_ms = get_num(r, s, b, "interval", e);
  h->timeout_ms = get_num(r, s, b, "timeout", e);
  h->retries = (int)get_num(r, s, b, "retries", e);
  h->start_period_ms = get_num(r, s, b, "start_period", e);
  return h;
}

static Route *route(Resolver *r, Service *svc, Settings *s, Environment *e) {
  if (!s)
    return NULL;
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("service.route");
  const SchemaBlock *hb = schema_path("service.route.health_check");
  Route *rt = new(a, Route, 1);
  rt->at.paths = written_at(s, "paths");
  rt->at.priority = written_at(s, "priority");
  rt->at.health_check = block_at(s, "health_check");
  rt->at.health_timeout = written_at(setting_block(s, "health_check"), "timeout");
  rt->at.container = written_at(s, "container");
  rt->paths = strings(r, get(r, s, b, "paths", e), &rt->npaths);
  rt->hosts = strings(r, get(r, s, b, "hosts", e), &rt->nhosts);
  rt->priority_declared = setting(s, "priority") != NULL;
  rt->priority = (int)get_num(r, s, b, "priority", e);
  rt->deregistration_ms = get_num(r, s, b, "deregistration_delay", e);
  Settings *hs = setting_block(s, "health_check");
  rt->health = (TargetHealth){
      .path = get_str(r, hs, hb, "path", e),
      .matcher = get_str(r, hs, hb, "matcher", e),
      .interval_ms = get_num(r, hs, hb, "interval", e),
      .timeout_ms = get_num(r, hs, hb, "timeout", e),
      .healthy = (int)get_num(r, hs, hb, "healthy_threshold", e),
      .unhealthy = (int)get_num(r, hs, hb, "unhealthy_threshold", e),
  };
  return rt;
}

// The place of each element of a list attribute, or of the attribute for
// every element when the list came from elsewhere (a variable).
static Span *element_spans(Resolver *r, Settings *s, const char *name, int n, Span fallback) {
  Node *attr = setting(s, name);
  Span *out = spans(r, attr ? attr->value : NULL, n);
  for (int i = 0; i < n; i++)
    if (!out[i].src)
      out[i] = attr ? attr->value->span : fallback;
  return out;
}

static void grants(Resolver *r, Service *svc, Settings *s) {
  const SchemaBlock *b = schema_path("service.grant");
  svc->grants = new(&r->c->arena, Grant, s->repeated.len);
  for (int i = 0; i < s->repeated.len; i++) {
    Node *n = s->repeated.items[i];
    if (!str_eq_c(n->name, "grant"))
      continue;  // container, ulimit (containers()) and strategy (strategy()) blocks
    Settings *gs = settings_of(&r->c->arena, n);
    Grant *g = &svc->grants[svc->ngrants++];
    g->at = n->name_span;
    Node *actions = get(r, gs, b, "actions", svc->env);
    Node *resources = get(r, gs, b, "resources", svc->env);
    g->actions = strings(r, actions, &g->nactions);
    g->resources = strings(r, resources, &g->nresources);
    g->action_at = element_spans(r, gs, "actions", g->nactions, n->name_span);
    g->resource_at = element_spans(r, gs, "resources", g->nresources, n->name_span);
    if (!setting(gs, "actions") || !setting(gs, "resources"))
      diag_at(r->c, E0304, n->name_span, "missing required attribute \"%s\" in grant",
              setting(gs, "actions") ? "resources" : "actions");
  }
}

// Where the tasks run, and the task's own size. A Fargate task's network
// mode is awsvpc unless written (check_fargate.c refuses another).
static void task_size(Resolver *r, Service *svc, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service"), *tb = schema_path("service.task");
  svc->at.capacity = written_at(s, "capacity");
  svc->at.platform_version = written_at(s, "platform_version");
  Str cap = get_str(r, s, b, "capacity", e);
  svc->runs_on = str_eq_c(cap, "fargate")        ? RUN_FARGATE
                 : str_eq_c(cap, "fargate_spot") ? RUN_FARGATE_SPOT
                                                 : RUN_EC2;
  if (svc->runs_on != RUN_EC2 && !svc->at.network_mode.src)
    svc->network = NET_AWSVPC;
  svc->platform_version = get_str(r, s, b, "platform_version", e);
  Settings *ts = setting_block(s, "task");
  svc->at.task = block_at(s, "task");
  svc->at.task_cpu = written_at(ts, "cpu");
  svc->at.task_memory = written_at(ts, "memory");
  svc->at.ephemeral_storage = written_at(ts, "ephemeral_storage");
  svc->task_cpu = (int)get_num(r, ts, tb, "cpu", e);
  svc->task_memory = get_num(r, ts, tb, "memory", e);
  svc->ephemeral_storage = get_num(r, ts, tb, "ephemeral_storage", e);
}

// A schedule of the merged scaling block: a later one of the same name (an
// `in` block's, over the template's) replaces the earlier, in its place.
static void schedule(Resolver *r, Scaling *sc, Node *n, Environment *e) {
  const SchemaBlock *b = schema_path("service.scaling.schedule");
  Settings *s = settings_of(&r->c->arena, n);
  Schedule *h = NULL;
  for (int i = 0; i < sc->nschedules && !h; i++)
    if (str_eq(sc->schedules[i].name, label(n)))
      h = &sc->schedules[i];
  if (!h)
    h = &sc->schedules[sc->nschedules++];
  *h = (Schedule){.name = label(n), .span = label_span(n)};
  h->at.cron = written_at(s, "cron");
  h->at.timezone = written_at(s, "timezone");
  h->at.min = written_at(s, "min");
  h->at.max = written_at(s, "max");
  h->cron = get_str(r, s, b, "cron", e);
  h->timezone = get_str(r, s, b, "timezone", e);
  h->min = setting(s, "min") ? (int)get_num(r, s, b, "min", e) : -1;
  h->max = setting(s, "max") ? (int)get_num(r, s, b, "max", e) : -1;
  if (!setting(s, "cron"))
    diag_at(r->c, E0304, h->span, "missing required attribute \"cron\" in schedule \"%.*s\"",
            S(h->name));
  if (!setting(s, "min") && !setting(s, "max")) {
    Diag *d = diag_at(r->c, E0304, h->span, "schedule \"%.*s\" sets neither min nor max",
                      S(h->name));
    diag_help(r->c, d, "add min = ... or max = ... (the scaling's bounds from the schedule on)");
  }
}

// scaling { }: required settings are checked here, after merging, as a
// template or an `in` block may give them.
static Scaling *scaling(Resolver *r, Service *svc, Settings *s, Environment *e) {
  if (!s)
    return NULL;
  const SchemaBlock *b = schema_path("service.scaling");
  Scaling *sc = new(&r->c->arena, Scaling, 1);
  sc->span = svc->at.scaling;
  sc->at.min = written_at(s, "min");
  sc->at.max = written_at(s, "max");
  sc->at.requests_per_target = written_at(s, "requests_per_target");
  sc->at.cpu = written_at(s, "cpu");
  sc->min = (int)get_num(r, s, b, "min", e);
  sc->max = (int)get_num(r, s, b, "max", e);
  sc->at.memory = written_at(s, "memory");
  sc->cpu = (int)get_tenths(r, s, b, "cpu", e);
  sc->memory = (int)get_tenths(r, s, b, "memory", e);
  sc->requests = (int)get_num(r, s, b, "requests_per_target", e);
  sc->scale_in_cooldown_ms = get_num(r, s, b, "scale_in_cooldown", e);
  sc->scale_out_cooldown_ms = get_num(r, s, b, "scale_out_cooldown", e);
  sc->schedules = new(&r->c->arena, Schedule, s->repeated.len ? s->repeated.len : 1);
  for (ptrdiff_t i = 0; i < s->repeated.len; i++)
    schedule(r, sc, s->repeated.items[i], e);
  for (const SchemaAttr *a = b->attrs; a->name; a++) {
    if (!a->required || setting(s, a->name))
      continue;
    Diag *d = diag_at(r->c, E0304, sc->span, "missing required attribute \"scaling.%s\" in "
                      "service \"%.*s\" in environment \"%.*s\"", a->name, S(svc->name),
                      S(e->name));
    diag_help(r->c, d, "add %s = ... (%.1024s)", a->name, a->doc);
  }
  return sc;
}

static int secret_order(const void *a, const void *b) {
  return str_cmp(((const Secret *)a)->name, ((const Secret *)b)->name);
}

static void secrets_into(Resolver *r, Setting *set, Secret **out, int *n) {
  *n = 0;
  if (!set)
    return;
  *out = new(&r->c->arena, Secret, set->nentries);
  for (int i = 0; i < set->nentries; i++) {
    Node *e = set->entries[i];
    Node *ref = e->value;
    if (ref->kind != N_REF || ref->nparts != 2)
      continue;
    if (str_eq_c(ref->parts[0], "secret")) {  // Secrets Manager
      if (!lookup(&r->sm_secrets, ref->parts[1])) {
        unknown(r, E0402, ref->span, "secret", ref->parts[1], &r->sm_secrets, NULL);
        continue;
      }
      SmSecret *k = fact(&r->sm_secrets, (void **)r->m->sm_secrets, ref->parts[1]);
      k->read = true;
      (*out)[(*n)++] = (Secret){e->name, NULL, k, e->name_span};
      continue;
    }
    Node *decl = lookup(&r->params, ref->parts[1]);
    if (!decl) {
      unknown(r, E0402, ref->span, "parameter", ref->parts[1], &r->params, NULL);
      continue;
    }
    Parameter *p = fact(&r->params, (void **)r->m->params, ref->parts[1]);
    p->read = true;
    (*out)[(*n)++] = (Secret){e->name, p, NULL, e->name_span};
  }
  qsort(*out, (size_t)*n, sizeof **out, secret_order);
}

static Cluster *cluster_ref(Resolver *r, Service *svc, Settings *s) {
  Node *at = setting(s, "cluster");
  if (!at || at->value->kind != N_REF || at->value->nparts != 2)
    return NULL;
  Str name = at->value->parts[1];
  Environment *e = svc->env;
  for (int i = 0; i < e->nclusters; i++)
    if (str_eq(e->clusters[i]->name, name))
      return e->clusters[i];
  Str *names = new(&r->c->arena, Str, e->nclusters);
  for (int i = 0; i < e->nclusters; i++)
    names[i] = e->clusters[i]->name;
  Diag *d = diag_at(r->c, E0402, at->value->span, "unknown cluster \"%.*s\" in environment \"%.*s\"",
                    S(name), S(e->name));
  diag_did_you_mean(r->c, d, name, names, e->nclusters);
  diag_note(r->c, d, e->span, "the clusters of environment \"%.*s\" are declared here", S(e->name));
  return NULL;
}

//
// Containers: the service's own (its attributes) and its container blocks
//

static void secrets_into(Resolver *r, Setting *set, Secret **out, int *n);

// ECS API Reference, "Ulimit": the names UlimitName allows.
static const char *const ulimit_names[] = {
    "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
    "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
};

static bool ulimit_known(Resolver *r, Node *n) {
  Str name = label(n);
  Str names[countof(ulimit_names)];
  for (int i = 0; i < countof(ulimit_names); i++) {
    names[i] = str_c(ulimit_names[i]);
    if (str_eq(name, names[i]))
      return true;
  }
  Diag *d = diag_at(r->c, E0909, label_span(n), "unknown ulimit \"%.*s\"", S(name));
  diag_did_you_mean(r->c, d, name, names, countof(ulimit_names));
  diag_help(r->c, d, "ECS sets core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, "
                     "nproc, rss, rtprio, rttime, sigpending and stack");
  return false;
}

// The ulimit blocks, the last of each name winning (a service's over its
// template's, an override's over both).
static void ulimits(Resolver *r, Container *k, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service.ulimit");
  k->ulimits = new(&r->c->arena, Ulimit, s->repeated.len ? s->repeated.len : 1);
  for (int i = 0; i < s->repeated.len; i++) {
    Node *n = s->repeated.items[i];
    if (!str_eq_c(n->name, "ulimit") || !ulimit_known(r, n))
      continue;
    int j = 0;
    while (j < k->nulimits && !str_eq(k->ulimits[j].name, label(n)))
      j++;
    Settings *us = settings_of(&r->c->arena, n);
    k->ulimits[j] = (Ulimit){label(n), get_num(r, us, b, "soft", e), get_num(r, us, b, "hard", e),
                             label_span(n), span_or(written_at(us, "soft"), label_span(n))};
    k->nulimits += j == k->nulimits;
  }
}

static int dependency_order(const void *a, const void *b) {
  return str_cmp(((const Dependency *)a)->name, ((const Dependency *)b)->name);
}

// depends_on as written; the targets are bound once every container exists.
static void dependencies(Resolver *r, Container *k, Settings *s) {
  Setting *set = find_setting(s, STR("depends_on"));
  if (!set)
    return;
  k->depends_on = new(&r->c->arena, Dependency, set->nentries);
  for (int i = 0; i < set->nentries; i++) {
    Node *e = set->entries[i];
    if (e->value->kind != N_STRING)
      continue;  // a variable: schema_check.c types only literals
    Str v = e->value->str;
    DependCondition c = str_eq_c(v, "COMPLETE")  ? DEPEND_COMPLETE
                        : str_eq_c(v, "SUCCESS") ? DEPEND_SUCCESS
                        : str_eq_c(v, "HEALTHY") ? DEPEND_HEALTHY
                                                 : DEPEND_START;
    k->depends_on[k->ndepends_on++] = (Dependency){e->name, c, NULL, e->name_span, e->value->span};
  }
  qsort(k->depends_on, (size_t)k->ndepends_on, sizeof *k->depends_on, dependency_order);
}

// links as written, each at its element; bound like depends_on's targets,
// once every container exists.
static void link_names(Resolver *r, Container *k, Settings *s, const SchemaBlock *b,
                       Environment *e) {
  Node *list = get(r, s, b, "links", e);
  Str *names = strings(r, list, &k->nlinks);
  Span *at = element_spans(r, s, "links", k->nlinks, attr_at(s, "links"));
  k->links = new(&r->c->arena, Link, k->nlinks);
  for (int i = 0; i < k->nlinks; i++)
    k->links[i] = (Link){names[i], NULL, at[i]};
  k->at.links = attr_at(s, "links");
}

//
// Volumes: the service's volume blocks and its containers' mount blocks
//

// The labelled blocks of one kind (volume, mount) a merged block holds, in
// the order their labels first appear, those of one label merged in order
// (a template's, the service's, then the environment's overrides), as
// container blocks are (sidecar_settings): an override may change one
// attribute of a template's volume or mount. Returns their number.
static int labelled_settings(Resolver *r, Settings *s, const char *kind, Node **first,
                             Settings **merged) {
  int n = 0;
  for (int i = 0; i < s->repeated.len; i++) {
    Node *b = s->repeated.items[i];
    if (!str_eq_c(b->name, kind))
      continue;
    int j = 0;
    while (j < n && !str_eq(label(first[j]), label(b)))
      j++;
    if (j == n) {
      first[n] = b;
      merged[n++] = new(&r->c->arena, Settings, 1);
    }
    apply(&r->c->arena, merged[j], b->body);
  }
  return n;
}

// A container's mounts, one per volume's name. Required settings are
// checked once merged, as a template's mount may lack its path. They are
// bound to the task's volumes once those are read (bind_mounts).
static void mounts(Resolver *r, Container *k, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service.mount");
  Arena *a = &r->c->arena;
  Node **first = new(a, Node *, s->repeated.len + 1);
  Settings **merged = new(a, Settings *, s->repeated.len + 1);
  int n = labelled_settings(r, s, "mount", first, merged);
  k->mounts = new(a, Mount, n ? n : 1);
  for (int i = 0; i < n; i++) {
    Settings *ms = merged[i];
    if (!setting(ms, "path")) {
      Diag *d = diag_at(r->c, E0304, label_span(first[i]), "missing required attribute \"path\" "
                        "in mount \"%.*s\"", S(label(first[i])));
      diag_help(r->c, d, "add path = \"/...\" (where the container sees the volume)");
      continue;
    }
    k->mounts[k->nmounts++] = (Mount){
        .name = label(first[i]), .path = get_str(r, ms, b, "path", e),
        .read_only = get_bool(r, ms, b, "read_only", e), .at = label_span(first[i]),
        .path_at = written_at(ms, "path")};
  }
}

static void efs_volume(Resolver *r, EfsVolume *v, Settings *s, Span span, Environment *e) {
  const SchemaBlock *b = schema_path("service.volume.efs");
  v->span = span;
  v->at.file_system_id = written_at(s, "file_system_id");
  v->at.access_point_id = written_at(s, "access_point_id");
  v->at.root_directory = written_at(s, "root_directory");
  v->at.transit_encryption = written_at(s, "transit_encryption");
  v->at.iam = written_at(s, "iam");
  v->at.root_access = written_at(s, "root_access");
  v->file_system_id = get_str(r, s, b, "file_system_id", e);
  v->access_point_id = get_str(r, s, b, "access_point_id", e);
  v->root_directory = get_str(r, s, b, "root_directory", e);
  v->transit_encryption = get_bool(r, s, b, "transit_encryption", e);
  v->iam = get_bool(r, s, b, "iam", e);
  v->root_access = get_bool(r, s, b, "root_access", e);
  v->at.transit_encryption_port = written_at(s, "transit_encryption_port");
  v->transit_encryption_port = get_num(r, s, b, "transit_encryption_port", e);
}

static void docker_volume(Resolver *r, DockerVolume *v, Settings *s, Span span, Environment *e) {
  const SchemaBlock *b = schema_path("service.volume.docker");
  v->span = span;
  v->at.scope = written_at(s, "scope");
  v->at.autoprovision = written_at(s, "autoprovision");
  v->scope = get_str(r, s, b, "scope", e);
  v->autoprovision = get_bool(r, s, b, "autoprovision", e);
  v->driver = get_str(r, s, b, "driver", e);
  v->driver_opts = pairs(r, s, "driver_opts", NULL, 0, &v->ndriver_opts);
  v->labels = pairs(r, s, "labels", NULL, 0, &v->nlabels);
}

// ebs { }: its size and settings; propagate_tags, written or ["service"]
// (ecsc tags what it makes by project and environment: the service's tags),
// each source once.
static void ebs_volume(Resolver *r, EbsVolume *v, Settings *s, Span span, Environment *e) {
  const SchemaBlock *b = schema_path("service.volume.ebs");
  v->span = span;
  v->at.size = written_at(s, "size");
  v->at.type = written_at(s, "type");
  v->at.iops = written_at(s, "iops");
  v->at.throughput = written_at(s, "throughput");
  v->at.encrypted = written_at(s, "encrypted");
  v->at.kms_key = written_at(s, "kms_key");
  v->at.snapshot_id = written_at(s, "snapshot_id");
  v->size = get_num(r, s, b, "size", e);
  v->type = get_str(r, s, b, "type", e);
  v->iops = (int)get_num(r, s, b, "iops", e);
  v->throughput = (int)get_num(r, s, b, "throughput", e);
  v->filesystem = get_str(r, s, b, "filesystem", e);
  v->encrypted = get_bool(r, s, b, "encrypted", e);
  v->kms_key = get_str(r, s, b, "kms_key", e);
  v->snapshot_id = get_str(r, s, b, "snapshot_id", e);
  if (!setting(s, "propagate_tags")) {
    static Str service = STR_INIT("service");
    v->propagate_tags = &service;
    v->npropagate_tags = 1;
    return;
  }
  int n;
  Str *written = strings(r, get(r, s, b, "propagate_tags", e), &n);
  v->propagate_tags = new(&r->c->arena, Str, n ? n : 1);
  for (int i = 0; i < n; i++) {
    bool seen = false;
    for (int k = 0; k < v->npropagate_tags; k++)
      seen |= str_eq(v->propagate_tags[k], written[i]);
    if (!seen)
      v->propagate_tags[v->npropagate_tags++] = written[i];
  }
}

// A volume's kind is one of host_path, efs, docker and ebs (ECS API
// Reference, "Volume": "a name and one of either configuredAtLaunch,
// dockerVolumeConfiguration, efsVolumeConfiguration, ... or host"): an ebs
// block beside another kind is refused (E0918). True when it is.
static bool ebs_and_another(Resolver *r, Volume *v, Settings *s) {
  if (!setting_block(s, "ebs"))
    return false;
  static const struct {
    const char *key, *what, *note;
    bool block;
  } others[] = {
      {"efs", "an EFS file system", "its efs block", true},
      {"docker", "a Docker volume", "its docker block", true},
      {"host_path", "a path of the instance", "its host_path", false},
  };
  for (int i = 0; i < countof(others); i++) {
    const char *key = others[i].key;
    if (others[i].block ? !setting_block(s, key) : !written_at(s, key).src)
      continue;
    Diag *d = diag_at(r->c, E0918, setting_block_span(s, "ebs", v->span),
                      "volume \"%.*s\" is both an EBS volume and %s", S(v->name), others[i].what);
    diag_note(r->c, d, others[i].block ? setting_block_span(s, key, v->span) : written_at(s, key),
              "%s", others[i].note);
    diag_help(r->c, d, "keep one of the two: a task's volume is of one kind");
    return true;
  }
  return false;
}

// One volume, its blocks merged: its kind from its host_path or the block
// inside it (E0918 for two, E0304 for an efs block that no block of the
// name completes). An EBS volume is the service's infrastructure role's to
// manage (Service.ebs, infra_role: derive.c).
static void volume(Resolver *r, Volume *v, Node *first, Settings *s, Environment *e) {
  *v = (Volume){.name = label(first), .span = label_span(first)};
  Settings *efs = setting_block(s, "efs"), *docker = setting_block(s, "docker");
  Span efs_at = setting_block_span(s, "efs", v->span);
  Span docker_at = setting_block_span(s, "docker", v->span);
  Span host_at = written_at(s, "host_path");
  if (ebs_and_another(r, v, s))
    return;
  if (setting_block(s, "ebs")) {
    v->kind = VOLUME_EBS;
    ebs_volume(r, &v->ebs, setting_block(s, "ebs"), setting_block_span(s, "ebs", v->span), e);
    return;
  }
  if (efs && docker) {
    Diag *d = diag_at(r->c, E0918, docker_at, "volume \"%.*s\" is both an EFS file system and a "
                      "Docker volume", S(v->name));
    diag_note(r->c, d, efs_at, "its efs block");
    diag_help(r->c, d, "keep one of the two: a task's volume is of one kind");
    return;
  }
  if (host_at.src && (efs || docker)) {
    Diag *d = diag_at(r->c, E0918, efs ? efs_at : docker_at, "volume \"%.*s\" is both a path of "
                      "the instance and %s", S(v->name), efs ? "an EFS file system" : "a Docker "
                      "volume");
    diag_note(r->c, d, host_at, "its host_path");
    diag_help(r->c, d, "keep one of the two: a task's volume is of one kind");
    return;
  }
  if (host_at.src) {
    v->kind = VOLUME_HOST;
    v->host_path = get_str(r, s, schema_path("service.volume"), "host_path", e);
    v->host_path_at = host_at;
    return;
  }
  if (efs && !setting(efs, "file_system_id")) {
    Diag *d = diag_at(r->c, E0304, efs_at, "missing required attribute \"efs.file_system_id\" "
                      "in volume \"%.*s\"", S(v->name));
    diag_help(r->c, d, "add file_system_id = \"fs-...\" (the EFS file system)");
    return;
  }
  if (efs) {
    v->kind = VOLUME_EFS;
    efs_volume(r, &v->efs, efs, efs_at, e);
  } else if (docker) {
    v->kind = VOLUME_DOCKER;
    docker_volume(r, &v->docker, docker, docker_at, e);
  }
}

static Volume *find_volume(Service *svc, Str name) {
  for (int i = 0; i < svc->nvolumes; i++)
    if (str_eq(svc->volumes[i].name, name))
      return &svc->volumes[i];
  return NULL;
}

// Each mount names a volume of the task (E0913), which learns how many
// containers mount it and whether any may write to it (derive_iam.c grants
// ClientWrite only then).
static void bind_mounts(Resolver *r, Service *svc) {
  Str *names = new(&r->c->arena, Str, svc->nvolumes ? svc->nvolumes : 1);
  for (int i = 0; i < svc->nvolumes; i++)
    names[i] = svc->volumes[i].name;
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    for (int j = 0; j < k->nmounts; j++) {
      Mount *m = &k->mounts[j];
      m->volume = find_volume(svc, m->name);
      if (m->volume) {
        m->volume->nmounts++;
        m->volume->read_write |= !m->read_only;
        continue;
      }
      Diag *d = diag_at(r->c, E0913, m->at, "container \"%.*s\" mounts volume \"%.*s\", which "
                        "service \"%.*s\" does not declare", S(k->name), S(m->name),
                        S(svc->name));
      diag_did_you_mean(r->c, d, m->name, names, svc->nvolumes);
      diag_help(r->c, d, "declare it in the service: volume \"%.*s\" {}", S(m->name));
    }
  }
}

// The service's volumes, those of one name merged; then its containers'
// mounts bound to them.
static void volumes(Resolver *r, Service *svc, Settings *s, Environment *e) {
  Arena *a = &r->c->arena;
  Node **first = new(a, Node *, s->repeated.len + 1);
  Settings **merged = new(a, Settings *, s->repeated.len + 1);
  int n = labelled_settings(r, s, "volume", first, merged);
  svc->volumes = new(a, Volume, n ? n : 1);
  for (int i = 0; i < n; i++)
    volume(r, &svc->volumes[svc->nvolumes++], first[i], merged[i], e);
  for (int i = svc->nvolumes - 1; i >= 0; i--)
    if (svc->volumes[i].kind == VOLUME_EBS)
      svc->ebs = &svc->volumes[i];
  bind_mounts(r, svc);
}

// A container's log block and firelens block, as written: their options
// sorted by name (pairs). check_logging.c judges them.
static void logging(Resolver *r, Container *k, Settings *s, Environment *e) {
  Arena *a = &r->c->arena;
  Settings *ls = setting_block(s, "log");
  if (ls) {
    LogConfig *l = new(a, LogConfig, 1);
    l->driver = get_str(r, ls, schema_path("service.log"), "driver", e);
    l->options = pairs(r, ls, "options", NULL, 0, &l->noptions);
    l->at = block_at(s, "log");
    l->driver_at = written_at(ls, "driver");
    l->options_at = attr_at(ls, "options");
    k->log = l;
  }
  Settings *fs = setting_block(s, "firelens");
  if (fs) {
    Firelens *f = new(a, Firelens, 1);
    f->type = get_str(r, fs, schema_path("service.container.firelens"), "type", e);
    f->options = pairs(r, fs, "options", NULL, 0, &f->noptions);
    f->at = block_at(s, "firelens");
    f->options_at = attr_at(fs, "options");
    k->firelens = f;
  }
}

// restart { }: the container's restart policy.
static RestartPolicy *restart_policy(Resolver *r, Settings *s, Environment *e) {
  Settings *rs = setting_block(s, "restart");
  if (!rs)
    return NULL;
  const SchemaBlock *b = schema_path("service.restart");
  RestartPolicy *p = new(&r->c->arena, RestartPolicy, 1);
  p->enabled = get_bool(r, rs, b, "enabled", e);
  p->attempt_period_ms = get_num(r, rs, b, "attempt_period", e);
  p->at = block_at(s, "restart");
  Node *codes = get(r, rs, b, "ignored_exit_codes", e);
  for (Node *c = codes && codes->kind == N_LIST ? codes->body : NULL; c; c = c->next)
    p->nignored_exit_codes++;
  p->ignored_exit_codes = new(&r->c->arena, int64_t, p->nignored_exit_codes + 1);
  int i = 0;
  for (Node *c = codes && codes->kind == N_LIST ? codes->body : NULL; c; c = c->next)
    p->ignored_exit_codes[i++] = c->v.i;
  return p;
}

// ports = [...]: the further ports, each with its place (check_containers.c
// judges them against the main port and each other, E0905).
static void container_ports(Resolver *r, Container *k, Settings *s, const SchemaBlock *b,
                            Environment *e) {
  k->at.ports = written_at(s, "ports");
  Node *list = get(r, s, b, "ports", e);
  for (Node *p = list && list->kind == N_LIST ? list->body : NULL; p; p = p->next)
    k->nports++;
  k->ports = new(&r->c->arena, int, k->nports + 1);
  int i = 0;
  for (Node *p = list && list->kind == N_LIST ? list->body : NULL; p; p = p->next)
    k->ports[i++] = (int)p->v.i;
  k->port_spans = element_spans(r, s, "ports", k->nports, k->span);
}

// One container's settings, merged: b is the block whose attributes they
// are ("service" for the service's own, "service.container" for the others).
static Container *container(Resolver *r, Settings *s, const SchemaBlock *b, Environment *e) {
  Container *k = new(&r->c->arena, Container, 1);
  k->at.image = written_at(s, "image");
  k->at.cpu = written_at(s, "cpu");
  k->at.memory = written_at(s, "memory");
  k->at.memory_reservation = written_at(s, "memory_reservation");
  k->at.port = written_at(s, "port");
  k->at.host_port = written_at(s, "host_port");
  k->at.essential = written_at(s, "essential");
  k->at.env = attr_at(s, "env");
  k->at.secrets = attr_at(s, "secrets");
  k->at.depends_on = attr_at(s, "depends_on");
  k->image = get_str(r, s, b, "image", e);
  k->ref = image_read(r->c, k->image);
  k->essential = get_bool(r, s, b, "essential", e);
  k->cpu = (int)get_num(r, s, b, "cpu", e);
  k->memory = get_num(r, s, b, "memory", e);
  k->memory_reservation = get_num(r, s, b, "memory_reservation", e);
  k->port = (int)get_num(r, s, b, "port", e);
  k->host_port = (int)get_num(r, s, b, "host_port", e);
  container_ports(r, k, s, b, e);
  k->stop_timeout_ms = get_num(r, s, b, "stop_timeout", e);
  k->at.stop_timeout = written_at(s, "stop_timeout");
  k->command = strings(r, get(r, s, b, "command", e), &k->ncommand);
  k->entrypoint = strings(r, get(r, s, b, "entrypoint", e), &k->nentrypoint);
  k->user = get_str(r, s, b, "user", e);
  k->at.user = written_at(s, "user");
  k->working_directory = get_str(r, s, b, "working_directory", e);
  k->read_only_root = get_bool(r, s, b, "read_only_root", e);
  k->at.read_only_root = written_at(s, "read_only_root");
  k->init = get_bool(r, s, b, "init", e);
  k->at.init = written_at(s, "init");
  k->env_vars = pairs(r, s, "env", NULL, 0, &k->nenv_vars);
  k->at.env_files = written_at(s, "env_files");
  k->env_files = strings(r, get(r, s, b, "env_files", e), &k->nenv_files);
  secrets_into(r, find_setting(s, STR("secrets")), &k->secrets, &k->nsecrets);
  k->health = health(r, setting_block(s, "health"), e);
  if (k->health)
    k->health->at.block = block_at(s, "health");
  ulimits(r, k, s, e);
  dependencies(r, k, s);
  link_names(r, k, s, b, e);
  mounts(r, k, s, e);
  logging(r, k, s, e);
  k->restart = restart_policy(r, s, e);
  return k;
}

// The container blocks a service's merged settings hold, in the order their
// names first appear, those of one name merged in order (a template's, the
// service's, then the environment's overrides).
static int sidecar_settings(Resolver *r, Settings *s, Node **first, Settings **merged) {
  return labelled_settings(r, s, "container", first, merged);
}

// A sidecar's required settings, once merged: its image, and, unless the
// task has a memory of its own (sized), its memory (ECS API Reference,
// "ContainerDefinition", memory: with the EC2 launch type "you must specify
// either a task-level memory value or a container-level memory value").
static bool sidecar_complete(Resolver *r, Service *svc, Node *first, Settings *s, bool sized) {
  bool ok = true;
  if (!setting(s, "image")) {
    Diag *d = diag_at(r->c, E0304, label_span(first),
                      "missing required attribute \"image\" in container \"%.*s\" of service \"%.*s\"",
                      S(label(first)), S(svc->name));
    diag_help(r->c, d, "add image = ... (the container's image)");
    ok = false;
  }
  if (!sized && !setting(s, "memory") && !setting(s, "memory_reservation")) {
    Diag *d = diag_at(r->c, E0906, label_span(first),
                      "container \"%.*s\" of service \"%.*s\" has neither memory nor "
                      "memory_reservation", S(label(first)), S(svc->name));
    diag_help(r->c, d, "add memory = ... (a hard limit) or memory_reservation = ... (what the "
                       "scheduler reserves): ECS needs one of them for each container");
    ok = false;
  }
  return ok;
}

static Container *find_container(Service *svc, Str name) {
  for (int i = 0; i < svc->ncontainers; i++)
    if (str_eq(svc->containers[i]->name, name))
      return svc->containers[i];
  return NULL;
}

static void unknown_container(Resolver *r, Service *svc, Span at, Str name) {
  Str *names = new(&r->c->arena, Str, svc->ncontainers);
  for (int i = 0; i < svc->ncontainers; i++)
    names[i] = svc->containers[i]->name;
  Diag *d = diag_at(r->c, E0402, at, "unknown container \"%.*s\" in service \"%.*s\"", S(name),
                    S(svc->name));
  diag_did_you_mean(r->c, d, name, names, svc->ncontainers);
}

// The service's own container first, then each container block; a block
// may not take the service's own name, which is its container's.
static void containers(Resolver *r, Service *svc, Settings *s, Container *own) {
  Arena *a = &r->c->arena;
  Node **first = new(a, Node *, s->repeated.len + 1);
  Settings **merged = new(a, Settings *, s->repeated.len + 1);
  int n = sidecar_settings(r, s, first, merged);
  bool sized = setting(setting_block(s, "task"), "memory") != NULL;  // task { memory }: enough
  svc->containers = new(a, Container *, n + 1);
  svc->containers[svc->ncontainers++] = own;
  const SchemaBlock *b = schema_path("service.container");
  for (int i = 0; i < n; i++) {
    if (str_eq(label(first[i]), svc->name)) {
      Diag *d = diag_at(r->c, E0900, label_span(first[i]),
                        "container \"%.*s\" has the name of the service's own container",
                        S(label(first[i])));
      diag_note(r->c, d, svc->span, "the service's attributes describe its container \"%.*s\"",
                S(svc->name));
      diag_help(r->c, d, "name the container after what it does, such as \"proxy\" or \"agent\"");
      continue;
    }
    if (!sidecar_complete(r, svc, first[i], merged[i], sized))
      continue;
    Container *k = container(r, merged[i], b, svc->env);
    k->name = label(first[i]);
    k->span = label_span(first[i]);
    svc->containers[svc->ncontainers++] = k;
  }
  for (int i = 0; i < svc->ncontainers; i++) {
    Container *k = svc->containers[i];
    for (int j = 0; j < k->ndepends_on; j++) {
      Dependency *dep = &k->depends_on[j];
      dep->target = find_container(svc, dep->name);
      if (!dep->target)
        unknown_container(r, svc, dep->at, dep->name);
    }
    for (int j = 0; j < k->nlinks; j++) {
      Link *l = &k->links[j];
      l->target = find_container(svc, l->name);
      if (!l->target)
        unknown_container(r, svc, l->at, l->name);
    }
  }
}

// The container the load balancer sends to: the one the route names, else
// the service's own when it has a port, else the one container with a port.
// Two candidates and no choice is an error: ecsc does not guess.
static void routed_container(Resolver *r, Service *svc, Settings *rs) {
  Route *rt = svc->route;
  Str name = get_str(r, rs, schema_path("service.route"), "container", svc->env);
  if (name.len) {
    rt->container = find_container(svc, name);
    if (!rt->container)
      unknown_container(r, svc, rt->at.container, name);
  } else if (svc->containers[0]->port) {
    rt->container = svc->containers[0];
  } else {
    for (int i = 1; i < svc->ncontainers; i++) {
      Container *k = svc->containers[i];
      if (!k->port)
        continue;
      if (rt->container) {
        Diag *d = diag_at(r->c, E0907, span_or(rt->at.block, svc->span),
                          "the route of service \"%.*s\" can go to container \"%.*s\" or \"%.*s\"",
                          S(svc->name), S(rt->container->name), S(k->name));
        diag_note(r->c, d, k->at.port, "container \"%.*s\" listens on %d", S(k->name), k->port);
        diag_help(r->c, d, "say which: container = \"%.*s\" in the route", S(rt->container->name));
        break;
      }
      rt->container = k;
    }
  }
  if (!rt->container)
    rt->container = svc->containers[0];
  rt->port = rt->container->port;
}

// connect { }: the container whose port it serves is the one it names, else
// the one that listens on connect's port when that is given, else the
// service's own when it has a port, else the one container with a port;
// check_connect.c reports a port_name with none to serve (E1020) and a
// port the container does not listen on (E1182). The port served is
// connect's port, else the container's main one.
// The discovery name defaults to the service's name, lowercased, written
// out in the service state, not to AWS's default, the port mapping's name
// (ServiceConnectService: "If the discoveryName isn't specified, the port
// mapping name from the task definition is used"): ECS Developer Guide,
// "Service Connect", discovery name: "AWS Cloud Map service names must be
// unique within a namespace. Because of this limitation, you can have only
// one Service Connect configuration without a discovery name for a
// particular task definition in each namespace", so two services serving a
// port named "http" would collide (E1021), where service names are unique
// in the environment, whose namespace it is. The pattern's letters are
// lowercase, and its 64 characters are more than a service's name can have:
// its roles' names, PREFIX-NAME-exec, are at most 64 (E0503). The
// alias AWS requires ("you must provide at least one clientAlias with one
// port") is the container's port under the discovery name: clients reach
// http://SERVICE:PORT.
static Str connect_default_name(Arena *a, Str service) {
  char *name = new(a, char, service.len + 1);
  for (ptrdiff_t i = 0; i < service.len; i++)
    name[i] = ascii_lower(service.ptr[i]);
  return (Str){name, service.len};
}

// With connect { port } and no container, the one container that listens
// on it; without a port, the one with a main port, the service's own first.
static Container *connect_container(Resolver *r, Service *svc, Connect *cn, Str name, int port) {
  if (name.len) {
    Container *k = find_container(svc, name);
    if (!k)
      unknown_container(r, svc, cn->at.container, name);
    return k;
  }
  if (!port && svc->containers[0]->port)
    return svc->containers[0];
  Container *only = NULL;
  for (int i = port ? 0 : 1; i < svc->ncontainers; i++) {
    if (port ? !model_maps_port(svc->containers[i], port) : !svc->containers[i]->port)
      continue;
    if (only)
      return NULL;  // two: ecsc does not guess (E1020)
    only = svc->containers[i];
  }
  return only;
}

static Connect *connect_settings(Resolver *r, Service *svc, Settings *s, Environment *e) {
  Settings *cs = setting_block(s, "connect");
  if (!cs)
    return NULL;
  const SchemaBlock *b = schema_path("service.connect");
  const SchemaBlock *ab = schema_path("service.connect.client_alias");
  Settings *as = setting_block(cs, "client_alias");
  Connect *cn = new(&r->c->arena, Connect, 1);
  cn->span = block_at(s, "connect");
  cn->at.port_name = written_at(cs, "port_name");
  cn->at.container = written_at(cs, "container");
  cn->at.port = written_at(cs, "port");
  cn->at.discovery_name = written_at(cs, "discovery_name");
  cn->at.app_protocol = written_at(cs, "app_protocol");
  cn->at.client_alias = block_at(cs, "client_alias");
  cn->at.alias_port = written_at(as, "port");
  cn->at.dns_name = written_at(as, "dns_name");
  cn->port_name = get_str(r, cs, b, "port_name", e);
  cn->app_protocol = get_str(r, cs, b, "app_protocol", e);
  if (!cn->port_name.len)
    return cn;
  cn->discovery_name = setting(cs, "discovery_name")
                           ? get_str(r, cs, b, "discovery_name", e)
                           : connect_default_name(&r->c->arena, svc->name);
  int port = setting(cs, "port") ? (int)get_num(r, cs, b, "port", e) : 0;
  cn->container = connect_container(r, svc, cn, get_str(r, cs, b, "container", e), port);
  cn->port = port ? port : cn->container ? cn->container->port : 0;
  cn->alias_port = setting(as, "port") ? (int)get_num(r, as, ab, "port", e) : cn->port;
  cn->dns_name = setting(as, "dns_name") ? get_str(r, as, ab, "dns_name", e) : cn->discovery_name;
  return cn;
}

// security_groups and availability_zone_rebalancing, each element with
// its place, for check_groups.c and check_deployment.c.
static void existing_groups(Resolver *r, Service *svc, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service");
  svc->security_groups_at = written_at(s, "security_groups");
  svc->security_groups = strings(r, get(r, s, b, "security_groups", e), &svc->nsecurity_groups);
  svc->security_group_at = element_spans(r, s, "security_groups", svc->nsecurity_groups, svc->span);
  svc->az_rebalancing_at = written_at(s, "availability_zone_rebalancing");
  if (svc->az_rebalancing_at.src)
    svc->az_rebalancing = get_bool(r, s, b, "availability_zone_rebalancing", e) ? 1 : -1;
}

// deployment { alarms, alarm_rollback }, each alarm with its place, for
// check_deployment.c.
static void deployment_alarms(Resolver *r, Service *svc, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service.deployment");
  Settings *ds = setting_block(s, "deployment");
  svc->alarms_at = written_at(ds, "alarms");
  svc->alarms = strings(r, get(r, ds, b, "alarms", e), &svc->nalarms);
  svc->alarm_at = element_spans(r, ds, "alarms", svc->nalarms, svc->span);
  svc->alarm_rollback = get_bool(r, ds, b, "alarm_rollback", e);
  svc->alarm_rollback_at = written_at(ds, "alarm_rollback");
}

// deployment { strategy, bake }, with their places, for check_deployment.c
// and emit_tf_service.c.
static void deployment_strategy(Resolver *r, Service *svc, Settings *s, Environment *e) {
  const SchemaBlock *b = schema_path("service.deployment");
  Settings *ds = setting_block(s, "deployment");
  svc->strategy_at = written_at(ds, "strategy");
  Str strategy = get_str(r, ds, b, "strategy", e);
  svc->deploy_strategy = DEPLOY_ROLLING;
  for (DeployStrategy d = DEPLOY_ROLLING; d <= DEPLOY_LINEAR; d++)
    if (str_eq_c(strategy, model_strategy_names[d]))
      svc->deploy_strategy = d;
  svc->bake_at = written_at(ds, "bake");
  svc->bake_ms = setting(ds, "bake") ? get_num(r, ds, b, "bake", e) : -1;
  // The canary's and the linear steps' settings, their defaults AWS's
  // (schema.c), kept where written for E1177.
  svc->canary_tenths = (int)get_tenths(r, ds, b, "canary_percent", e);
  svc->canary_percent_at = written_at(ds, "canary_percent");
  svc->canary_bake_ms = get_num(r, ds, b, "canary_bake", e);
  svc->canary_bake_at = written_at(ds, "canary_bake");
  svc->linear_tenths = (int)get_tenths(r, ds, b, "linear_step", e);
  svc->linear_step_at = written_at(ds, "linear_step");
  svc->linear_bake_ms = get_num(r, ds, b, "linear_bake", e);
  svc->linear_bake_at = written_at(ds, "linear_bake");
}

static Service *service(Resolver *r, Node *decl, Settings *s, Environment *e) {
  Arena *a = &r->c->arena;
  const SchemaBlock *b = schema_path("service");
  Service *svc = new(a, Service, 1);
  svc->name = label(decl);
  svc->env = e;
  svc->span = label_span(decl);
  svc->at.image = written_at(s, "image");
  svc->at.count = written_at(s, "count");
  svc->at.cpu = written_at(s, "cpu");
  svc->at.memory = written_at(s, "memory");
  svc->at.memory_reservation = written_at(s, "memory_reservation");
  svc->at.port = written_at(s, "port");
  svc->at.host_port = written_at(s, "host_port");
  svc->at.network_mode = written_at(s, "network_mode");
  svc->at.env = attr_at(s, "env");
  svc->at.secrets = attr_at(s, "secrets");
  svc->at.deployment = block_at(s, "deployment");
  svc->at.max_percent = written_at(setting_block(s, "deployment"), "max_percent");
  svc->at.logs = block_at(s, "logs");
  svc->at.retention = written_at(setting_block(s, "logs"), "retention");
  svc->cluster = cluster_ref(r, svc, s);
  svc->count = (int)get_num(r, s, b, "count", e);
  svc->exec = get_bool(r, s, b, "exec", e);
  svc->exec_at = written_at(s, "exec");
  svc->public_ip = get_bool(r, s, b, "assign_public_ip", e);
  svc->public_ip_at = written_at(s, "assign_public_ip");
  Str mode = get_str(r, s, b, "network_mode", e);
  svc->network = str_eq_c(mode, "awsvpc") ? NET_AWSVPC : str_eq_c(mode, "host") ? NET_HOST : NET_BRIDGE;
  Container *own = container(r, s, b, e);
  own->name = svc->name;
  own->span = svc->span;
  own->main = true;
  svc->image = own->image;
  svc->cpu = own->cpu;
  svc->memory = own->memory;
  svc->memory_reservation = own->memory_reservation;
  svc->port = own->port;
  svc->host_port = own->host_port;
  svc->stop_timeout_ms = own->stop_timeout_ms;
  svc->command = own->command, svc->ncommand = own->ncommand;
  svc->entrypoint = own->entrypoint, svc->nentrypoint = own->nentrypoint;
  svc->user = own->user;
  svc->env_vars = own->env_vars, svc->nenv_vars = own->nenv_vars;
  svc->secrets = own->secrets, svc->nsecrets = own->nsecrets;
  svc->health = own->health;
  containers(r, svc, s, own);
  volumes(r, svc, s, e);
  svc->route = route(r, svc, setting_block(s, "route"), e);
  if (svc->route) {
    svc->route->at.block = block_at(s, "route");
    routed_container(r, svc, setting_block(s, "route"));
  }
  const SchemaBlock *db = schema_path("service.deployment");
  Settings *ds = setting_block(s, "deployment");
  svc->min_healthy = (int)get_num(r, ds, db, "min_healthy", e);
  svc->max_percent = (int)get_num(r, ds, db, "max_percent", e);
  svc->circuit_breaker = get_bool(r, ds, db, "circuit_breaker", e);
  deployment_alarms(r, svc, s, e);
  deployment_strategy(r, svc, s, e);
  existing_groups(r, svc, s, e);
  const SchemaBlock *lb = schema_path("service.logs");
  Settings *ls = setting_block(s, "logs");
  svc->log_retention_ms = get_num(r, ls, lb, "retention", e);
  svc->stream_prefix = setting(ls, "stream_prefix") ? get_str(r, ls, lb, "stream_prefix", e) : svc->name;
  grants(r, svc, s);
  task_size(r, svc, s, e);
  svc->connect = connect_settings(r, svc, s, e);
  strategy(r, &svc->strategy, s, e, svc->cluster);
  svc->at.scaling = block_at(s, "scaling");
  svc->scaling = scaling(r, svc, setting_block(s, "scaling"), e);
  if (svc->scaling) {
    // The first count, where the source gives none, is the scaling's floor.
    if (!svc->at.count.src)
      svc->count = svc->scaling->min;
  }
  return svc;
}

// Appends svc to a list that doubles as it grows: one of the size of all
// services for every environment and cluster was quadratic in memory.
static void append_service(Arena *a, Service ***list, int *n, Service *svc) {
  if (*n && (*n & (*n - 1)) == 0) {  // a power of two: full
    Service **grown = new(a, Service *, 2 * *n);
    memcpy(grown, *list, sizeof(Service *) * (size_t)*n);
    *list = grown;
  } else if (!*n) {
    *list = new(a, Service *, 1);
  }
  (*list)[(*n)++] = svc;
}

static void add_service(Arena *a, Environment *e, Service *svc) {
  append_service(a, &e->services, &e->nservices, svc);
  if (svc->cluster)
    append_service(a, &svc->cluster->services, &svc->cluster->nservices, svc);
}

// Each service in each environment it runs in is merged, checked and built
// on its own, so a small file of many of both multiplies: 1,000 environments
// and 1,000 services in 300 KB would be a million. MAX_INSTANCES bounds the
// services made, MAX_PAIRS the pairs looked at to make them, MAX_MERGED the
// settings their merges copy (a template's large map, merged into every
// service in every environment). Reports E0207 once; false past a limit.
enum { MAX_PAIRS = 1000000, MAX_INSTANCES = 50000, MAX_MERGED = 4000000 };

static ptrdiff_t settings_size(Settings *s) {
  ptrdiff_t n = s->attrs.len + s->repeated.len;
  for (int i = 0; i < s->attrs.len; i++)
    n += s->attrs.items[i].nentries;
  for (int i = 0; i < s->blocks.len; i++)
    n += settings_size(s->blocks.items[i].body);
  return n;
}

static bool too_large(Resolver *r, Node *decl, const char *what, ptrdiff_t have, ptrdiff_t max) {
  if (have <= max)
    return false;
  Diag *d = diag_at(r->c, E0207, label_span(decl), "configuration too large: more than %td %s",
                    max, what);
  diag_help(r->c, d, "split the platform into several configurations, such as one per group of "
                     "environments");
  return true;
}

static void services(Resolver *r) {
  Arena *a = &r->c->arena;
  Model *m = r->m;
  Node *scratch[66];
  for (ptrdiff_t i = 0; i < r->templates.order.len; i++)  // cycles no service reaches, too
    chain(r, r->templates.order.items[i], scratch, countof(scratch));
  Settings **per_env = new(a, Settings *, m->nenvs ? m->nenvs : 1);
  if (r->services.order.len && too_large(r, r->services.order.items[0], "services times environments",
                                   r->services.order.len * m->nenvs, MAX_PAIRS))
    return;
  ptrdiff_t instances = 0, merged = 0;
  ArenaMark empty = arena_mark(&r->merges);
  for (ptrdiff_t i = 0; i < r->services.order.len; i++) {
    arena_rewind(&r->merges, empty);
    Node *decl = r->services.order.items[i];
    Node *links[66];
    int nlinks = chain(r, decl, links, countof(links));
    check_env_names(r, links, nlinks);
    dead_overrides(r, decl, links, nlinks);
    Settings *base = merge(r, links, nlinks, NULL);
    merged += settings_size(base);
    for (int k = 0; k < m->nenvs; k++) {
      per_env[k] = NULL;
      if (!runs_in(links, nlinks, m->envs[k]->name))
        continue;
      if (too_large(r, decl, "services in environments (each service in each environment it runs in)",
                    ++instances, MAX_INSTANCES))
        return;
      per_env[k] = merge(r, links, nlinks, m->envs[k]);
      merged += settings_size(per_env[k]);
      if (too_large(r, decl, "settings once templates and environments are merged", merged,
                    MAX_MERGED))
        return;
    }
    int before = r->c->nerrors;
    require(r, decl, label_span(decl), schema_path("service"), base, per_env, m->envs, m->nenvs, "");
    Settings **health = new(a, Settings *, m->nenvs ? m->nenvs : 1);
    bool any = setting_block(base, "health") != NULL;
    for (int k = 0; k < m->nenvs; k++)
      any |= (health[k] = setting_block(per_env[k], "health")) != NULL;
    if (any)
      require(r, decl, setting_block_span(base, "health", label_span(decl)),
              schema_path("service.health"), setting_block(base, "health"), health, m->envs,
              m->nenvs, "health.");
    if (r->c->nerrors > before)
      continue;
    for (int k = 0; k < m->nenvs; k++)
      if (per_env[k])
        add_service(a, m->envs[k], service(r, decl, per_env[k], m->envs[k]));
  }
}

//
// Templates no service extends
//

// A reference of a template no service extends, which no environment
// resolves: it must name something declared, a cluster some environment's.
static void unused_template_ref(Resolver *r, Node *tmpl, Node *ref) {
  Str kind = ref->parts[0], name = ref->parts[1];
  Table *t = str_eq_c(kind, "parameter") ? &r->params
             : str_eq_c(kind, "secret")  ? &r->sm_secrets
             : str_eq_c(kind, "var")     ? &r->vars
                                         : NULL;
  Diag *d;
  if (t) {
    if (lookup(t, name))
      return;
    d = diag_at(r->c, E0402, ref->span, "unknown %.*s \"%.*s\"",
                S(t == &r->vars ? STR("variable") : kind), S(name));
    diag_did_you_mean(r->c, d, name, t->names.items, t->order.len);
  } else if (str_eq_c(kind, "cluster")) {
    struct {
      Str *items;
      ptrdiff_t len, cap;
    } names = {0};
    for (int k = 0; k < r->m->nenvs; k++)
      for (int i = 0; i < r->m->envs[k]->nclusters; i++) {
        if (str_eq(r->m->envs[k]->clusters[i]->name, name))
          return;
        *list_push(&r->c->arena, &names) = r->m->envs[k]->clusters[i]->name;
      }
    d = diag_at(r->c, E0402, ref->span, "unknown cluster \"%.*s\": no environment declares it",
                S(name));
    diag_did_you_mean(r->c, d, name, names.items, names.len);
  } else {
    return;  // template.NAME: chain() checks every template's extends
  }
  diag_note(r->c, d, label_span(tmpl), "no service extends template \"%.*s\": its "
            "references are checked on their own", S(label(tmpl)));
}

static void unused_template_refs(Resolver *r, Node *tmpl, Node *n) {
  for (; n; n = n->next) {
    if (n->kind == N_REF && n->nparts == 2)
      unused_template_ref(r, tmpl, n);
    unused_template_refs(r, tmpl, n->body);
    unused_template_refs(r, tmpl, n->value);
  }
}

// The references of a service and the templates it extends are resolved in
// each environment it runs in; those of a template no service extends were
// resolved nowhere, so a misspelt name there linted clean until a service
// extended it. Those of the root file's templates are checked against every
// declaration instead. A template an imported file declares may be a
// library's, written for other configurations' clusters; and a module (no
// environment) leaves its references to the file that imports it, as it
// does its services'.
static void unused_templates(Resolver *r, Source *root) {
  if (!r->envs.order.len || !r->templates.order.len)
    return;
  bool *used = new(&r->c->arena, bool, r->templates.order.len);
  Node *links[66];
  for (ptrdiff_t i = 0; i < r->services.order.len; i++) {
    int n = chain(r, r->services.order.items[i], links, countof(links));
    for (int k = 0; k < n - 1; k++) {
      Decl *d = map_get(r->templates.by_name, label(links[k]));
      if (d)
        used[d->index] = true;
    }
  }
  for (ptrdiff_t i = 0; i < r->templates.order.len; i++) {
    Node *tmpl = r->templates.order.items[i];
    if (used[i] || tmpl->span.src != root)
      continue;
    check_env_names(r, &tmpl, 1);
    unused_template_refs(r, tmpl, tmpl->body);
  }
}

//
// The whole
//

// Environments need the project (its region, its state bucket). A file of
// services or templates alone is a module, imported by the file that has
// them, and is checked on its own as far as it can be.
static void no_project(Resolver *r) {
  Node *first = r->envs.order.len ? r->envs.order.items[0] : NULL;
  if (r->project || !first)
    return;
  Diag *d = diag_at(r->c, E0406, label_span(first), "%.*s \"%.*s\" without a project",
                    S(first->name), S(label(first)));
  diag_help(r->c, d, "declare the project: project \"NAME\" { region = \"us-east-1\" state { "
                     "bucket = \"...\" } }");
}

// A variable no var.NAME names anywhere is dead weight, or a misspelt
// reference's intended target (which E0402 reports with a did-you-mean).
// Returns false when a reference names no variable: its E0402 then says
// which declared one was meant, and W0579 would only repeat it.
static bool mark_used(Resolver *r, Node *n, bool *used) {
  bool known = true;
  for (; n; n = n->next) {
    if (n->kind == N_REF && n->nparts == 2 && str_eq_c(n->parts[0], "var")) {
      Decl *d = map_get(r->vars.by_name, n->parts[1]);
      if (d)
        used[d->index] = true;
      else
        known = false;
    }
    known &= mark_used(r, n->body, used);
    known &= mark_used(r, n->value, used);
  }
  return known;
}

static Node *declared_attr(Node *decl, const char *name) {
  for (Node *i = decl->body; i; i = i->next)
    if (i->kind == N_ATTR && str_eq_c(i->name, name))
      return i->value;
  return NULL;
}

static void declared_type(Resolver *r, const SchemaAttr *a, Node *v) {
  if (!v)
    return;
  int before = r->c->nerrors;
  schema_check_value(r->c, a, v);
  if (r->c->nerrors > before)
    *list_push(&r->c->arena, &r->ill_typed) = v;
}

// Every value a variable may take has its declared type: its default, and
// what the values file and --set give it, at the top level and for each
// environment, used or not (a use checks only the attribute it meets).
static void typed_variables(Resolver *r) {
  for (ptrdiff_t i = 0; i < r->vars.order.len; i++) {
    Node *decl = r->vars.order.items[i], *type = declared_attr(decl, "type");
    Str name = r->vars.names.items[i];
    ValueType t = type ? schema_variable_type(type->str) : T_ANY;
    if (t == T_ANY)
      continue;  // schema_check.c has reported it
    // A percentage variable may hold tenths (2.5%): whether a whole one is
    // needed is the attribute's to say where the variable is used.
    SchemaAttr a = {.name = str_fmt(&r->c->arena, "var.%.*s", S(name)).ptr,
                    .t = {.type = t, .elem = T_ANY}, .tenths = t == T_PERCENT};
    Node *top = values_lookup(r->values, name, (Str){0});
    declared_type(r, &a, declared_attr(decl, "default"));
    declared_type(r, &a, top);
    for (ptrdiff_t k = 0; k < r->envs.order.len; k++) {
      Node *env = values_lookup(r->values, name, r->envs.names.items[k]);
      if (env != top)
        declared_type(r, &a, env);
    }
  }
}

static void unused_variables(Resolver *r, File **files, ptrdiff_t nfiles) {
  if (!r->vars.order.len)
    return;
  bool *used = new(&r->c->arena, bool, r->vars.order.len), known = true;
  for (ptrdiff_t i = 0; i < nfiles; i++)
    known &= mark_used(r, files[i]->items, used);
  if (!known)
    return;
  for (ptrdiff_t i = 0; i < r->vars.order.len; i++) {
    if (used[i])
      continue;
    Diag *d = diag_at(r->c, W0579, label_span(r->vars.order.items[i]), "variable \"%.*s\" is never used",
                      S(r->vars.names.items[i]));
    diag_help(r->c, d, "refer to it as var.%.*s, or remove it", S(r->vars.names.items[i]));
  }
}

Model *resolve(Compilation *c, File **files, ptrdiff_t nfiles, Values *values) {
  Resolver r = {.c = c, .values = values};
  r.m = new(&c->arena, Model, 1);
  r.m->syntax = model_index_syntax(&c->arena, files, nfiles);
  for (ptrdiff_t i = 0; i < nfiles; i++)
    for (Node *n = files[i]->items; n; n = n->next)
      if (n->kind == N_BLOCK)
        declare(&r, n);
  values_check(c, values, r.vars.names.items, (int)r.vars.order.len, r.envs.names.items,
               (int)r.envs.order.len);
  typed_variables(&r);
  unused_variables(&r, files, nfiles);
  facts(&r);
  no_project(&r);
  project(&r);
  parameters(&r);
  sm_secrets(&r);
  Model *m = r.m;
  m->envs = new(&c->arena, Environment *, r.envs.order.len ? r.envs.order.len : 1);
  for (ptrdiff_t i = 0; i < r.envs.order.len; i++)
    m->envs[m->nenvs++] = environment(&r, r.envs.order.items[i]);
  services(&r);
  unused_templates(&r, nfiles ? files[0]->src : NULL);
  arena_free(&r.merges);
  return m;
}
