// check_project.c: the project as a whole, before anything is built: tags
// within AWS's tagging rules, environment names that are safe directory
// names (build writes DIR/ENV/), and a project that has something to build.
// Reports E0516-E0518 and W0510 (build's own E0519 is emit.c's).
#include "model.h"

#include <string.h>

// The tags ecsc puts on every resource of an environment: the provider's
// default_tags (project, environment, managed-by) and each resource's Name
// (emit_tf.c). A user tag of the same key replaces ecsc's, not adds to it.
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

// One tag as written: its key and its value, each at its place.
static void tag(Compilation *c, const KeyValue *kv) {
  Str key = kv->name;
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
  for (int i = 0; i < p->ntags; i++)
    tag(c, &p->tags[i]);
  for (int i = 0; i < m->nenvs; i++) {
    Environment *e = m->envs[i];
    environment_name(c, e);
    for (int k = 0; k < e->ntags; k++)  // the project's again: said once
      tag(c, &e->tags[k]);
    tag_count(c, e);
  }
}
