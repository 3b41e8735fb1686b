// tests/fuzz/fuzz.h: what the libFuzzer harnesses share: the standard
// library read once from disk, the lint pipeline run in memory as main.c
// runs it, and the properties every run must keep (fuzz.c).
#ifndef ECSC_FUZZ_H
#define ECSC_FUZZ_H

#include "emit.h"

// The name every fuzzed source goes by: the "//" of emitted files cite it.
#define FUZZ_SOURCE "fuzz.ecs"

// Stops the run with a message: libFuzzer saves the input that did it.
_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A file of the repository (relative to its root), read once and kept.
Str fuzz_repo_file(const char *path);

// A compilation whose imports are the standard library only, and whose root
// is `text` under the name FUZZ_SOURCE. NULL when the text is not loaded
// (too large, not UTF-8: reported in c).
Source *fuzz_open(Compilation *c, Str text);

// pipeline_run, as main.c calls it: imports, suppressions, schema, values
// (when `values` is not NULL, as the values file "fuzz.yaml"), resolve,
// derive, check, IAM. NULL when a stage failed.
Model *fuzz_check(Compilation *c, Source *root, const Str *values);

// Every file a build would write, made in memory, each held to what AWS and
// output.c need: a relative path without "..", JSON that parses. Appended to
// `out` (when not NULL) as "path\n" and the bytes, with FUZZ_SOURCE's line
// numbers replaced by "N" so that two layouts of one source compare equal.
void fuzz_emit(Compilation *c, Model *m, Buf *out);

// The diagnostics rendered as text and as JSON, held to what a terminal and
// a JSON reader need: no raw control or bidirectional character from user
// text, JSON that parses. Appended to `out` (when not NULL) without places:
// code, message, notes and help, one diagnostic a line.
void fuzz_render(Compilation *c, Buf *out);

// The whole of `lint` then `build` into memory, for one text.
void fuzz_lint_and_build(Str text, const Str *values, Buf *digest);

#endif
