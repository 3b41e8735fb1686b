// import_compose.c: `ecsc import compose FILE`: a Docker Compose file as an
// env.ecs: a project, one environment with a VPC and a cluster to review,
// and a service per compose service with what ecsc can say of it (image,
// command, entrypoint, environment, ports, healthcheck, memory, cpu shares,
// user, stop grace period, replicas). Every compose key it cannot carry over
// becomes a comment in the output that names the key and says why, so
// nothing is dropped silently. Reports E080x/W080x at the compose file's
// line and column.
//
// libyaml loads the file as a document (aliases resolve to the node they
// name); merge keys (`<<: *defaults`), which compose files use with x-
// extension fields, are applied here, as compose applies them. The result is
// formatted by fmt.c, so it is in the canonical layout.
//
// The meaning of each compose key is the Compose Specification's
// (github.com/compose-spec/compose-spec, spec.md, "Services top-level
// elements"); the ECS side is the ECS API's ContainerDefinition
// (docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
#include "emit.h"

#include <stdarg.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  Compilation *c;
  Source *src;
  yaml_document_t doc;
  int32_t chr, byte;  // a code point index and its byte offset: see offset()
  int visits;         // mappings walked: merges of aliases could multiply a small file
  bool too_many;      // and then reported, once
  Buf out;
  bool any_route;
} Importer;

enum { MAX_VISITS = 1 << 16, MAX_DEPTH = 32, MAX_PAIRS = 256 };

//
// Positions: libyaml's marks count code points, Spans bytes
//

// Back to the first character, which follows a byte-order mark if any.
static void rewind_cursor(Importer *im) {
  Str t = im->src->text;
  im->chr = 0;
  im->byte = t.len >= 3 && memcmp(t.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static int32_t offset(Importer *im, size_t index) {
  Str t = im->src->text;
  if (index < (size_t)im->chr)
    rewind_cursor(im);
  while ((size_t)im->chr < index && im->byte < t.len) {
    im->byte++;
    while (im->byte < t.len && (t.ptr[im->byte] & 0xC0) == 0x80)
      im->byte++;
    im->chr++;
  }
  return im->byte;
}

static Span node_span(Importer *im, yaml_node_t *n) {
  int32_t from = offset(im, n->start_mark.index);
  return (Span){im->src, from, offset(im, n->end_mark.index)};
}

//
// Nodes
//

static yaml_node_t *get_node(Importer *im, int id) {
  return yaml_document_get_node(&im->doc, id);
}

static bool is_scalar(yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE;
}

static Str scalar_text(yaml_node_t *n) {
  if (!is_scalar(n))
    return (Str){0};
  return (Str){(char *)n->data.scalar.value, (ptrdiff_t)n->data.scalar.length};
}

// A plain null: `key:`, `~` or `null`.
static bool is_null(yaml_node_t *n) {
  if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return false;
  Str s = scalar_text(n);
  return s.len == 0 || str_eq_c(s, "~") || str_eq_c(s, "null") || str_eq_c(s, "Null") ||
         str_eq_c(s, "NULL");
}

static const char *shape(yaml_node_t *n) {
  if (!n)
    return "nothing";
  if (n->type == YAML_MAPPING_NODE)
    return "a mapping";
  if (n->type == YAML_SEQUENCE_NODE)
    return "a list";
  return is_null(n) ? "null" : "a scalar";
}

// The wrong shape for a key (E0803): what it must be and what it is.
static void wrong(Importer *im, yaml_node_t *n, Str key, const char *want) {
  Diag *d = diag_at(im->c, E0803, node_span(im, n), "expected %s for \"%.*s\", found %s", want, S(key),
                    shape(n));
  diag_help(im->c, d, "see the Compose Specification for \"%.*s\"", S(key));
}

typedef struct {
  Str key;
  yaml_node_t *k, *v;
} Pair;

// A mapping's pairs, its own first, then those its merge keys (<<) bring
// that it does not set itself, as YAML's merge type says.
static int merged_pairs(Importer *im, yaml_node_t *map, Pair *out, int n, int depth) {
  if (!map || map->type != YAML_MAPPING_NODE)
    return n;
  if (depth > MAX_DEPTH || ++im->visits > MAX_VISITS) {
    if (!im->too_many) {
      Diag *d = diag_at(im->c, E0805, node_span(im, map), "merge keys (<<) nest too deeply or repeat too "
                        "often to follow");
      diag_help(im->c, d, "merge each extension field once, without merging merges in turn");
    }
    im->too_many = true;
    return n;
  }
  yaml_node_pair_t *p;
  for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top && n < MAX_PAIRS; p++) {
    yaml_node_t *k = get_node(im, p->key), *v = get_node(im, p->value);
    if (!is_scalar(k) || str_eq_c(scalar_text(k), "<<"))
      continue;
    bool seen = false;
    for (int i = 0; i < n && !seen; i++)
      seen = str_eq(out[i].key, scalar_text(k));
    if (!seen)
      out[n++] = (Pair){scalar_text(k), k, v};
  }
  for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = get_node(im, p->key), *v = get_node(im, p->value);
    if (!is_scalar(k) || !str_eq_c(scalar_text(k), "<<") || !v)
      continue;
    if (v->type == YAML_SEQUENCE_NODE) {
      for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
        n = merged_pairs(im, get_node(im, *i), out, n, depth + 1);
    } else {
      n = merged_pairs(im, v, out, n, depth + 1);
    }
  }
  return n;
}

static yaml_node_t *pair_get(Pair *ps, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (str_eq_c(ps[i].key, key))
      return ps[i].v;
  return NULL;
}

//
// Output
//

// A DSL string literal: the escapes the lexer reads (\" \\ \n \r \t \uXXXX).
static void dsl_string(Buf *b, Str s) {
  buf_putc(b, '"');
  for (ptrdiff_t i = 0; i < s.len; i++) {
    unsigned char ch = (unsigned char)s.ptr[i];
    if (ch == '"' || ch == '\\')
      buf_printf(b, "\\%c", ch);
    else if (ch == '\n')
      buf_puts(b, "\\n");
    else if (ch == '\r')
      buf_puts(b, "\\r");
    else if (ch == '\t')
      buf_puts(b, "\\t");
    else if (ch < 0x20 || ch == 0x7F)
      buf_printf(b, "\\u%04X", ch);
    else
      buf_putc(b, (char)ch);
  }
  buf_putc(b, '"');
}

