// tests/fuzz/fuzz_values.c: libFuzzer harness for values files (--values
// FILE.yaml). The input is the YAML; the source is tests/fuzz/values.ecs,
// which declares a variable of every type and uses each in an environment or
// a service, so a value that loads goes through resolve, the checks, IAM and
// the emitters too.
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Str source = fuzz_repo_file("tests/fuzz/values.ecs");
  if (!source.ptr)
    fuzz_fail("tests/fuzz/values.ecs is missing");
  Str yaml = {(const char *)data, (ptrdiff_t)size};
  fuzz_lint_and_build(source, &yaml, NULL);
  return 0;
}
