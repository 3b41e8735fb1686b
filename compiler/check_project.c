// check_project.c: the project as a whole, before anything is built: tags
// within AWS's tagging rules, environment names that are safe directory
// names (build writes DIR/ENV/), and a project that has something to build.
// Reports E0516-E0518, E0890, E0891, W0510 and W1070 (build's own E0519 is
// emit.c's).
#include "model.h"

#include <stdio.h>
#include <string.h>

// The tags ecsc puts on every resource of an environment: the provider's
// default_tags (project, environment, managed-by) and each resource's Name
// (emit_tf.c). A user tag of the same key takes the key's place, not adds
// to it: it replaces ecsc's default tags, and ecsc's Name wins where ecsc
// names a resource (W1070).
static const char *const own_tags[] = {"project", "environment", "managed-by", "Name"};

// Amazon ECS API Reference, data type Tag (and Tagging AWS Resources, "Tag
// naming limits and requirements"): at most 50 tags a resource; keys of at
// most 128 Unicode characters, values of at most 256; aws:, AWS: or any mix
// of cases reserved as a prefix of keys and values.
enum { MAX_TAGS = 50, MAX_KEY = 128, MAX_VALUE = 256 };
static const char *const reserved_prefix = "(?i:aws:).*";

static ptrdiff_t characters(Str s) {
  ptrdiff_t n = 0;
  for (ptrdiff_t i = 0; i < s.len; i++)
    n += (s.ptr[i] & 0xC0) != 0x80;
  return n;
}

// The characters of tag keys and values. The tags reach every resource
// (default_tags), and the API models of the services ecsc tags differ.
// AWS's machine-readable service models (botocore 1.43.67, 2026-08-07:
// botocore/data/SERVICE/VERSION/service-2.json) give
//   ecs 2014-11-13      TagKey, TagValue       ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)
//   elbv2 2015-12-01    TagKey, TagValue       ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
//   iam 2010-05-08      tagKeyType             [\p{L}\p{Z}\p{N}_.:/=+\-@]+
//                       tagValueType           [\p{L}\p{Z}\p{N}_.:/=+\-@]*
//   logs 2014-03-28     TagKey                 ^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$
//                       TagValue               ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
//   ssm 2014-11-06      TagKey, TagValue       ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$
//   autoscaling 2011-01-01 TagKey, TagValue    any XML character
//   ec2 2016-11-15 (Tag: String), servicediscovery 2017-03-14 and
//   application-autoscaling 2016-02-06 (TagKey, TagValue): no pattern,
// every one a key of 1 to 128 characters and a value of 0 to 256; ECS's Tag
// documentation in the same model: "Generally allowed characters are:
// letters, numbers, and spaces representable in UTF-8, and the following
// characters: + - = . _ : / @". Every environment has an ECS cluster, IAM
// roles and log groups, so the strictest holds: letters, spaces and digits
// of any script (Unicode's L, Z and N) and _ . : / = + - @. A character the
// class's complement finds is one AWS refuses.
static const char *const tag_refused = "[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";
static const char *const invisible = "\\p{C}";  // shown as U+XXXX

// The place of bytes [i, i + n) of s, a value written at `at`: inside it
// when it is written there as it is (no escapes), else the whole of `at`.
static Span inside(Span at, Str s, ptrdiff_t i, ptrdiff_t n) {
  if (!at.src)
    return at;
  Str src = at.src->text;
  int32_t open = at.start < src.len && src.ptr[at.start] == '"';
  if (at.end - at.start != s.len + 2 * open ||
      (s.len && memcmp(src.ptr + at.start + open, s.ptr, (size_t)s.len)))
    return at;
  return (Span){at.src, at.start + open + (int32_t)i, at.start + open + (int32_t)(i + n)};
}

// s without the characters tags refuse: the help's suggestion.
static Str tag_cleaned(Compilation *c, Str s) {
  Buf b = {.arena = &c->arena};
  ptrdiff_t from = 0;
  Str bad;
  while (regex_find(c, tag_refused, s, from, &bad)) {
    ptrdiff_t at = bad.ptr - s.ptr;
    buf_put(&b, (Str){s.ptr + from, at - from});
    from = at + bad.len;
  }
  buf_put(&b, (Str){s.ptr + from, s.len - from});
  return buf_str(&b);
}

