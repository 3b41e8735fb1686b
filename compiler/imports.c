// imports.c: loads a root file and, depth first, every file it imports, each
// once however often it is imported, and reports missing files and cycles.
// Files are read through the Compilation's read_import, so this stage never
// touches the file system itself.
#include "syntax.h"


typedef struct {
  Str key;       // canonical path: the file's identity
  File *file;
  bool loading;  // on the current import chain: importing it again is a cycle
} Unit;

typedef struct {
  Unit **items;
  ptrdiff_t len, cap;
} UnitList;

typedef struct {
  Compilation *c;
  UnitList units;  // in load order
  Map *by_key;
  UnitList chain;  // the files being loaded, outermost first
} Loader;

static Unit *add_unit(Loader *l, Str key) {
  Unit *u = new(&l->c->arena, Unit, 1);
  u->key = key;
  *list_push(&l->c->arena, &l->units) = u;
  *map_slot(&l->by_key, key, &l->c->arena) = u;
  return u;
}

static Unit *find_unit(Loader *l, Str key) {
  return map_get(l->by_key, key);
}

static void import_cycle(Loader *l, Node *imp, Unit *again) {
  Buf path = {.arena = &l->c->arena};
  ptrdiff_t from = 0;
  while (l->chain.items[from] != again)
    from++;
  for (ptrdiff_t i = from; i < l->chain.len; i++)
    buf_printf(&path, "\"%.*s\" -> ", S(l->chain.items[i]->file->src->path));
  buf_printf(&path, "\"%.*s\"", S(again->file->src->path));
  Diag *d = diag_at(l->c, E0006, imp->name_span, "import cycle: %.*s", S(buf_str(&path)));
  diag_help(l->c, d, "move what both files need into a third file that each imports");
}

static void load(Loader *l, Unit *u, Source *src);

static void follow(Loader *l, Source *from, Node *imp) {
  LoadedFile lf;
  Str why = {0};
  if (!l->c->read_import(l->c, from->path, imp->name, &lf, &why)) {
    Diag *d = diag_at(l->c, E0005, imp->name_span, "cannot import \"%.*s\": %.*s", S(imp->name),
                      S(why));
    if (!str_starts_with(imp->name, STR("std/")))
      diag_help(l->c, d, "paths are relative to the importing file's directory");
    return;
  }
  Unit *u = find_unit(l, lf.key);
  if (u) {
    if (u->loading)
      import_cycle(l, imp, u);
    return;
  }
  u = add_unit(l, lf.key);
  Source *src = comp_add_source(l->c, lf.path, lf.text);
  if (src)
    load(l, u, src);
}

static void load(Loader *l, Unit *u, Source *src) {
  u->file = parse_code(l->c, src);  // lint needs no comments
  u->loading = true;
  *list_push(&l->c->arena, &l->chain) = u;
  for (Node *n = u->file->items; n; n = n->next) {
    if (n->kind != N_IMPORT)
      continue;
    if (!l->c->read_import) {
      diag_at(l->c, E0005, n->name_span, "imports are not followed here");
      continue;
    }
    follow(l, src, n);
  }
  l->chain.len--;
  u->loading = false;
}

// The standard library's facts about AWS, loaded with every root file: the
// checks need them, and no user should have to remember to import them. The
// time zones only when some file writes a timezone: a fifth of the
// prelude's bytes, which lint would parse for nothing in most projects.
static const struct {
  const char *path;
  const char *attribute;  // loaded only when an attribute of this name is written
} prelude[] = {
    {"std/aws/instance_types", NULL},
    {"std/aws/regions", NULL},
    {"std/aws/amis", NULL},
    {"std/aws/timezones", "timezone"},
};

// Whether an attribute named name is written in a block of the items n.
static bool written(const Node *n, Str name) {
  for (; n; n = n->next)
    if ((n->kind == N_ATTR && str_eq(n->name, name)) ||
        (n->kind == N_BLOCK && written(n->body, name)))
      return true;
  return false;
}

static bool loaded_write(const Loader *l, const char *attribute) {
  for (ptrdiff_t i = 0; i < l->units.len; i++)
    if (l->units.items[i]->file && written(l->units.items[i]->file->items, str_c(attribute)))
      return true;
  return false;
}

static void load_prelude(Loader *l, Source *root) {
  for (int i = 0; i < countof(prelude); i++) {
    if (prelude[i].attribute && !loaded_write(l, prelude[i].attribute))
      continue;
    LoadedFile lf;
    Str why = {0};
    Str path = str_c(prelude[i].path);
    if (!l->c->read_import(l->c, root->path, path, &lf, &why)) {
      Diag *d = diag_file(l->c, E0005, path, "cannot load the standard library: %.*s", S(why));
      diag_help(l->c, d, "set ECSC_STDLIB to the stdlib directory of ecsc, or reinstall");
      return;
    }
    if (find_unit(l, lf.key))
      continue;
    Unit *u = add_unit(l, lf.key);
    Source *src = comp_add_source(l->c, lf.path, lf.text);
    if (src)
      load(l, u, src);
  }
}

File **imports_load(Compilation *c, Source *root, ptrdiff_t *n) {
  Loader l = {.c = c};
  Unit *u = add_unit(&l, c->root_key.len ? c->root_key : root->path);
  load(&l, u, root);
  if (c->read_import)
    load_prelude(&l, root);
  File **files = new(&c->arena, File *, l.units.len);
  ptrdiff_t count = 0;
  for (ptrdiff_t i = 0; i < l.units.len; i++)
    if (l.units.items[i]->file)
      files[count++] = l.units.items[i]->file;
  *n = count;
  return files;
}