// A short rendering of a value for a comment: scalars as written, lists of
// scalars joined, anything else by its shape.
static Str brief(Importer *im, yaml_node_t *n) {
  if (is_scalar(n))
    return scalar_text(n).len > 60 ? str_fmt(&im->c->arena, "%.57s...", scalar_text(n).ptr) : scalar_text(n);
  if (n && n->type == YAML_SEQUENCE_NODE) {
    Buf b = {.arena = &im->c->arena};
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
      yaml_node_t *item = get_node(im, *i);
      if (b.len)
        buf_puts(&b, ", ");
      buf_put(&b, is_scalar(item) ? scalar_text(item) : STR("..."));
      if (b.len > 60) {
        buf_puts(&b, "...");
        break;
      }
    }
    return buf_str(&b);
  }
  return str_c(shape(n));
}

//
// Values
//

// A compose size: bytes, or a number with b, k, m, g (kb, mb, gb; any case),
// as the Compose Specification's "Specifying byte values". False otherwise.
static bool size_bytes(Str s, int64_t *out) {
  ptrdiff_t i = 0;
  int64_t v = 0;
  while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
    if (v > (INT64_MAX - 9) / 10 / (1LL << 30))
      return false;
    v = v * 10 + (s.ptr[i++] - '0');
  }
  if (i == 0)
    return false;
  char unit[3] = {0};
  for (ptrdiff_t k = 0; i < s.len && k < 3; k++, i++)
    unit[k] = (char)(s.ptr[i] | 0x20);
  if (i < s.len)
    return false;
  static const struct { const char *name; int64_t scale; } units[] = {
      {"", 1}, {"b", 1}, {"k", 1 << 10}, {"kb", 1 << 10}, {"m", 1 << 20}, {"mb", 1 << 20},
      {"g", 1 << 30}, {"gb", 1 << 30},
  };
  for (int k = 0; k < countof(units); k++)
    if (!strncmp(unit, units[k].name, 3)) {
      *out = v * units[k].scale;
      return true;
    }
  return false;
}

// A compose duration, as the Compose Specification's "Specifying durations":
// {value}{unit} parts, units us, ms, s, m, h ("1m30s", "10s", "500ms").
static bool duration_ms(Str s, int64_t *out) {
  int64_t total = 0;
  ptrdiff_t i = 0;
  if (s.len == 0)
    return false;
  while (i < s.len) {
    int64_t v = 0;
    ptrdiff_t beg = i;
    while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9' && v < 100000000)
      v = v * 10 + (s.ptr[i++] - '0');
    if (i == beg)
      return false;
    ptrdiff_t u = i;
    while (i < s.len && s.ptr[i] >= 'a' && s.ptr[i] <= 'z')
      i++;
    Str unit = {s.ptr + u, i - u};
    if (str_eq_c(unit, "h"))
      total += v * 3600000;
    else if (str_eq_c(unit, "m"))
      total += v * 60000;
    else if (str_eq_c(unit, "s") || (unit.len == 0 && i == s.len))
      total += v * 1000;  // a bare number: seconds
    else if (str_eq_c(unit, "ms"))
      total += v;
    else if (str_eq_c(unit, "us"))
      total += v / 1000;
    else
      return false;
  }
  *out = total;
  return true;
}

// A duration as the DSL writes it: the largest unit that is exact.
static Str dsl_duration(Arena *a, int64_t ms) {
  if (ms % 1000)
    return str_fmt(a, "%lldms", (long long)ms);
  if (ms && ms % 3600000 == 0)
    return str_fmt(a, "%lldh", (long long)(ms / 3600000));
  if (ms && ms % 60000 == 0)
    return str_fmt(a, "%lldm", (long long)(ms / 60000));
  return str_fmt(a, "%llds", (long long)(ms / 1000));
}

// A size as the DSL writes it, in MiB (ECS takes whole MiB), rounded up.
static Str dsl_size(Arena *a, int64_t bytes) {
  int64_t mib = (bytes + (1 << 20) - 1) >> 20;
  if (mib && mib % 1024 == 0)
    return str_fmt(a, "%lld GiB", (long long)(mib / 1024));
  return str_fmt(a, "%lld MiB", (long long)mib);
}

static bool small_int(Str s, int64_t max, int64_t *out) {
  int64_t v = 0;
  if (s.len == 0)
    return false;
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if (s.ptr[i] < '0' || s.ptr[i] > '9' || v > max)
      return false;
    v = v * 10 + (s.ptr[i] - '0');
  }
  *out = v;
  return v <= max;
}

// A command given as a string, split into words as compose splits it (POSIX
// shell quoting, no expansion). False on an unterminated quote.
static int shell_words(Arena *a, Str s, Str *words, int max) {
  int n = 0;
  ptrdiff_t i = 0;
  while (i < s.len && n < max) {
    while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t' || s.ptr[i] == '\n'))
      i++;
    if (i == s.len)
      break;
    Buf w = {.arena = a};
    while (i < s.len && s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n') {
      char ch = s.ptr[i++];
      if (ch == '\\' && i < s.len) {
        buf_putc(&w, s.ptr[i++]);
      } else if (ch == '\'') {
        while (i < s.len && s.ptr[i] != '\'')
          buf_putc(&w, s.ptr[i++]);
        if (i++ == s.len)
          return -1;
      } else if (ch == '"') {
        while (i < s.len && s.ptr[i] != '"') {
          if (s.ptr[i] == '\\' && i + 1 < s.len && strchr("\"\\$`", s.ptr[i + 1]))
            i++;
          buf_putc(&w, s.ptr[i++]);
        }
        if (i++ == s.len)
          return -1;
      } else {
        buf_putc(&w, ch);
      }
    }
    words[n++] = buf_str(&w);
  }
  return n;
}

//
// A service
//

typedef struct {
  Importer *im;
  Str name;
  Pair ps[MAX_PAIRS];
  int n;
  Buf comments;  // the keys not carried over, written first in the block
} Svc;