// One key or value: the first character AWS refuses, at its place, and the
// text without any of them.
static void tag_characters(Compilation *c, Str key, Str s, Span at, bool is_key) {
  Str bad;
  if (!regex_find(c, tag_refused, s, 0, &bad))
    return;
  ptrdiff_t i = bad.ptr - s.ptr;
  char shown[16];
  if (regex_match(c, invisible, bad))
    snprintf(shown, sizeof shown, "U+%04X",
             (unsigned)source_utf8_decode((const unsigned char *)bad.ptr, (int)bad.len));
  else
    snprintf(shown, sizeof shown, "\"%.*s\"", S(bad));
  Diag *d;
  if (is_key)
    d = diag_at(c, E0890, inside(at, s, i, bad.len), "tag key \"%.*s\" has %s, a character AWS "
                "does not take in tags", S(key), shown);
  else
    d = diag_at(c, E0890, inside(at, s, i, bad.len), "value of tag \"%.*s\" has %s, a character "
                "AWS does not take in tags", S(key), shown);
  Str clean = tag_cleaned(c, s);
  if (clean.len)
    diag_help(c, d, "tags take letters, digits, spaces and _ . : / = + - @ only, such as "
              "\"%.*s\"", S(clean));
  else
    diag_help(c, d, "tags take letters, digits, spaces and _ . : / = + - @ only");
}

// One tag as written: its key and its value, each at its place.
static void tag(Compilation *c, const KeyValue *kv) {
  Str key = kv->name;
  if (!key.len) {  // every model above: a key of at least one character
    Diag *d = diag_at(c, E0891, kv->key_at, "tag key is empty");
    diag_help(c, d, "give the tag a key of 1 to %d characters", MAX_KEY);
  }
  tag_characters(c, key, key, kv->key_at, true);
  tag_characters(c, key, kv->value, kv->at, false);
  if (regex_match(c, reserved_prefix, key)) {
    Diag *d = diag_at(c, E0516, kv->key_at, "tag key \"%.*s\" starts with the reserved "
                      "prefix \"%.*s\"", S(key), 4, key.ptr);
    Str rest = key.len > 4 ? (Str){key.ptr + 4, key.len - 4} : STR("team");
    diag_help(c, d, "AWS keeps tags starting with aws: for itself; rename the key, such as "
                    "\"%.*s\"", S(rest));
  }
  if (characters(key) > MAX_KEY) {
    Diag *d = diag_at(c, E0517, kv->key_at, "tag key of %td characters, over AWS's %d",
                      characters(key), MAX_KEY);
    diag_help(c, d, "shorten the key to %d characters or fewer", MAX_KEY);
  }
  if (regex_match(c, reserved_prefix, kv->value)) {
    Diag *d = diag_at(c, E0516, kv->at, "value of tag \"%.*s\" starts with the reserved prefix "
                      "\"%.*s\"", S(key), 4, kv->value.ptr);
    diag_help(c, d, "AWS keeps tags whose key or value starts with aws: for itself; drop the "
                    "prefix");
  }
  if (characters(kv->value) > MAX_VALUE) {
    Diag *d = diag_at(c, E0517, kv->at, "value of tag \"%.*s\" has %td characters, over AWS's %d",
                      S(key), characters(kv->value), MAX_VALUE);
    diag_help(c, d, "shorten the value to %d characters or fewer", MAX_VALUE);
  }
}

