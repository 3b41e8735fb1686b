// imports.c: loads a root file and, depth first, every file it imports, each
// once however often it is imported, and reports missing files and cycles.
// Files are read through the Compilation's read_import, so this stage never
// touches the file system itself.
#include "syntax.h"

#include <string.h>

typedef struct {
  Str key;       // canonical path: the file's identity
  File *file;
  bool loading;  // on the current import chain: importing it again is a cycle
} Unit;

typedef struct {
  Compilation *c;
  Unit *units;
  ptrdiff_t n, cap;
  Unit **chain;  // the files being loaded, outermost first
  ptrdiff_t depth;
} Loader;

static Unit *add_unit(Loader *l, Str key) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    Unit *grown = new(&l->c->arena, Unit, l->cap);
    if (l->n)
      memcpy(grown, l->units, sizeof(Unit) * (size_t)l->n);
    // The chain points into the old array: move it along.
    for (ptrdiff_t i = 0; i < l->depth; i++)
      l->chain[i] = grown + (l->chain[i] - l->units);
    l->units = grown;
    Unit **chain = new(&l->c->arena, Unit *, l->cap);
    if (l->depth)
      memcpy(chain, l->chain, sizeof(Unit *) * (size_t)l->depth);
    l->chain = chain;
  }
  Unit *u = &l->units[l->n++];
  u->key = key;
  return u;
}

static Unit *find_unit(Loader *l, Str key) {
  for (ptrdiff_t i = 0; i < l->n; i++)
    if (str_eq(l->units[i].key, key))
      return &l->units[i];
  return NULL;
}

static void cycle(Loader *l, Node *imp, Unit *again) {
  Buf path = {.arena = &l->c->arena};
  ptrdiff_t from = 0;
  while (l->chain[from] != again)
    from++;
  for (ptrdiff_t i = from; i < l->depth; i++)
    buf_printf(&path, "\"%.*s\" -> ", S(l->chain[i]->file->src->path));
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
      cycle(l, imp, u);
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
  l->chain[l->depth++] = u;
  for (Node *n = u->file->items; n; n = n->next) {
    if (n->kind != N_IMPORT)
      continue;
    if (!l->c->read_import) {
      diag_at(l->c, E0005, n->name_span, "imports are not followed here");
      continue;
    }
    ptrdiff_t index = u - l->units;
    follow(l, src, n);
    u = &l->units[index];  // follow() may have moved the array
  }
  l->depth--;
  u->loading = false;
}

// The standard library's facts about AWS, loaded with every root file: the
// checks need them, and no user should have to remember to import them.
static const char *const prelude[] = {
    "std/aws/instance_types", "std/aws/regions", "std/aws/amis",
};

static void load_prelude(Loader *l, Source *root) {
  for (int i = 0; i < countof(prelude); i++) {
    LoadedFile lf;
    Str why = {0};
    if (!l->c->read_import(l->c, root->path, str_c(prelude[i]), &lf, &why)) {
      Diag *d = diag_file(l->c, E0005, str_c(prelude[i]),
                          "cannot load the standard library: %.*s", S(why));
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
  File **files = new(&c->arena, File *, l.n);
  ptrdiff_t count = 0;
  for (ptrdiff_t i = 0; i < l.n; i++)
    if (l.units[i].file)
      files[count++] = l.units[i].file;
  *n = count;
  return files;
}
