// tests/fuzz/fuzz_lint.c: libFuzzer harness for the whole of `ecsc lint`
// and `ecsc build` on one .ecs source: lexer, parser, schema, resolve, every
// check, IAM (and lint --iam), then every file build would write, made in
// memory. The input is the source; it may import the standard library.
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_lint_and_build((Str){(const char *)data, (ptrdiff_t)size}, NULL, NULL);
  return 0;
}