// Every resource of e carries its merged tags and ecsc's own.
static void tag_count(Compilation *c, const Environment *e) {
  int n = e->ntags;
  for (int i = 0; i < countof(own_tags); i++) {
    bool replaced = false;
    for (int k = 0; k < e->ntags; k++)
      replaced |= str_eq_c(e->tags[k].name, own_tags[i]);
    n += !replaced;
  }
  if (n <= MAX_TAGS)
    return;
  Diag *d = diag_at(c, E0517, e->span, "environment \"%.*s\" puts %d tags on its resources, over "
                    "AWS's %d", S(e->name), n, MAX_TAGS);
  diag_note(c, d, (Span){0}, "%d of them are the project's and the environment's; ecsc adds "
            "project, environment, managed-by and Name", e->ntags);
  diag_help(c, d, "keep at most %d tags of your own", MAX_TAGS - (int)countof(own_tags));
}

// W1070: a Name among the project's or the environment's tags. They are the
// provider's default_tags, and a resource's own tags take precedence over
// them (HashiCorp, "Default Tags in the Terraform AWS Provider"); ecsc names
// every resource it can with a Name of its own (emit_tf.c, tf_environment_tags
// applies the same rule where default_tags do not reach: autoscaling groups
// and what they launch). So this Name is on only the resources ecsc names
// none, which is seldom what was meant. Said once where it is written.
static void name_tag(Compilation *c, const KeyValue *kv, const char *whose, Str name) {
  if (!str_eq_c(kv->name, "Name"))
    return;
  Diag *d = diag_at(c, W1070, kv->key_at, "tag \"Name\" of %s \"%.*s\" is replaced by ecsc's own "
                    "Name on every resource ecsc names", whose, S(name));
  diag_help(c, d, "ecsc names each resource (its Name is the resource's own tag, which wins over "
                  "default tags): give this tag another key, such as Application, or remove it");
}

// An environment's tag that is the project's, merged in (resolve.c).
static bool project_tag(const Project *p, const KeyValue *kv) {
  for (int i = 0; i < p->ntags; i++)
    if (p->tags[i].key_at.src == kv->key_at.src && p->tags[i].key_at.start == kv->key_at.start)
      return true;
  return false;
}

// The environment's name is a directory of the output (DIR/ENV/). POSIX.1-2017
// Base Definitions 3.282, "Portable Filename Character Set": letters, digits,
// ".", "_" and "-"; its section "Filename Portability": a portable filename
// does not start with "-" (it reads as an option). Not with "." either: ".",
// ".." and hidden directories. At most NAME_MAX, 255 bytes on Linux. Checked
// here, at the name: build would otherwise fail with errors naming no line.
static const char *const directory_name = "[A-Za-z0-9_][A-Za-z0-9._-]{0,254}";

static void environment_name(Compilation *c, const Environment *e) {
  if (regex_match(c, directory_name, e->name))
    return;
  Str n = e->name;
  const char *why = !n.len                                 ? "is empty"
                    : n.len > 255                          ? "is longer than 255 characters"
                    : memchr(n.ptr, '/', (size_t)n.len)    ? "contains \"/\""
                    : n.ptr[0] == '.' || n.ptr[0] == '-'   ? "starts with \".\" or \"-\""
                                                           : "has characters other than letters, "
                                                             "digits, . _ and -";
  Diag *d = diag_at(c, E0518, e->span, "environment name \"%.*s\" %s", S(n), why);
  diag_help(c, d, "build writes each environment to DIR/NAME/: name it with letters, digits, . _ "
                  "and -, starting with a letter, digit or _, such as \"staging\"");
}

void check_project(Compilation *c, const Model *m) {
  Project *p = m->project;
  if (!p)
    return;  // a module: its environments, if any, are reported by resolve.c
  if (!m->nenvs) {
    Diag *d = diag_at(c, W0510, p->span, "project \"%.*s\" declares no environment", S(p->name));
    diag_help(c, d, "build would write nothing; declare one: environment \"staging\" { ... }");
  }
  for (int i = 0; i < p->ntags; i++) {
    tag(c, &p->tags[i]);
    name_tag(c, &p->tags[i], "project", p->name);
  }
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    environment_name(c, e);
    for (int k = 0; k < e->ntags; k++) {  // the project's again: said once
      tag(c, &e->tags[k]);
      if (!project_tag(p, &e->tags[k]))
        name_tag(c, &e->tags[k], "environment", e->name);
    }
    tag_count(c, e);
  }
}