// The keys that go to comments, with why; the others are read below.
static const struct {
  const char *key, *why;
} not_carried[] = {
    {"build", "ecsc deploys images: build and push this one, then name it in image"},
    {"depends_on", "ECS starts each service on its own; make the service wait for, or retry, what "
                   "it needs"},
    {"volumes", "declare the task's volumes as volume \"NAME\" { } (scratch, or with efs { } to "
                "keep the data) and mount them with mount \"NAME\" { path = ... }"},
    {"volumes_from", "mount the same volume \"NAME\" in each container instead"},
    {"restart", "ECS restarts stopped tasks itself"},
    {"container_name", "ECS names the container after the service"},
    {"hostname", "ECS sets no container host name in bridge mode"},
    {"networks", "the services share the environment's VPC; they reach each other through the "
                 "load balancer"},
    {"links", "the services share the environment's VPC; they reach each other through the load "
              "balancer"},
    {"env_file", "ecsc reads no env files: move the values into env, or secrets into parameters"},
    {"secrets", "declare a parameter (secure = true) and read it through secrets"},
    {"configs", "declare a parameter and read it through secrets or env"},
    {"labels", "ecsc has no Docker labels"},
    {"profiles", "every service is deployed"},
    {"extends", "ecsc's templates do this: template \"NAME\" { ... } and extends = template.NAME"},
};

static void dropped(Svc *s, Str key, yaml_node_t *v, const char *why) {
  Str line = str_fmt(&s->im->c->arena, "compose \"%.*s\" (%.*s) is not carried over: %s", S(key),
                     S(brief(s->im, v)), why);
  Buf *b = &s->comments;
  buf_puts(b, "  # ");
  for (ptrdiff_t i = 0; i < line.len; i++)
    buf_putc(b, line.ptr[i] == '\n' ? ' ' : line.ptr[i]);
  buf_putc(b, '\n');
}

static void attr(Svc *s, const char *name) {
  buf_printf(&s->im->out, "  %s = ", name);
}

// A list of strings, each a scalar; false (reported) otherwise.
static bool yaml_strings(Svc *s, Str key, yaml_node_t *v, const char *attr_name) {
  Importer *im = s->im;
  Str words[256];
  int n = 0;
  if (is_scalar(v)) {
    n = shell_words(&im->c->arena, scalar_text(v), words, countof(words));
    if (n < 0) {
      Diag *d = diag_at(im->c, E0805, node_span(im, v), "unterminated quote in \"%.*s\"", S(key));
      diag_help(im->c, d, "close the quote, or give the command as a list");
      return false;
    }
  } else if (v && v->type == YAML_SEQUENCE_NODE) {
    for (yaml_node_item_t *i = v->data.sequence.items.start;
         i < v->data.sequence.items.top && n < countof(words); i++) {
      yaml_node_t *item = get_node(im, *i);
      if (!is_scalar(item)) {
        wrong(im, item, key, "a string");
        return false;
      }
      words[n++] = scalar_text(item);
    }
  } else {
    wrong(im, v, key, "a string or a list of strings");
    return false;
  }
  attr(s, attr_name);
  buf_putc(&im->out, '[');
  for (int i = 0; i < n; i++) {
    if (i)
      buf_puts(&im->out, ", ");
    dsl_string(&im->out, words[i]);
  }
  buf_puts(&im->out, "]\n");
  return true;
}

// The DSL's variable names: letters, digits and _, not starting with a digit.
static bool env_name(Str k) {
  if (!k.len || (k.ptr[0] >= '0' && k.ptr[0] <= '9'))
    return false;
  for (ptrdiff_t i = 0; i < k.len; i++) {
    char ch = k.ptr[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
      return false;
  }
  return true;
}

// environment: a mapping or a list of NAME=VALUE.
static void compose_environment(Svc *s, yaml_node_t *v) {
  Importer *im = s->im;
  Str names[512], values[512];
  int n = 0;
  Buf later = {.arena = &im->c->arena};
  if (v->type == YAML_MAPPING_NODE) {
    Pair ps[MAX_PAIRS];
    int np = merged_pairs(im, v, ps, 0, 0);
    for (int i = 0; i < np && n < countof(names); i++) {
      if (is_null(ps[i].v) || !is_scalar(ps[i].v)) {
        buf_printf(&later, "%.*s ", S(ps[i].key));
        continue;
      }
      names[n] = ps[i].key;
      values[n++] = scalar_text(ps[i].v);
    }
  } else if (v->type == YAML_SEQUENCE_NODE) {
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top && n < countof(names);
         i++) {
      Str e = scalar_text(get_node(im, *i));
      const char *eq = e.len ? memchr(e.ptr, '=', (size_t)e.len) : NULL;
      if (!eq) {
        buf_printf(&later, "%.*s ", S(e));
        continue;
      }
      names[n] = (Str){e.ptr, eq - e.ptr};
      values[n++] = (Str){eq + 1, e.ptr + e.len - eq - 1};
    }
  } else {
    wrong(im, v, STR("environment"), "a mapping or a list of NAME=VALUE");
    return;
  }
  if (later.len)
    buf_printf(&s->comments, "  # compose \"environment\" gives no value for %.*s(compose takes it "
               "from the shell): set it in env, or read it from a parameter in secrets\n",
               S(buf_str(&later)));
  int kept = 0;
  for (int i = 0; i < n; i++)
    kept += env_name(names[i]);
  if (kept) {
    buf_puts(&im->out, "\n  env = {\n");
    for (int i = 0; i < n; i++) {
      if (!env_name(names[i]))
        continue;
      buf_printf(&im->out, "    %.*s = ", S(names[i]));
      dsl_string(&im->out, values[i]);
      buf_putc(&im->out, '\n');
    }
    buf_puts(&im->out, "  }\n");
  }
  for (int i = 0; i < n; i++)
    if (!env_name(names[i]))
      dropped(s, STR("environment"), v,
              str_cstr(&im->c->arena, str_fmt(&im->c->arena, "\"%.*s\" is no variable name ecsc takes "
                                              "(letters, digits and _)", S(names[i]))));
}

static bool loopback(Str s) {
  return str_starts_with(s, STR("127.")) || str_starts_with(s, STR("localhost:")) ||
         str_starts_with(s, STR("[::1]")) || str_eq_c(s, "::1");
}

