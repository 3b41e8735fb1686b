// tests/fuzz/fuzz_compose.c: libFuzzer harness for `ecsc import compose`.
// The input is a Docker Compose file. Either the import reports why it
// cannot (an error, never silence), or what it writes parses without an
// error, and, formatted as main.c's cmd_import formats it, goes through lint
// and build with every property of fuzz_lint.
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Compilation c;
  comp_init(&c);
  Source *src = comp_add_source(&c, STR("compose.yaml"), (Str){(const char *)data, (ptrdiff_t)size});
  Str text = src ? import_compose(&c, src) : (Str){0};
  if (!text.len && !c.nerrors)
    fuzz_fail("import compose wrote nothing and reported no error");
  Source *made = text.len ? comp_add_source(&c, STR(FUZZ_SOURCE), text) : NULL;
  File *f = made ? parse(&c, made) : NULL;
  if (text.len && (!f || c.nerrors))
    fuzz_fail("import compose wrote an env.ecs that does not parse:\n%.*s", S(text));
  Arena keep = {0};
  Str env = f ? str_dup(&keep, fmt_file(&c, f)) : (Str){0};
  fuzz_render(&c, NULL);
  comp_free(&c);
  if (env.len)
    fuzz_lint_and_build(env, NULL, NULL);
  arena_free(&keep);
  return 0;
}
