// aws_iam.c: the questions check_iam.c asks of AWS's Service Authorization
// Reference (the table in aws_iam_table.c): which services and actions
// exist, which resource types an action takes and whether an ARN fits one,
// which condition keys apply. Pure functions of the table; no diagnostics.
#include "aws_iam.h"

#include <string.h>

static Str token(uint16_t t) {
  t &= 0x7fff;
  return (Str){aws_iam_text + aws_iam_token_at[t],
               (ptrdiff_t)(aws_iam_token_at[t + 1] - aws_iam_token_at[t])};
}

//
// Phrases
//

// The text of the phrase whose tokens start at aws_iam_phrases[at].
static Str phrase_text(Arena *a, uint32_t at) {
  Buf b = {.arena = a};
  const uint16_t *t = &aws_iam_phrases[at];
  do
    buf_put(&b, token(*t));
  while (!(*t++ & 0x8000));
  return buf_str(&b);
}

Str aws_iam_phrase(Arena *a, uint32_t phrase) {
  return phrase_text(a, aws_iam_phrase_at[phrase]);
}

// Compares a phrase with s as IAM compares names: without regard to case.
static int run_cmp(uint32_t at, Str s) {
  const uint16_t *t = &aws_iam_phrases[at];
  ptrdiff_t i = 0;
  for (;;) {
    Str tok = token(*t);
    for (ptrdiff_t k = 0; k < tok.len; k++, i++) {
      if (i == s.len)
        return 1;
      char x = ascii_lower(tok.ptr[k]), y = ascii_lower(s.ptr[i]);
      if (x != y)
        return (unsigned char)x < (unsigned char)y ? -1 : 1;
    }
    if (*t++ & 0x8000)
      return i == s.len ? 0 : -1;
  }
}

//
// Services and actions
//