// One port of ports or expose: "[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]" or
// the long syntax. Sets *port (0: none usable) and *published.
static void port_of(Svc *s, yaml_node_t *v, int64_t *port, bool *published, bool *udp) {
  Importer *im = s->im;
  *port = 0;
  *published = *udp = false;
  if (v && v->type == YAML_MAPPING_NODE) {
    Pair ps[MAX_PAIRS];
    int n = merged_pairs(im, v, ps, 0, 0);
    yaml_node_t *target = pair_get(ps, n, "target"), *proto = pair_get(ps, n, "protocol");
    small_int(scalar_text(target), 65535, port);
    yaml_node_t *ip = pair_get(ps, n, "host_ip");
    *published = pair_get(ps, n, "published") != NULL && !(ip && loopback(scalar_text(ip)));
    *udp = proto && str_eq_c(scalar_text(proto), "udp");
    return;
  }
  Str p = scalar_text(v);
  ptrdiff_t slash = p.len;
  for (ptrdiff_t i = 0; i < p.len; i++)
    if (p.ptr[i] == '/')
      slash = i;
  *udp = slash < p.len && str_eq_c((Str){p.ptr + slash + 1, p.len - slash - 1}, "udp");
  ptrdiff_t colon = -1;
  for (ptrdiff_t i = 0; i < slash; i++)
    if (p.ptr[i] == ':')
      colon = i;
  // Published on the host, unless only on its loopback address.
  *published = colon >= 0 && !loopback(p);
  small_int((Str){p.ptr + colon + 1, slash - colon - 1}, 65535, port);
}

// The port goes with the attributes (attrs), its route with the blocks:
// the first usable one is the container's port (the routed one when it is
// published), the other distinct ones its ports.
static void compose_ports(Svc *s, yaml_node_t *ports_v, yaml_node_t *expose, Buf *attrs) {
  Importer *im = s->im;
  int64_t port = 0;
  bool route = false;
  yaml_node_t *lists[2] = {ports_v, expose};
  const char *keys[2] = {"ports", "expose"};
  int64_t *more = NULL;
  int nmore = 0;
  for (int l = 0; l < 2; l++) {
    yaml_node_t *v = lists[l];
    if (!v)
      continue;
    if (v->type != YAML_SEQUENCE_NODE) {
      wrong(im, v, str_c(keys[l]), "a list");
      continue;
    }
    ptrdiff_t items = v->data.sequence.items.top - v->data.sequence.items.start;
    int64_t *grown = new(&im->c->arena, int64_t, nmore + items + 1);
    for (int i = 0; i < nmore; i++)
      grown[i] = more[i];
    more = grown;
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
      yaml_node_t *item = get_node(im, *i);
      int64_t p;
      bool published, udp;
      port_of(s, item, &p, &published, &udp);
      if (udp || p == 0) {
        dropped(s, str_c(keys[l]), item,
                udp ? "the load balancer carries HTTP, not UDP"
                    : "not one port (a range, or a variable): ecsc takes single TCP ports");
      } else if (port == 0) {
        port = p;
        route = published && l == 0;
      } else if (p != port) {
        bool seen = false;
        for (int j = 0; j < nmore && !seen; j++)
          seen = more[j] == p;
        if (!seen)
          more[nmore++] = p;
      }
    }
  }
  if (!port)
    return;
  buf_printf(attrs, "  port = %lld\n", (long long)port);
  if (nmore) {
    buf_puts(attrs, "  ports = [");
    for (int i = 0; i < nmore; i++)
      buf_printf(attrs, "%s%lld", i ? ", " : "", (long long)more[i]);
    buf_puts(attrs, "]\n");
  }
  if (!route)
    return;
  // Published on the host in compose: here, behind the environment's load
  // balancer, under a host name to set.
  im->any_route = true;
  buf_puts(&im->out, "\n  # compose publishes the port; the load balancer routes this host name\n"
                     "  # to it: set yours (or paths = [\"/...\"])\n  route {\n    hosts = [");
  dsl_string(&im->out, str_fmt(&im->c->arena, "%.*s.example.com", S(s->name)));
  buf_puts(&im->out, "]\n  }\n");
}

// A healthcheck value in ECS's range (the ECS API's HealthCheck: interval 5
// to 300 s, timeout 2 to 60 s, retries 1 to 10, startPeriod 0 to 300 s; the
// DSL's schema enforces the same); outside it, the nearest, with a warning.
static int64_t in_range(Svc *s, yaml_node_t *v, const char *key, int64_t x, int64_t lo, int64_t hi,
                        bool duration) {
  if (x >= lo && x <= hi)
    return x;
  int64_t y = x < lo ? lo : hi;
  Arena *a = &s->im->c->arena;
  Str have = duration ? dsl_duration(a, x) : str_fmt(a, "%lld", (long long)x);
  Str got = duration ? dsl_duration(a, y) : str_fmt(a, "%lld", (long long)y);
  Diag *d = diag_at(s->im->c, W0802, node_span(s->im, v), "%s %.*s is outside what ECS takes: %.*s instead",
                    key, S(have), S(got));
  diag_help(s->im->c, d, "ECS takes %s from %s to %s", key,
            str_cstr(a, duration ? dsl_duration(a, lo) : str_fmt(a, "%lld", (long long)lo)),
            str_cstr(a, duration ? dsl_duration(a, hi) : str_fmt(a, "%lld", (long long)hi)));
  return y;
}

