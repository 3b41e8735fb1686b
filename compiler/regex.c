// regex.c: PCRE2 behind one call. Patterns come from ecsc's own tables, so each
// is compiled once per compilation, on first use, and kept until the end.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "base.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct RegexCache RegexCache;
struct RegexCache {
  RegexCache *next;
  const char *pattern;  // compared by address: patterns are static strings
  uint32_t options;     // anchored at both ends (regex_match) or not (regex_find)
  pcre2_code *code;
  pcre2_match_data *match;
  long uses;
};

// A pattern matched this often is compiled to machine code (PCRE2's JIT,
// which pcre2_match then uses by itself): at 10 x 1000 services the
// interpreter was a sixth of lint, and the image grammar alone runs 40,000
// times. Not before: a lint of a small file matches each pattern a few
// times, and compiling one costs more than that. Where the JIT is missing
// or refuses a pattern, the interpreter goes on.
enum { REGEX_JIT_AFTER = 256 };

static pcre2_code *code_of(RegexCache *r) {
  if (++r->uses == REGEX_JIT_AFTER)
    (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
  return r->code;
}

static RegexCache *compiled(Compilation *c, const char *pattern, uint32_t options) {
  for (RegexCache *r = c->regexes; r; r = r->next)
    if (r->pattern == pattern && r->options == options)
      return r;
  int err;
  PCRE2_SIZE at;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   options | PCRE2_UTF, &err, &at, NULL);
  if (!code) {
    // The patterns are ecsc's own: a bad one is a bug, caught by the tests.
    fprintf(stderr, "ecsc: internal error: bad pattern %s at %zu\n", pattern, (size_t)at);
    abort();
  }
  RegexCache *r = malloc(sizeof *r);
  if (!r)
    abort();
  *r = (RegexCache){c->regexes, pattern, options, code,
                    pcre2_match_data_create_from_pattern(code, NULL), 0};
  c->regexes = r;
  return r;
}

bool regex_match(Compilation *c, const char *pattern, Str s) {
  RegexCache *r = compiled(c, pattern, PCRE2_ANCHORED | PCRE2_ENDANCHORED);
  int rc = pcre2_match(code_of(r), (PCRE2_SPTR)s.ptr, (PCRE2_SIZE)s.len, 0, 0, r->match, NULL);
  return rc >= 0;
}

// The first match anywhere in s from byte from on, as a slice of s: what a
// diagnostic points at when a rule says which characters a value may hold.
bool regex_match_once(const char *pattern, Str s) {
  int err;
  PCRE2_SIZE at;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &err, &at, NULL);
  if (!code) {
    fprintf(stderr, "ecsc: internal error: bad pattern %s at %zu\n", pattern, (size_t)at);
    abort();
  }
  pcre2_match_data *match = pcre2_match_data_create_from_pattern(code, NULL);
  if (!match)
    abort();
  int rc = pcre2_match(code, (PCRE2_SPTR)s.ptr, (PCRE2_SIZE)s.len, 0, 0, match, NULL);
  pcre2_match_data_free(match);
  pcre2_code_free(code);
  return rc >= 0;
}

bool regex_find(Compilation *c, const char *pattern, Str s, ptrdiff_t from, Str *found) {
  RegexCache *r = compiled(c, pattern, 0);
  int rc = pcre2_match(code_of(r), (PCRE2_SPTR)s.ptr, (PCRE2_SIZE)s.len, (PCRE2_SIZE)from, 0,
                       r->match, NULL);
  if (rc < 0)
    return false;
  PCRE2_SIZE *at = pcre2_get_ovector_pointer(r->match);
  *found = (Str){s.ptr + at[0], (ptrdiff_t)(at[1] - at[0])};
  return true;
}

// The whole of s against pattern, and its first n capture groups: groups[i]
// is group i + 1 as a slice of s, or {0} when it took no part in the match.
// What a rule reads the parts of a value with (image.c: an ECR registry).
bool regex_groups(Compilation *c, const char *pattern, Str s, Str *groups, int n) {
  RegexCache *r = compiled(c, pattern, PCRE2_ANCHORED | PCRE2_ENDANCHORED);
  int rc = pcre2_match(code_of(r), (PCRE2_SPTR)s.ptr, (PCRE2_SIZE)s.len, 0, 0, r->match, NULL);
  if (rc < 0)
    return false;
  PCRE2_SIZE *at = pcre2_get_ovector_pointer(r->match);
  uint32_t pairs = pcre2_get_ovector_count(r->match);
  for (int i = 0; i < n; i++) {
    uint32_t g = (uint32_t)i + 1;
    groups[i] = g < pairs && at[2 * g] != PCRE2_UNSET
                    ? (Str){s.ptr + at[2 * g], (ptrdiff_t)(at[2 * g + 1] - at[2 * g])}
                    : (Str){0};
  }
  return true;
}

void regex_cache_free(RegexCache *cache) {
  while (cache) {
    RegexCache *next = cache->next;
    pcre2_match_data_free(cache->match);
    pcre2_code_free(cache->code);
    free(cache);
    cache = next;
  }
}