const AwsIamService *aws_iam_service(Str prefix) {
  int lo = 0, hi = aws_iam_nservices;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    int d = run_cmp(aws_iam_phrase_at[aws_iam_services[mid].prefix], prefix);
    if (d == 0)
      return &aws_iam_services[mid];
    if (d < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

Str aws_iam_prefix(Arena *a, const AwsIamService *s) {
  return aws_iam_phrase(a, s->prefix);
}

static const AwsIamAction *action_of(const AwsIamService *s, int i) {
  return &aws_iam_actions[s->first + (uint32_t)i];
}

static uint32_t name_at(const AwsIamService *s, int i) {
  return s->names + action_of(s, i)->name;
}

Str aws_iam_action_name(Arena *a, const AwsIamService *s, int i) {
  return phrase_text(a, name_at(s, i));
}

int aws_iam_action(const AwsIamService *s, Str name) {
  int lo = 0, hi = s->nactions;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    int d = run_cmp(name_at(s, mid), name);
    if (d == 0)
      return mid;
    if (d < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

//
// Resource types and ARNs
//

static uint32_t use_count(const AwsIamAction *x) {
  return (aws_iam_use_at[x->uses + 1] - aws_iam_use_at[x->uses]) / 2;
}

static const uint16_t *use(const AwsIamAction *x, uint32_t k) {
  return &aws_iam_uses[aws_iam_use_at[x->uses] + 2 * k];
}

Str *aws_iam_patterns(Arena *a, const AwsIamService *s, int action, int *n) {
  const AwsIamAction *x = action_of(s, action);
  uint32_t count = use_count(x);
  Str *out = new(a, Str, count + 1);
  for (uint32_t k = 0; k < count; k++)
    out[k] = aws_iam_phrase(a, aws_iam_types[use(x, k)[0] & 0x7fff].arn);
  *n = (int)count;
  return out;
}

// An ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, the resource
// holding colons of its own (IAM User Guide, "IAM identifiers", ARN format).
enum { ARN_PARTITION, ARN_SERVICE, ARN_REGION, ARN_ACCOUNT, ARN_RESOURCE, ARN_PARTS };

// The colon that ends a part, past any ${...} (${aws:username} holds one).
static const char *part_end(const char *p, const char *end) {
  for (; p < end; p++) {
    if (*p == ':')
      return p;
    if (*p == '$' && p + 1 < end && p[1] == '{') {
      const char *close = memchr(p, '}', (size_t)(end - p));
      if (close)
        p = close;
    }
  }
  return NULL;
}

static bool split_arn(Str s, Str part[ARN_PARTS]) {
  if (!str_starts_with(s, STR("arn:")))
    return false;
  const char *p = s.ptr + 4, *end = s.ptr + s.len;
  for (int i = 0; i < ARN_RESOURCE; i++) {
    const char *colon = part_end(p, end);
    if (!colon)
      return false;
    part[i] = (Str){p, colon - p};
    p = colon + 1;
  }
  part[ARN_RESOURCE] = (Str){p, end - p};
  return true;
}

// A part of a resource as ecsc matches it: each ${...} (an IAM policy
// variable such as ${aws:username}, or the Terraform expression of the
// caller's account) becomes *, since it may be anything when IAM or
// Terraform fills it in.
static Str as_glob(Arena *a, Str r) {
  if (!memchr(r.ptr, '$', (size_t)r.len))
    return r;
  char *out = new(a, char, r.len);
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < r.len; i++) {
    const char *close = r.ptr[i] == '$' && i + 1 < r.len && r.ptr[i + 1] == '{'
                            ? memchr(r.ptr + i, '}', (size_t)(r.len - i))
                            : NULL;
    out[n++] = close ? '*' : r.ptr[i];
    if (close)
      i = close - r.ptr;
  }
  return (Str){out, n};
}

bool aws_iam_is_arn(Str resource) {
  Str part[ARN_PARTS];
  return split_arn(resource, part);
}

// Whether two patterns share a string: the resource's, where * is any run
// of characters and ? any one (IAM User Guide, "IAM JSON policy elements:
// Resource"), and the reference's, where each ${Name} is one or more
// characters (and no : or / when it is the whole part: a region, an
// account), and * any phrase (as in arn:${Partition}:dms:${Region}:${Account}:cert:*).
// Letters compare without regard to case. This is the product of the two
// patterns' automata, searched from the start for the pair of ends, as
// iam-check does it (@cloud-copilot/iam-utils, resourceTypes.js,
// patternsHaveIntersection); PCRE2 cannot answer it, since both sides are
// patterns. Returns false for parts too long to search in 16 MiB.
enum { CLASS_ANY = 256, CLASS_PART = 257 };  // beside the 256 characters

typedef struct {
  int c;        // a character, or CLASS_ANY / CLASS_PART
  bool repeat;  // may take more characters: ${Name} (one or more), * (any)
  bool skip;    // may take none: *
} PatToken;

static bool classes_meet(int x, int y) {
  if (x == CLASS_ANY || y == CLASS_ANY || (x == CLASS_PART && y == CLASS_PART))
    return true;
  if (x == CLASS_PART)
    return y != ':' && y != '/';
  if (y == CLASS_PART)
    return x != ':' && x != '/';
  return ascii_lower((char)x) == ascii_lower((char)y);
}

static int pattern_tokens(Str p, PatToken *tok) {
  int m = 0;
  bool one_var = false;
  for (ptrdiff_t i = 0; i < p.len; i++) {
    const char *end = p.ptr[i] == '$' && i + 1 < p.len && p.ptr[i + 1] == '{'
                          ? memchr(p.ptr + i, '}', (size_t)(p.len - i))
                          : NULL;
    if (end) {
      one_var = i == 0 && end == p.ptr + p.len - 1;
      tok[m++] = (PatToken){.c = one_var ? CLASS_PART : CLASS_ANY, .repeat = true};
      i = end - p.ptr;
    } else if (p.ptr[i] == '*') {
      tok[m++] = (PatToken){.c = CLASS_ANY, .repeat = true, .skip = true};
    } else {
      tok[m++] = (PatToken){.c = (unsigned char)p.ptr[i]};
    }
  }
  return m;
}

static bool fixed(char c) {
  return c != '*' && c != '?';
}

static bool part_fits(Arena *a, Str r, Str p) {
  if (str_eq_c(p, "*"))
    return true;
  if (r.len == 0 || p.len == 0)
    return r.len == p.len;
  PatToken small_tok[128];
  PatToken *tok = p.len <= countof(small_tok) ? small_tok : new(a, PatToken, p.len);
  int m = pattern_tokens(p, tok);
  // Characters fixed on both sides at either end must meet one to one; only
  // the middle needs the search.
  ptrdiff_t lo = 0, hi = r.len;
  int jlo = 0, jhi = m;
  for (; lo < hi && jlo < jhi && fixed(r.ptr[lo]) && !tok[jlo].repeat; lo++, jlo++)
    if (!classes_meet((unsigned char)r.ptr[lo], tok[jlo].c))
      return false;
  for (; hi > lo && jhi > jlo && fixed(r.ptr[hi - 1]) && !tok[jhi - 1].repeat; hi--, jhi--)
    if (!classes_meet((unsigned char)r.ptr[hi - 1], tok[jhi - 1].c))
      return false;
  r = (Str){r.ptr + lo, hi - lo};
  tok += jlo;
  m = jhi - jlo;
  // The states (i, j): i characters of the resource and j tokens of the
  // reference taken. Small searches (every ARN ecsc derives) on the stack,
  // larger ones in the scratch arena, none beyond 16 MiB.
  ptrdiff_t n = r.len, cols = m + 1, states = (n + 1) * cols;
  if (n + 1 > (16 << 20) / (cols * 5))
    return false;
  bool small_seen[4096];
  int32_t small_stack[4096];
  bool *seen = small_seen;
  int32_t *stack = small_stack;
  if (states <= countof(small_seen)) {
    memset(seen, 0, (size_t)states);
  } else {
    seen = new(a, bool, states);
    stack = new(a, int32_t, states);
  }
  ptrdiff_t top = 0;
#define PUSH(I, J)                            \
  do {                                        \
    int32_t s_ = (int32_t)((I) * cols + (J)); \
    if (!seen[s_]) {                          \
      seen[s_] = true;                        \
      stack[top++] = s_;                      \
    }                                         \
  } while (0)
  PUSH(0, 0);
  while (top) {
    ptrdiff_t s = stack[--top], i = s / cols, j = s % cols;
    if (i == n && j == m)
      return true;
    // Moves that take no character: a * of either side ends.
    if (i < n && r.ptr[i] == '*')
      PUSH(i + 1, j);
    if (j < m && tok[j].skip)
      PUSH(i, j + 1);
    if (i == n || j == m)
      continue;
    // Moves that take one character on both sides: the resource's * stays,
    // its ? or character moves on; the reference's ${Name} or * stays or
    // moves on, its character moves on.
    char c = r.ptr[i];
    int rc = c == '*' || c == '?' ? CLASS_ANY : (unsigned char)c;
    ptrdiff_t ri = c == '*' ? i : i + 1;
    if (!classes_meet(rc, tok[j].c))
      continue;
    PUSH(ri, j + 1);
    if (tok[j].repeat)
      PUSH(ri, j);
  }
#undef PUSH
  return false;
}

static bool parts_fit(Arena *a, Str r[ARN_PARTS], Str pattern) {
  Str p[ARN_PARTS];
  if (!split_arn(pattern, p))
    return false;
  // The resource part last: it is the one that needs a search.
  for (int i = ARN_PARTS - 1; i >= 0; i--) {
    int k = (i + 1) % ARN_PARTS;  // service, region, account, resource, partition
    if (!part_fits(a, as_glob(a, r[k]), p[k]))
      return false;
  }
  return true;
}

bool aws_iam_arn_fits(Arena *a, Str resource, Str pattern) {
  if (str_eq_c(resource, "*"))
    return true;
  ArenaMark mark = arena_mark(a);
  Str r[ARN_PARTS];
  bool fits = split_arn(resource, r) && parts_fit(a, r, pattern);
  arena_rewind(a, mark);
  return fits;
}

// Every pattern and key of the reference is shorter than this (ARN patterns
// at most 278 characters in the edition of 2026-09-26); compiler/gen/iam_table
// refuses longer ones.
enum { MAX_TEXT = 1024 };

// Copies the phrase whose tokens start at aws_iam_phrases[at] into buf.
static ptrdiff_t copy_run(uint32_t at, char buf[MAX_TEXT]) {
  const uint16_t *t = &aws_iam_phrases[at];
  ptrdiff_t len = 0;
  do {
    Str tok = token(*t);
    if (len + tok.len > MAX_TEXT)
      return -1;
    memcpy(buf + len, tok.ptr, (size_t)tok.len);
    len += tok.len;
  } while (!(*t++ & 0x8000));
  return len;
}

int aws_iam_ntypes(const AwsIamService *s, int action) {
  return (int)use_count(action_of(s, action));
}

int aws_iam_type(const AwsIamService *s, int action, int k) {
  return use(action_of(s, action), (uint32_t)k)[0] & 0x7fff;
}

bool aws_iam_type_fits(Arena *a, int type, Str resource) {
  if (str_eq_c(resource, "*"))
    return true;
  ArenaMark mark = arena_mark(a);
  Str r[ARN_PARTS];
  char buf[MAX_TEXT];
  ptrdiff_t len = copy_run(aws_iam_phrase_at[aws_iam_types[type].arn], buf);
  bool fits = len >= 0 && split_arn(resource, r) && parts_fit(a, r, (Str){buf, len});
  arena_rewind(a, mark);
  return fits;
}

bool aws_iam_takes(Arena *a, const AwsIamService *s, int action, Str resource) {
  if (str_eq_c(resource, "*"))
    return true;
  for (int k = 0; k < aws_iam_ntypes(s, action); k++)
    if (aws_iam_type_fits(a, aws_iam_type(s, action, k), resource))
      return true;
  return false;
}

//
// Condition keys
//

// Whether a key of the reference, possibly a template, names key: ${Name},
// <name> and a final /tag-key stand for one or more characters (the forms
// iam-data uses: aws:ResourceTag/${TagKey}, s3:ExistingObjectTag/<key>,
// aws:PrincipalTag/tag-key). Condition key names are case-insensitive (IAM
// User Guide, "IAM JSON policy elements: Condition").
static bool key_matches(uint32_t phrase, Str key) {
  // Most keys are no template and differ from key in their first letters:
  // compare from the tokens while the text is plain; copy it only past that.
  const uint16_t *t = &aws_iam_phrases[aws_iam_phrase_at[phrase]];
  ptrdiff_t same = 0;
  for (;;) {
    Str tok = token(*t);
    for (ptrdiff_t k = 0; k < tok.len; k++, same++) {
      char c = tok.ptr[k];
      if (c == '$' || c == '<' || c == '/')
        goto template;
      if (same >= key.len || ascii_lower(c) != ascii_lower(key.ptr[same]))
        return false;
    }
    if (*t++ & 0x8000)
      return same == key.len;
  }
template:;
  char text[MAX_TEXT];
  ptrdiff_t len = copy_run(aws_iam_phrase_at[phrase], text);
  if (len < 0)
    return false;
  // The key as a glob, each placeholder made ?* (one or more characters).
  char buf[2 * MAX_TEXT];
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < len; i++) {
    char close = text[i] == '$' && i + 1 < len && text[i + 1] == '{' ? '}'
                 : text[i] == '<'                                    ? '>'
                                                                     : 0;
    const char *end = close ? memchr(text + i, close, (size_t)(len - i)) : NULL;
    if (!end && len - i == 8 && memcmp(text + i, "/tag-key", 8) == 0) {
      buf[n++] = '/';
      end = text + len - 1;
    }
    if (text[i] == '*' || text[i] == '?')
      return false;  // no key of the reference holds one: never a wildcard
    if (end) {
      buf[n++] = '?';
      buf[n++] = '*';
      i = end - text;
    } else {
      buf[n++] = text[i];
    }
  }
  return str_glob((Str){buf, n}, key, true);
}

static bool in_list(uint16_t list, Str key) {
  for (uint32_t i = aws_iam_key_list_at[list]; i < aws_iam_key_list_at[list + 1]; i++)
    if (key_matches(aws_iam_keys[aws_iam_key_ids[i]], key))
      return true;
  return false;
}

bool aws_iam_global_key(Str key) {
  return in_list(aws_iam_global_keys, key);
}

// The key lists of an action: its own, each of its rows', each of its
// resource types'.
static int key_lists(const AwsIamService *s, int action, uint16_t *lists) {
  const AwsIamAction *x = action_of(s, action);
  int n = 0;
  lists[n++] = x->keys;
  for (uint32_t k = 0; k < use_count(x); k++) {
    lists[n++] = use(x, k)[1];
    lists[n++] = aws_iam_types[use(x, k)[0] & 0x7fff].keys;
  }
  return n;
}

bool aws_iam_key_applies(const AwsIamService *s, int action, Str key) {
  if (aws_iam_global_key(key))
    return true;
  uint16_t lists[1 + 2 * 256];
  if (use_count(action_of(s, action)) > 256)
    return true;  // more than any action has; never judged wrongly strict
  int n = key_lists(s, action, lists);
  for (int i = 0; i < n; i++)
    if (in_list(lists[i], key))
      return true;
  return false;
}

Str *aws_iam_action_keys(Arena *a, const AwsIamService *s, int action, int *n) {
  uint16_t lists[1 + 2 * 256];
  *n = 0;
  if (use_count(action_of(s, action)) > 256)
    return new(a, Str, 1);
  int nl = key_lists(s, action, lists), total = 0;
  for (int i = 0; i < nl; i++)
    total += (int)(aws_iam_key_list_at[lists[i] + 1] - aws_iam_key_list_at[lists[i]]);
  Str *out = new(a, Str, total + 1);
  for (int i = 0; i < nl; i++) {
    for (uint32_t k = aws_iam_key_list_at[lists[i]]; k < aws_iam_key_list_at[lists[i] + 1]; k++) {
      Str key = aws_iam_phrase(a, aws_iam_keys[aws_iam_key_ids[k]]);
      bool seen = false;
      for (int j = 0; j < *n && !seen; j++)
        seen = str_eq(out[j], key);
      if (!seen)
        out[(*n)++] = key;
    }
  }
  return out;
}