static void healthcheck(Svc *s, yaml_node_t *v) {
  Importer *im = s->im;
  if (v->type != YAML_MAPPING_NODE) {
    wrong(im, v, STR("healthcheck"), "a mapping");
    return;
  }
  Pair ps[MAX_PAIRS];
  int n = merged_pairs(im, v, ps, 0, 0);
  yaml_node_t *disable = pair_get(ps, n, "disable"), *test = pair_get(ps, n, "test");
  if ((disable && str_eq_c(scalar_text(disable), "true")) || !test) {
    dropped(s, STR("healthcheck"), v, "disabled, or no test");
    return;
  }
  Buf *o = &im->out;
  Buf cmd = {.arena = &im->c->arena};
  if (is_scalar(test)) {  // a string runs in a shell
    dsl_string(&cmd, scalar_text(test));
  } else if (test->type == YAML_SEQUENCE_NODE && test->data.sequence.items.top > test->data.sequence.items.start) {
    yaml_node_item_t *i = test->data.sequence.items.start;
    Str kind = scalar_text(get_node(im, *i));
    if (model_health_word_disables(kind)) {
      dropped(s, STR("healthcheck"), v, "the test is NONE");
      return;
    }
    if (str_eq_c(kind, "CMD-SHELL") && test->data.sequence.items.top - i == 2) {
      dsl_string(&cmd, scalar_text(get_node(im, i[1])));
    } else if (str_eq_c(kind, "CMD")) {
      buf_putc(&cmd, '[');
      for (yaml_node_item_t *k = i + 1; k < test->data.sequence.items.top; k++) {
        if (k > i + 1)
          buf_puts(&cmd, ", ");
        dsl_string(&cmd, scalar_text(get_node(im, *k)));
      }
      buf_putc(&cmd, ']');
    } else {
      Diag *d = diag_at(im->c, E0805, node_span(im, test), "healthcheck test starts with \"%.*s\"", S(kind));
      diag_help(im->c, d, "start it with \"CMD\", \"CMD-SHELL\" or \"NONE\", as compose requires");
      return;
    }
  } else {
    wrong(im, test, STR("test"), "a string or a list");
    return;
  }
  buf_puts(o, "\n  health {\n    command = ");
  buf_put(o, buf_str(&cmd));
  buf_putc(o, '\n');
  static const struct { const char *key; int64_t lo, hi; } durations[] = {
      {"interval", 5000, 300000},
      {"timeout", 2000, 60000},
      {"start_period", 0, 300000},
  };
  int64_t ms[3] = {-1, -1, -1};
  for (int k = 0; k < countof(durations); k++) {
    yaml_node_t *d = pair_get(ps, n, durations[k].key);
    if (!d)
      continue;
    if (!duration_ms(scalar_text(d), &ms[k])) {
      Diag *e = diag_at(im->c, E0805, node_span(im, d), "expected a duration for \"%s\", found \"%.*s\"",
                        durations[k].key, S(scalar_text(d)));
      diag_help(im->c, e, "write it as compose does: 30s, 1m30s, 500ms");
      ms[k] = -1;
      continue;
    }
    ms[k] = in_range(s, d, durations[k].key, ms[k], durations[k].lo, durations[k].hi, true);
  }
  for (int k = 0; k < countof(durations); k++)
    if (ms[k] >= 0)
      buf_printf(o, "    %s = %.*s\n", durations[k].key, S(dsl_duration(&im->c->arena, ms[k])));
  yaml_node_t *retries = pair_get(ps, n, "retries");
  int64_t r;
  if (retries && small_int(scalar_text(retries), 1000000, &r))
    buf_printf(o, "    retries = %lld\n", (long long)in_range(s, retries, "retries", r, 1, 10, false));
  else if (retries)
    wrong(im, retries, STR("retries"), "a whole number");
  for (int k = 0; k < n; k++)
    if (!str_eq_c(ps[k].key, "test") && !str_eq_c(ps[k].key, "interval") &&
        !str_eq_c(ps[k].key, "timeout") && !str_eq_c(ps[k].key, "start_period") &&
        !str_eq_c(ps[k].key, "retries") && !str_eq_c(ps[k].key, "disable"))
      dropped(s, str_fmt(&im->c->arena, "healthcheck.%.*s", S(ps[k].key)), ps[k].v,
              "ECS's health check has no such setting");
  buf_puts(o, "  }\n");
}

static bool size_attr(Svc *s, yaml_node_t *v, const char *key, Str *out) {
  int64_t bytes;
  if (!size_bytes(scalar_text(v), &bytes) || bytes == 0) {
    Diag *d = diag_at(s->im->c, E0805, node_span(s->im, v), "expected a size for \"%s\", found %s", key,
                      is_scalar(v) ? str_cstr(&s->im->c->arena, str_fmt(&s->im->c->arena, "\"%.*s\"", S(scalar_text(v))))
                                   : shape(v));
    diag_help(s->im->c, d, "write it as compose does: 512m, 1g or a number of bytes");
    return false;
  }
  *out = dsl_size(&s->im->c->arena, bytes);
  return true;
}

// logging: the awslogs driver's stream prefix is the service's logs {
// stream_prefix } (ECS Developer Guide, "Using the awslogs log driver":
// awslogs-stream-prefix names the streams PREFIX/CONTAINER/TASK-ID), kept
// when it is one ecsc takes (schema.c's pattern). ecsc makes the log group
// and writes to the environment's region itself, so the other keys become
// comments; without such a prefix, the whole of logging does.
static void compose_logging(Svc *s, yaml_node_t *v) {
  Importer *im = s->im;
  Pair ps[MAX_PAIRS], os[MAX_PAIRS];
  int n = v->type == YAML_MAPPING_NODE ? merged_pairs(im, v, ps, 0, 0) : 0;
  yaml_node_t *driver = pair_get(ps, n, "driver"), *options = pair_get(ps, n, "options");
  int no = options && options->type == YAML_MAPPING_NODE ? merged_pairs(im, options, os, 0, 0) : 0;
  yaml_node_t *prefix = pair_get(os, no, "awslogs-stream-prefix");
  const SchemaAttr *a = schema_attr(schema_path("service.logs"), STR("stream_prefix"));
  if (!prefix || (driver && !str_eq_c(scalar_text(driver), "awslogs"))) {
    dropped(s, STR("logging"), v, "ecsc sends the logs to CloudWatch (awslogs)");
    return;
  }
  if (!is_scalar(prefix) || !regex_match(im->c, a->pattern, scalar_text(prefix))) {
    dropped(s, STR("logging"), v, "its awslogs-stream-prefix is not one ECS takes (1 to 512 "
                                  "characters, without : or *)");
    return;
  }
  buf_puts(&im->out, "\n  logs {\n    stream_prefix = ");
  dsl_string(&im->out, scalar_text(prefix));
  buf_puts(&im->out, "\n  }\n");
  for (int i = 0; i < n; i++)
    if (!str_eq_c(ps[i].key, "driver") && !str_eq_c(ps[i].key, "options"))
      dropped(s, str_fmt(&im->c->arena, "logging.%.*s", S(ps[i].key)), ps[i].v,
              "ecsc has no equivalent");
  for (int i = 0; i < no; i++) {
    Str key = os[i].key;
    if (str_eq_c(key, "awslogs-stream-prefix"))
      continue;
    const char *why = str_eq_c(key, "awslogs-group")    ? "ecsc makes the service's log group"
                      : str_eq_c(key, "awslogs-region") ? "the logs go to the environment's region"
                      : "write it in the service's log { options = { ... } }, which takes "
                        "awslogs's other options";
    dropped(s, str_fmt(&im->c->arena, "logging.options.%.*s", S(key)), os[i].v, why);
  }
}

