// tests/fuzz/fuzz_fmt.c: libFuzzer harness for `ecsc fmt`. For every source
// that parses: fmt's output parses too, formatting it again changes nothing,
// and lint and build say the same of both layouts: the same diagnostics
// (code, message, notes and help; places may move) and the same files,
// byte for byte but for the line numbers the "//" comments cite.
#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// fmt of text, as `ecsc fmt -` prints it; false when it does not parse.
static bool format(Arena *keep, Str text, Str *out) {
  Compilation c;
  comp_init(&c);
  Source *src = comp_add_source(&c, STR(FUZZ_SOURCE), text);
  File *f = src ? parse(&c, src) : NULL;
  bool ok = f && !c.nerrors;
  if (ok)
    *out = str_dup(keep, fmt_file(&c, f));
  comp_free(&c);
  return ok;
}

static void show_difference(const char *what, Str a, Str b) {
  ptrdiff_t i = 0;
  while (i < a.len && i < b.len && a.ptr[i] == b.ptr[i])
    i++;
  ptrdiff_t from = i > 200 ? i - 200 : 0;
  fuzz_fail("%s differ at byte %td:\n--- before\n%.*s\n--- after\n%.*s", what, i,
            (int)((a.len < i + 200 ? a.len : i + 200) - from), a.ptr + from,
            (int)((b.len < i + 200 ? b.len : i + 200) - from), b.ptr + from);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a = {0};
  Str text = {(const char *)data, (ptrdiff_t)size};
  Str once, twice;
  if (!format(&a, text, &once))
    goto out_free;
  if (!format(&a, once, &twice))
    fuzz_fail("fmt's output does not parse:\n%.*s", S(once));
  if (!str_eq(once, twice))
    show_difference("fmt is not idempotent: its output and fmt of it", once, twice);
  Buf before = {.arena = &a}, after = {.arena = &a};
  fuzz_lint_and_build(text, NULL, &before);
  fuzz_lint_and_build(once, NULL, &after);
  if (!str_eq(buf_str(&before), buf_str(&after)))
    show_difference("lint and build of the source and of fmt's output", buf_str(&before),
                    buf_str(&after));
out_free:
  arena_free(&a);
  return 0;
}