// stop_grace_period is ContainerDefinition stopTimeout, whole seconds in an
// Integer (ECS API Reference). "For tasks that use the Fargate launch type,
// the max stop timeout value is 120 seconds": on instances there is no such
// cap. The import cannot know where the service will run (its cluster is for
// the user to review, and may become Fargate), so a longer period is carried
// over with a comment saying so, and lint's E1120 judges it on Fargate.
static void stop_grace_period(Svc *s, yaml_node_t *x) {
  int64_t ms;
  if (!duration_ms(scalar_text(x), &ms)) {
    wrong(s->im, x, STR("stop_grace_period"), "a duration");
    return;
  }
  ms = in_range(s, x, "stop_grace_period", ms, 0, INT32_MAX * 1000LL, true);
  buf_printf(&s->im->out, "  stop_timeout = %.*s\n", S(dsl_duration(&s->im->c->arena, ms)));
  if (ms > 120000)
    buf_puts(&s->comments,
             "  # stop_timeout above 2m: instances take it, Fargate 2m at most (E1120)\n");
}

// deploy: replicas and the memory of resources; the rest is Swarm's.
static void deploy(Svc *s, yaml_node_t *v, Str *memory, Str *reservation, int64_t *count) {
  Importer *im = s->im;
  Pair ps[MAX_PAIRS];
  int n = merged_pairs(im, v, ps, 0, 0);
  for (int i = 0; i < n; i++) {
    yaml_node_t *x = ps[i].v;
    if (str_eq_c(ps[i].key, "replicas") && small_int(scalar_text(x), MAX_TASKS, count))
      continue;
    if (str_eq_c(ps[i].key, "resources") && x->type == YAML_MAPPING_NODE) {
      Pair rs[MAX_PAIRS];
      int nr = merged_pairs(im, x, rs, 0, 0);
      for (int k = 0; k < nr; k++) {
        Pair ls[MAX_PAIRS];
        int nl = merged_pairs(im, rs[k].v, ls, 0, 0);
        bool limits = str_eq_c(rs[k].key, "limits");
        bool reservations = str_eq_c(rs[k].key, "reservations");
        for (int j = 0; j < nl; j++) {
          if (str_eq_c(ls[j].key, "memory") && (limits || reservations)) {
            size_attr(s, ls[j].v, limits ? "deploy.resources.limits.memory"
                                         : "deploy.resources.reservations.memory",
                      limits ? memory : reservation);
          } else {
            dropped(s, str_fmt(&im->c->arena, "deploy.resources.%.*s.%.*s", S(rs[k].key), S(ls[j].key)),
                    ls[j].v, "ecsc reserves CPU with cpu (cpu_shares)");
          }
        }
      }
      continue;
    }
    dropped(s, str_fmt(&im->c->arena, "deploy.%.*s", S(ps[i].key)), x,
            "ECS's deployment settings are deployment { min_healthy, max_percent }");
  }
}

// Compose service names may hold dots; ECS names may not (E0502's rule).
static Str service_name(Importer *im, Str name, yaml_node_t *k) {
  Buf b = {.arena = &im->c->arena};
  for (ptrdiff_t i = 0; i < name.len; i++) {
    char ch = name.ptr[i];
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_';
    if ((ch & 0xC0) != 0x80)  // one - for a whole UTF-8 character
      buf_putc(&b, ok ? ch : '-');
  }
  Str out = buf_str(&b);
  if (str_eq_c(out, "vpc"))  // E0507: the environment's own state is vpc
    out = STR("vpc-service");
  if (!str_eq(out, name)) {
    Diag *d = diag_at(im->c, W0801, node_span(im, k), "service \"%.*s\" becomes \"%.*s\"", S(name), S(out));
    diag_help(im->c, d, "ECS names take letters, digits, - and _, and \"vpc\" names the "
                        "environment's own state");
  }
  return out;
}

static void compose_service(Importer *im, Str compose_name, yaml_node_t *k, yaml_node_t *v) {
  if (!v || v->type != YAML_MAPPING_NODE) {
    wrong(im, v ? v : k, compose_name, "a mapping (the service's settings)");
    return;
  }
  Svc *s = new(&im->c->arena, Svc, 1);
  s->im = im;
  s->name = service_name(im, compose_name, k);
  s->comments = (Buf){.arena = &im->c->arena};
  s->n = merged_pairs(im, v, s->ps, 0, 0);
  Buf body = im->out;  // the service's attributes go to a buffer of their own
  im->out = (Buf){.arena = &im->c->arena};

  yaml_node_t *image = pair_get(s->ps, s->n, "image");
  Str memory = {0}, reservation = {0};
  int64_t count = -1;
  attr(s, "cluster");
  buf_puts(&im->out, "cluster.main\n");
  attr(s, "image");
  if (is_scalar(image) && scalar_text(image).len) {
    // A reference Docker refuses is reported here, at the compose file's
    // line, as lint would report it in the .ecs (check_images.c, E1075).
    // Compose substitutes variables when it runs (Compose file reference,
    // "Interpolation": "Both $VARIABLE and ${VARIABLE} syntax is
    // supported"); the import takes the file as written.
    Str text = scalar_text(image);
    Diag *d = check_images_reference(im->c, text, node_span(im, image));
    if (d && memchr(text.ptr, '$', (size_t)text.len))
      diag_help(im->c, d, "compose substitutes \"$\" variables when it runs, and the import "
                          "takes the file as written: write the image's value");
    dsl_string(&im->out, text);
  } else if (pair_get(s->ps, s->n, "build")) {
    Str placeholder = str_fmt(&im->c->arena, "%.*s:latest", S(s->name));
    dsl_string(&im->out, placeholder);
    Diag *d = diag_at(im->c, W0803, node_span(im, k), "service \"%.*s\" is built, not pulled: its image is "
                      "\"%.*s\" until you name one", S(compose_name), S(placeholder));
    diag_help(im->c, d, "push the image to a registry (ECR) and set image to it");
  } else {
    Diag *d = diag_at(im->c, E0804, node_span(im, k), "service \"%.*s\" has no image", S(compose_name));
    diag_help(im->c, d, "add image: NAME:TAG, the image ECS will pull");
    im->out = body;
    return;
  }
  buf_putc(&im->out, '\n');
  Buf tail = {.arena = &im->c->arena};  // blocks, after the attributes
  for (int i = 0; i < s->n; i++) {
    Str key = s->ps[i].key;
    yaml_node_t *x = s->ps[i].v;
    if (str_eq_c(key, "image") || str_eq_c(key, "ports") || str_eq_c(key, "expose") ||
        (key.len > 2 && !memcmp(key.ptr, "x-", 2)))
      continue;
    if (str_eq_c(key, "command") || str_eq_c(key, "entrypoint")) {
      yaml_strings(s, key, x, str_eq_c(key, "command") ? "command" : "entrypoint");
    } else if (str_eq_c(key, "mem_limit")) {
      size_attr(s, x, "mem_limit", &memory);
    } else if (str_eq_c(key, "mem_reservation")) {
      size_attr(s, x, "mem_reservation", &reservation);
    } else if (str_eq_c(key, "cpu_shares")) {
      // ECS's container cpu is Docker's CpuShares (ContainerDefinition "cpu").
      int64_t cpu;
      if (small_int(scalar_text(x), 262144, &cpu))
        buf_printf(&im->out, "  cpu = %lld\n", (long long)cpu);
      else
        wrong(im, x, key, "a whole number from 0 to 262144");
    } else if (str_eq_c(key, "user") && is_scalar(x)) {
      attr(s, "user");
      dsl_string(&im->out, scalar_text(x));
      buf_putc(&im->out, '\n');
    } else if (str_eq_c(key, "stop_grace_period")) {
      stop_grace_period(s, x);
    } else if (str_eq_c(key, "network_mode") && is_scalar(x) &&
               (str_eq_c(scalar_text(x), "host") || str_eq_c(scalar_text(x), "bridge"))) {
      buf_printf(&im->out, "  network_mode = \"%.*s\"\n", S(scalar_text(x)));
    } else if (str_eq_c(key, "scale") && small_int(scalar_text(x), MAX_TASKS, &count)) {
      continue;
    } else if (str_eq_c(key, "deploy") && x->type == YAML_MAPPING_NODE) {
      deploy(s, x, &memory, &reservation, &count);
    } else if (str_eq_c(key, "environment")) {
      Buf save = im->out;
      im->out = tail;
      compose_environment(s, x);
      tail = im->out;
      im->out = save;
    } else if (str_eq_c(key, "healthcheck")) {
      Buf save = im->out;
      im->out = tail;
      healthcheck(s, x);
      tail = im->out;
      im->out = save;
    } else if (str_eq_c(key, "logging")) {
      Buf save = im->out;
      im->out = tail;
      compose_logging(s, x);
      tail = im->out;
      im->out = save;
    } else {
      const char *why = "ecsc has no equivalent";
      for (int k2 = 0; k2 < countof(not_carried); k2++)
        if (str_eq_c(key, not_carried[k2].key))
          why = not_carried[k2].why;
      if (str_eq_c(key, "depends_on") && x->type == YAML_MAPPING_NODE) {
        // The long form: name each service with its condition.
        Pair ds[MAX_PAIRS];
        int nd = merged_pairs(im, x, ds, 0, 0);
        Buf b = {.arena = &im->c->arena};
        for (int j = 0; j < nd; j++) {
          Pair cs[MAX_PAIRS];
          int nc = merged_pairs(im, ds[j].v, cs, 0, 0);
          yaml_node_t *cond = pair_get(cs, nc, "condition");
          buf_printf(&b, "%s%.*s%s%.*s%s", j ? ", " : "", S(ds[j].key), cond ? " (" : "",
                     S(scalar_text(cond)), cond ? ")" : "");
        }
        Str line = str_fmt(&im->c->arena, "compose \"depends_on\" (%.*s) is not carried over: %s",
                           S(buf_str(&b)), why);
        buf_printf(&s->comments, "  # %.*s\n", S(line));
      } else {
        dropped(s, key, x, why);
      }
    }
  }
  {
    Buf save = im->out;
    im->out = tail;
    compose_ports(s, pair_get(s->ps, s->n, "ports"), pair_get(s->ps, s->n, "expose"), &save);
    tail = im->out;
    im->out = save;
  }
  if (!memory.len) {
    // ECS needs a hard limit or a reservation; the DSL a limit.
    memory = reservation.len ? reservation : STR("512 MiB");
    buf_printf(&s->comments, "  # compose sets no memory limit; ECS needs one: %.*s is a guess\n",
               S(memory));
  }
  buf_printf(&im->out, "  memory = %.*s\n", S(memory));
  if (reservation.len)
    buf_printf(&im->out, "  memory_reservation = %.*s\n", S(reservation));
  if (count >= 0)
    buf_printf(&im->out, "  count = %lld\n", (long long)count);

  Buf svc = im->out;
  im->out = body;
  buf_puts(&im->out, "\nservice ");
  dsl_string(&im->out, s->name);
  buf_puts(&im->out, " {\n");
  buf_put(&im->out, buf_str(&s->comments));
  if (s->comments.len)
    buf_putc(&im->out, '\n');
  buf_put(&im->out, buf_str(&svc));
  buf_put(&im->out, buf_str(&tail));
  buf_puts(&im->out, "}\n");
}

//
// The file
//

static void yaml_problem(Importer *im, yaml_parser_t *y) {
  Span span = {im->src, 0, 0};
  if (y->error == YAML_READER_ERROR) {
    span.start = span.end = (int32_t)y->problem_offset;  // a byte offset, unlike marks
  } else {
    span.start = span.end = offset(im, y->problem_mark.index);
  }
  Diag *d = diag_at(im->c, E0801, span, "invalid YAML: %s", y->problem ? y->problem : "error");
  if (y->context && y->error != YAML_READER_ERROR) {
    int32_t ctx = offset(im, y->context_mark.index);
    diag_note(im->c, d, (Span){im->src, ctx, ctx}, "%s", y->context);
  }
}

// Whether the file nests mappings and lists at most MAX_NESTING deep, read
// as events before libyaml loads it: past the limit, E0204 and the file is
// not loaded. Loading a file of "[" nested millions deep would take hours,
// since libyaml's scanner visits the potential simple key of every open flow
// level on each token (libyaml 0.2.5, src/scanner.c:
// yaml_parser_fetch_more_tokens, yaml_parser_stale_simple_keys); stopped at
// the limit, that is at most about MAX_NESTING visits a token. A YAML error
// is left to the load, which reports it.
static bool nesting_ok(Importer *im) {
  yaml_parser_t y;
  yaml_event_t ev;
  if (!yaml_parser_initialize(&y))
    return true;
  yaml_parser_set_input_string(&y, (const unsigned char *)im->src->text.ptr,
                               (size_t)im->src->text.len);
  int depth = 0;
  bool ok = true, more = true;
  while (ok && more && yaml_parser_parse(&y, &ev)) {
    more = ev.type != YAML_STREAM_END_EVENT;
    if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
      depth--;
    if ((ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) &&
        ++depth > MAX_NESTING) {
      int32_t at = offset(im, ev.start_mark.index);
      Diag *d = diag_at(im->c, E0204, (Span){im->src, at, at + 1},
                        "nesting too deep (more than %d levels): the file is not read",
                        MAX_NESTING);
      diag_help(im->c, d, "flatten the structure: compose files nest a few levels");
      ok = false;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&y);
  return ok;
}

// The project and the environment every service needs: values to review.
static void skeleton(Importer *im, Str project, Buf *services) {
  Buf *o = &im->out;
  buf_printf(o, "# Imported by `ecsc import compose` from\n#   %.*s\n"
                "# Review the project, the environment (region, state bucket, network,\n"
                "# cluster size) and each comment that names a compose key not carried over.\n",
             S(im->src->path));
  buf_puts(o, "project ");
  dsl_string(o, project);
  buf_puts(o, " {\n  region = \"us-east-1\"\n\n  state {\n    bucket = ");
  dsl_string(o, str_fmt(&im->c->arena, "%.*s-terraform-state", S(project)));
  buf_puts(o, "\n  }\n}\n\n"
              "environment \"production\" {\n"
              "  vpc {\n"
              "    cidr = 10.0.0.0/16\n"
              "    azs = [\"us-east-1a\", \"us-east-1b\"]\n"
              "    public_subnets = [10.0.0.0/24, 10.0.1.0/24]\n"
              "    private_subnets = [10.0.10.0/24, 10.0.11.0/24]\n"
              "  }\n");
  if (im->any_route)
    buf_puts(o, "\n  alb {}\n");
  buf_puts(o, "\n  cluster \"main\" {\n"
              "    instance_type = \"t3.medium\"\n"
              "    size = 2\n"
              "  }\n}\n");
  buf_put(o, buf_str(services));
}

// A project name from compose's `name`, else the file's directory: lowercase
// letters, digits and hyphens, as the state bucket's name needs.
static Str project_name(Importer *im, yaml_node_t *name) {
  Str from = scalar_text(name);
  if (!from.len) {
    Str path = im->src->path;
    ptrdiff_t end = path.len;
    while (end > 0 && path.ptr[end - 1] != '/')
      end--;
    ptrdiff_t beg = end > 0 ? end - 1 : 0;
    while (beg > 0 && path.ptr[beg - 1] != '/')
      beg--;
    from = end > 0 ? (Str){path.ptr + beg, end - 1 - beg} : (Str){0};
  }
  Buf b = {.arena = &im->c->arena};
  for (ptrdiff_t i = 0; i < from.len && b.len < 40; i++) {
    char ch = from.ptr[i];
    if (ch >= 'A' && ch <= 'Z')
      ch = (char)(ch + 32);
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ok || (b.len && b.ptr[b.len - 1] != '-'))
      buf_putc(&b, ok ? ch : '-');
  }
  while (b.len && b.ptr[b.len - 1] == '-')
    b.len--;
  return b.len >= 3 && b.ptr[0] >= 'a' ? buf_str(&b) : STR("app");
}

Str import_compose(Compilation *c, Source *src) {
  Importer im = {.c = c, .src = src, .out = {.arena = &c->arena}};
  rewind_cursor(&im);
  yaml_parser_t y;
  yaml_parser_initialize(&y);
  yaml_parser_set_input_string(&y, (const unsigned char *)src->text.ptr, (size_t)src->text.len);
  Str result = {0};
  if (!nesting_ok(&im))
    goto out_parser;
  if (!yaml_parser_load(&y, &im.doc)) {
    yaml_problem(&im, &y);
    goto out_parser;
  }
  yaml_node_t *root = yaml_document_get_root_node(&im.doc);
  if (!root || root->type != YAML_MAPPING_NODE) {
    Span span = root ? node_span(&im, root) : (Span){src, 0, 0};
    Diag *d = diag_at(c, E0802, span, "not a compose file: expected a mapping with \"services\", "
                      "found %s", root ? shape(root) : "an empty file");
    diag_help(c, d, "a compose file starts with services: and a service per key");
    goto out_document;
  }
  Pair top[MAX_PAIRS];
  int n = merged_pairs(&im, root, top, 0, 0);
  yaml_node_t *services = pair_get(top, n, "services");
  if (!services || services->type != YAML_MAPPING_NODE) {
    Diag *d = diag_at(c, E0802, services ? node_span(&im, services) : node_span(&im, root),
                      "not a compose file: %s", services ? "\"services\" is not a mapping"
                                                         : "no \"services\"");
    diag_help(c, d, "a compose file has services: and a service per key");
    goto out_document;
  }
  Buf svcs = {.arena = &c->arena};
  Buf top_notes = {.arena = &c->arena};
  for (int i = 0; i < n; i++) {
    Str key = top[i].key;
    if (str_eq_c(key, "services") || str_eq_c(key, "name"))
      continue;
    const char *why = str_eq_c(key, "version") ? "obsolete in compose itself"
                      : key.len > 2 && !memcmp(key.ptr, "x-", 2)
                          ? "an extension field: read where a service merges it (<<)"
                          : "ecsc has no equivalent";
    for (int k = 0; k < countof(not_carried); k++)
      if (str_eq_c(key, not_carried[k].key))
        why = not_carried[k].why;
    buf_printf(&top_notes, "# compose \"%.*s\" is not carried over: %s\n", S(key), why);
  }
  im.out = svcs;
  yaml_node_pair_t *p;
  for (p = services->data.mapping.pairs.start; p < services->data.mapping.pairs.top; p++) {
    yaml_node_t *k = get_node(&im, p->key);
    if (!is_scalar(k) || str_eq_c(scalar_text(k), "<<"))
      continue;
    compose_service(&im, scalar_text(k), k, get_node(&im, p->value));
  }
  svcs = im.out;
  if (services->data.mapping.pairs.top == services->data.mapping.pairs.start) {
    Diag *d = diag_at(c, E0802, node_span(&im, services), "not a compose file: no service in \"services\"");
    diag_help(c, d, "add a service: services: { web: { image: nginx:1.27 } }");
  }
  if (c->nerrors)
    goto out_document;
  im.out = (Buf){.arena = &c->arena};
  skeleton(&im, project_name(&im, pair_get(top, n, "name")), &svcs);
  if (top_notes.len) {
    buf_putc(&im.out, '\n');
    buf_put(&im.out, buf_str(&top_notes));
  }
  result = buf_str(&im.out);
out_document:
  yaml_document_delete(&im.doc);
out_parser:
  yaml_parser_delete(&y);
  return result;
}
