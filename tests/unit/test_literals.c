// tests/unit/test_literals.c: table tests of the typed literals and of how
// literal_scan finds them (literal.c), of how the lexer splits and types them
// (lexer.c), of "did you mean" (diag.c), and that every agent key is judged by
// its form (check_agent.c). Each table row is an input and what it must give.
// Ends with one line "unit: N passed, N failed", which tests/run.sh adds to
// its count.
#include "model.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

static void expect(bool ok, const char *what, const char *input) {
  if (ok) {
    passed++;
  } else {
    failed++;
    printf("FAIL %s: %s\n", what, input);
  }
}

static void test_cidr(void) {
  static const struct {
    const char *text;
    LitError want;
    uint32_t addr;
    int prefix;
  } cases[] = {
      {"10.0.0.0/16", LIT_OK, 0x0A000000, 16},
      {"0.0.0.0/0", LIT_OK, 0, 0},
      {"255.255.255.255/32", LIT_OK, 0xFFFFFFFF, 32},
      {"192.168.1.0/24", LIT_OK, 0xC0A80100, 24},
      {"10.0.0.0/8", LIT_OK, 0x0A000000, 8},
      {"172.16.0.0/12", LIT_OK, 0xAC100000, 12},
      {"10.0.0.1/32", LIT_OK, 0x0A000001, 32},
      {"10.0.0.300/24", LIT_BAD_OCTET, 0, 0},
      {"256.0.0.0/8", LIT_BAD_OCTET, 0, 0},
      {"10.0.0.300/33", LIT_BAD_OCTET, 0, 0},
      {"010.0.0.0/8", LIT_LEADING_ZERO, 0, 0},  // octal to some tools
      {"10.00.0.0/16", LIT_LEADING_ZERO, 0, 0},
      {"1000.0.0.0/8", LIT_BAD_OCTET, 0, 0},
      {"10.0.0.0/33", LIT_BAD_PREFIX, 0, 0},
      {"10.0.0.0/100", LIT_BAD_PREFIX, 0, 0},
      {"10.0.0.0/016", LIT_SYNTAX, 0, 0},
      {"10.0.0.0", LIT_NO_PREFIX, 0, 0},
      {"10.0.1.7/24", LIT_HOST_BITS, 0x0A000100, 24},  // *out holds the network
      {"10.0.0.1/0", LIT_HOST_BITS, 0, 0},
      {"10.0.0/24", LIT_SYNTAX, 0, 0},
      {"10.0.0.0.0/24", LIT_SYNTAX, 0, 0},
      {"10.0.0.0/", LIT_SYNTAX, 0, 0},
      {"10..0.0/8", LIT_SYNTAX, 0, 0},
      {"10.0.0.0/2x", LIT_SYNTAX, 0, 0},
      {"", LIT_SYNTAX, 0, 0},
  };
  for (int i = 0; i < countof(cases); i++) {
    Cidr c = {0};
    LitError e = literal_cidr(str_c(cases[i].text), &c);
    bool ok = e == cases[i].want;
    if (ok && (e == LIT_OK || e == LIT_HOST_BITS))
      ok = c.addr == cases[i].addr && c.prefix == cases[i].prefix;
    expect(ok, "literal_cidr", cases[i].text);
  }
}

static void test_int(void) {
  static const struct {
    const char *text;
    LitError want;
    int64_t value;
  } cases[] = {
      {"0", LIT_OK, 0},
      {"42", LIT_OK, 42},
      {"-1", LIT_OK, -1},
      {"9223372036854775807", LIT_OK, INT64_MAX},
      {"-9223372036854775807", LIT_OK, -INT64_MAX},
      {"9223372036854775808", LIT_OVERFLOW, 0},
      {"99999999999999999999", LIT_OVERFLOW, 0},
      {"", LIT_SYNTAX, 0},
      {"-", LIT_SYNTAX, 0},
      {"1x", LIT_SYNTAX, 0},
  };
  for (int i = 0; i < countof(cases); i++) {
    int64_t v = -7;
    LitError e = literal_int(str_c(cases[i].text), &v);
    expect(e == cases[i].want && (e != LIT_OK || v == cases[i].value), "literal_int",
           cases[i].text);
  }
}

static void test_duration(void) {
  static const struct {
    const char *number, *unit;
    LitError want;
    int64_t ms;
  } cases[] = {
      {"5", "s", LIT_OK, 5000},
      {"0", "s", LIT_OK, 0},
      {"250", "ms", LIT_OK, 250},
      {"2", "m", LIT_OK, 120000},
      {"1", "h", LIT_OK, 3600000},
      {"30", "d", LIT_OK, 30LL * 86400000},
      {"5", "x", LIT_BAD_UNIT, 0},
      {"5", "S", LIT_BAD_UNIT, 0},     // units are case-sensitive
      {"5", "sec", LIT_BAD_UNIT, 0},
      {"5", "min", LIT_BAD_UNIT, 0},
      {"9223372036854775807", "d", LIT_OVERFLOW, 0},
      {"9223372036854775807", "ms", LIT_OK, INT64_MAX},
  };
  for (int i = 0; i < countof(cases); i++) {
    int64_t v = -7;
    LitError e = literal_duration(str_c(cases[i].number), str_c(cases[i].unit), &v);
    expect(e == cases[i].want && (e != LIT_OK || v == cases[i].ms), "literal_duration",
           cases[i].unit);
  }
}

static void test_size(void) {
  static const struct {
    const char *number, *unit;
    LitError want;
    int64_t bytes;
  } cases[] = {
      {"512", "MiB", LIT_OK, 512LL << 20},
      {"1", "GiB", LIT_OK, 1LL << 30},
      {"1", "KiB", LIT_OK, 1024},
      {"2", "TiB", LIT_OK, 2LL << 40},
      {"0", "MiB", LIT_OK, 0},
      {"512", "MB", LIT_DECIMAL_UNIT, 0},
      {"1", "GB", LIT_DECIMAL_UNIT, 0},
      {"1", "kB", LIT_DECIMAL_UNIT, 0},
      {"1", "B", LIT_DECIMAL_UNIT, 0},
      {"1", "mib", LIT_BAD_UNIT, 0},
      {"1", "Mi", LIT_BAD_UNIT, 0},
      {"9000000", "TiB", LIT_OVERFLOW, 0},
  };
  for (int i = 0; i < countof(cases); i++) {
    int64_t v = -7;
    LitError e = literal_size(str_c(cases[i].number), str_c(cases[i].unit), &v);
    expect(e == cases[i].want && (e != LIT_OK || v == cases[i].bytes), "literal_size",
           cases[i].unit);
  }
}

// literal_scan finds the literal a text starts with: its kind, its extent
// (valid or not: the lexer resumes after it), its value, and what is wrong.
// A values file takes a plain scalar as a literal only when it is exactly
// one valid literal, so "5#x" (a comment to the lexer) stays a string.
static void test_scan(void) {
  static const struct {
    const char *text;
    LitKind kind;
    LitError error;
    ptrdiff_t len;
    int64_t value;   // for integer-valued kinds
    const char *unit;
  } cases[] = {
      {"42", LK_INT, LIT_OK, 2, 42, ""},
      {"-3", LK_INT, LIT_OK, 2, -3, ""},
      {"007", LK_INT, LIT_OK, 3, 7, ""},
      {"42 apples", LK_INT, LIT_OK, 2, 42, ""},
      {"5#x", LK_INT, LIT_OK, 1, 5, ""},
      {"5 // x", LK_INT, LIT_OK, 1, 5, ""},
      {"99999999999999999999", LK_INT, LIT_OVERFLOW, 20, 0, ""},
      {"50%", LK_PERCENT, LIT_OK, 3, 50, ""},
      {"-5%", LK_PERCENT, LIT_OK, 3, -5, ""},
      {"99999999999999999999%", LK_PERCENT, LIT_OVERFLOW, 21, 0, ""},
      {"30s", LK_DURATION, LIT_OK, 3, 30000, "s"},
      {"100ms", LK_DURATION, LIT_OK, 5, 100, "ms"},
      {"7d", LK_DURATION, LIT_OK, 2, 7LL * 86400000, "d"},
      {"9223372036854775807d", LK_DURATION, LIT_OVERFLOW, 20, 0, "d"},
      {"5sec", LK_DURATION, LIT_BAD_UNIT, 4, 0, "sec"},
      {"5x", LK_DURATION, LIT_BAD_UNIT, 2, 0, "x"},
      {"0x10", LK_DURATION, LIT_BAD_UNIT, 4, 0, "x10"},
      {"-5s", LK_DURATION, LIT_NEGATIVE, 3, 0, "s"},
      {"30 s", LK_DURATION, LIT_SPACED, 4, 0, "s"},
      {"5 m = 1", LK_INT, LIT_OK, 1, 5, ""},      // m names the next attribute
      {"512 MiB", LK_SIZE, LIT_OK, 7, 512LL << 20, "MiB"},
      {"512MiB", LK_SIZE, LIT_OK, 6, 512LL << 20, "MiB"},
      {"512 \t GiB", LK_SIZE, LIT_OK, 9, 512LL << 30, "GiB"},
      {"512 MiB = 3", LK_INT, LIT_OK, 3, 512, ""},  // MiB names the next attribute
      {"512 MB", LK_SIZE, LIT_DECIMAL_UNIT, 6, 0, "MB"},
      {"512 mib", LK_SIZE, LIT_BAD_UNIT, 7, 0, "mib"},
      {"512mb", LK_SIZE, LIT_BAD_UNIT, 5, 0, "mb"},
      {"512MB", LK_SIZE, LIT_DECIMAL_UNIT, 5, 0, "MB"},
      {"5b", LK_SIZE, LIT_BAD_UNIT, 2, 0, "b"},
      {"5 k", LK_SIZE, LIT_BAD_UNIT, 3, 0, "k"},
      {"5 K", LK_SIZE, LIT_DECIMAL_UNIT, 3, 0, "K"},
      {"5 k = 1", LK_INT, LIT_OK, 1, 5, ""},      // k names the next attribute
      {"5 b", LK_INT, LIT_OK, 1, 5, ""},          // no size unit after blanks
      {"-5 MiB", LK_SIZE, LIT_NEGATIVE, 6, 0, "MiB"},
      {"-5MiB", LK_SIZE, LIT_NEGATIVE, 5, 0, "MiB"},
      {"9000000 TiB", LK_SIZE, LIT_OVERFLOW, 11, 0, "TiB"},
      {"10.0.0.0/16", LK_CIDR, LIT_OK, 11, 0, ""},
      {"10.0.0.1/16", LK_CIDR, LIT_HOST_BITS, 11, 0, ""},
      {"10.0.0.0/16x", LK_CIDR, LIT_SYNTAX, 12, 0, ""},
      {"10.0.0.0", LK_CIDR, LIT_NO_PREFIX, 8, 0, ""},
      {"1.4.2", LK_CIDR, LIT_SYNTAX, 5, 0, ""},
      {"1.5", LK_INT, LIT_FRACTION, 3, 0, ""},
      {"1.5s", LK_INT, LIT_FRACTION, 4, 0, ""},
      {"2.5%", LK_PERCENT, LIT_OK, 4, 25, ""},       // tenths of a percent
      {"0.1%", LK_PERCENT, LIT_OK, 4, 1, ""},
      {"-0.5%", LK_PERCENT, LIT_OK, 5, -5, ""},
      {"100.0%", LK_PERCENT, LIT_OK, 6, 1000, ""},
      {"922337203685477580.7%", LK_PERCENT, LIT_OVERFLOW, 21, 0, ""},
      {"2.55%", LK_INT, LIT_FRACTION, 5, 0, ""},     // one decimal at most
      {"2.5%x", LK_INT, LIT_FRACTION, 5, 0, ""},
      {"1.5 GiB", LK_INT, LIT_FRACTION, 7, 0, ""},
      {"true", LK_NONE, LIT_OK, 0, 0, ""},       // a name to the lexer
      {"nginx", LK_NONE, LIT_OK, 0, 0, ""},
      {"-", LK_NONE, LIT_OK, 0, 0, ""},
      {"-x", LK_NONE, LIT_OK, 0, 0, ""},
      {".5", LK_NONE, LIT_OK, 0, 0, ""},
      {"", LK_NONE, LIT_OK, 0, 0, ""},
  };
  for (int i = 0; i < countof(cases); i++) {
    Literal lit = literal_scan(str_c(cases[i].text));
    bool ok = lit.kind == cases[i].kind && lit.error == cases[i].error && lit.len == cases[i].len &&
              str_eq_c(lit.unit, cases[i].unit);
    if (ok && lit.error == LIT_OK && lit.kind != LK_CIDR)
      ok = lit.v.i == cases[i].value;
    // one decimal: tenths; whole percentages (and everything else): not
    ok = ok && lit.tenths == (lit.kind == LK_PERCENT && strchr(cases[i].text, '.') != NULL);
    expect(ok, "literal_scan", cases[i].text);
  }
  Literal lit = literal_scan(STR("10.0.1.7/24"));
  expect(lit.kind == LK_CIDR && lit.error == LIT_HOST_BITS && lit.v.cidr.addr == 0x0A000100 &&
             lit.v.cidr.prefix == 24,
         "literal_scan: the network of a CIDR with host bits", "10.0.1.7/24");
}

// The lexer decides where a literal ends and which kind it is; a bad literal
// is one error token and one diagnostic, never a cascade.
static void test_lexer(void) {
  static const struct {
    const char *text;
    TokenKind kind;
    int64_t value;  // for integer-valued kinds
    int errors;
  } cases[] = {
      {"42", TK_INT, 42, 0},
      {"-3", TK_INT, -3, 0},
      {"512 MiB", TK_SIZE, 512LL << 20, 0},
      {"512MiB", TK_SIZE, 512LL << 20, 0},
      {"512\tGiB", TK_SIZE, 512LL << 30, 0},
      {"512 MB", TK_ERROR, 0, 1},
      {"512 mib", TK_ERROR, 0, 1},
      {"1GB", TK_ERROR, 0, 1},
      {"30s", TK_DURATION, 30000, 0},
      {"5m", TK_DURATION, 300000, 0},
      {"100ms", TK_DURATION, 100, 0},
      {"5x", TK_ERROR, 0, 1},
      {"12abc", TK_ERROR, 0, 1},
      {"-5s", TK_ERROR, 0, 1},
      {"50%", TK_PERCENT, 50, 0},
      {"0%", TK_PERCENT, 0, 0},
      {"10.0.0.0/16", TK_CIDR, 0, 0},
      {"10.0.0.300/33", TK_ERROR, 0, 1},
      {"10.0.0.0/16x", TK_ERROR, 0, 1},
      {"1.5", TK_ERROR, 0, 1},
      {"1.5s", TK_ERROR, 0, 1},
      {"2.5%", TK_PERCENT, 25, 0},
      {"2.55%", TK_ERROR, 0, 1},
      {"12.25", TK_ERROR, 0, 1},
      {"'web'", TK_ERROR, 0, 1},
      {"\"a\\", TK_ERROR, 0, 1},
      {"\"\\u00e\"", TK_ERROR, 0, 1},
      {"\"\\uD800\\uDC00\"", TK_ERROR, 0, 1},
      {"99999999999999999999", TK_ERROR, 0, 1},
      {"cluster-a", TK_IDENT, 0, 0},
      {"_x", TK_IDENT, 0, 0},
      {"\"a\\tb\"", TK_STRING, 0, 0},
      {"\"\\u00e9\"", TK_STRING, 0, 0},
      {"\"\\q\"", TK_ERROR, 0, 1},
      {"\"\\uD800\"", TK_ERROR, 0, 1},
      {"\"open", TK_ERROR, 0, 1},
      {"@", TK_ERROR, 0, 1},
      {"@@@", TK_ERROR, 0, 1},
  };
  for (int i = 0; i < countof(cases); i++) {
    Compilation c;
    comp_init(&c);
    Source *src = comp_add_source(&c, STR("t.ecs"), str_c(cases[i].text));
    TokenList tl = lex(&c, src);
    bool ok = tl.ntokens == 2 && tl.tokens[0].kind == cases[i].kind &&
              c.nerrors == cases[i].errors;
    if (ok && (cases[i].kind == TK_INT || cases[i].kind == TK_SIZE ||
               cases[i].kind == TK_DURATION || cases[i].kind == TK_PERCENT))
      ok = tl.tokens[0].v.i == cases[i].value;
    if (ok && cases[i].kind != TK_ERROR)
      ok = tl.tokens[0].end == (int32_t)strlen(cases[i].text);
    expect(ok, "lex", cases[i].text);
    comp_free(&c);
  }
}

static void test_string_decoding(void) {
  Compilation c;
  comp_init(&c);
  Source *src = comp_add_source(&c, STR("t.ecs"), str_c("\"a\\\"b\\\\c\\n\\u00e9\\u20ac\""));
  TokenList tl = lex(&c, src);
  expect(tl.tokens[0].kind == TK_STRING && str_eq_c(tl.tokens[0].text, "a\"b\\c\n\xC3\xA9\xE2\x82\xAC"),
         "string escapes", "a\\\"b\\\\c\\n\\u00e9\\u20ac");
  comp_free(&c);
}

static void test_did_you_mean(void) {
  static const Str names[] = {STR_INIT("cluster-a"), STR_INIT("cluster-b"), STR_INIT("memory"),
                              STR_INIT("interval")};
  static const struct {
    const char *wrong, *want;
  } cases[] = {
      {"memmory", "memory"},
      {"intervl", "interval"},
      {"inetrval", "interval"},      // a transposition is one edit
      {"cluster-c", "cluster-a"},    // a tie: alphabetical
      {"zzz", ""},
      {"", ""},
  };
  for (int i = 0; i < countof(cases); i++) {
    Str got = diag_closest(str_c(cases[i].wrong), names, countof(names));
    expect(str_eq_c(got, cases[i].want), "diag_closest", cases[i].wrong);
  }
}

// W1210's "did you mean" for FireLens output names (model.c,
// model_fluent_output_near): every output fluent-bit has (fluent/fluent-bit
// d55459d4, the .name of each plugins/out_*) is either an AWS output ecsc
// knows or near none of them, so a real third-party output is never taken
// for a typo; a typo in any case is.
static void test_fluent_output_near(void) {
  static const char *const fluent_bit[] = {
      "azure", "azure_blob", "azure_kusto", "azure_logs_ingestion", "bigquery", "calyptia",
      "chronicle", "cloudwatch_logs", "counter", "datadog", "es", "exit", "file", "flowcounter",
      "forward", "gcs", "gelf", "http", "influxdb", "kafka", "kafka-rest", "kinesis_firehose",
      "kinesis_streams", "lib", "logdna", "loki", "nats", "nrlogs", "null", "opensearch",
      "opentelemetry", "oracle_log_analytics", "pgsql", "plot", "prometheus_exporter",
      "prometheus_remote_write", "retry", "s3", "skywalking", "slack", "splunk", "stackdriver",
      "stdout", "syslog", "tcp", "td", "udp", "vivo_exporter", "websocket",
  };
  Compilation c;
  comp_init(&c);
  for (int i = 0; i < countof(fluent_bit); i++) {
    Str name = str_c(fluent_bit[i]);
    bool ok = model_fluent_output(name) || !model_fluent_output_near(&c.arena, name).len;
    expect(ok, "a fluent-bit output is no typo of an AWS one", fluent_bit[i]);
  }
  static const struct {
    const char *wrong, *want;
  } typos[] = {
      {"cloudwatch_logz", "cloudwatch_logs"},
      {"CloudWatch_Log", "cloudwatch_logs"},
      {"kinesis_stream", "kinesis_streams"},
      {"firehouse", "firehose"},
      {"s4", "s3"},
  };
  for (int i = 0; i < countof(typos); i++)
    expect(str_eq_c(model_fluent_output_near(&c.arena, str_c(typos[i].wrong)), typos[i].want),
           "model_fluent_output_near", typos[i].wrong);
  comp_free(&c);
}

// A message longer than 128 bytes is formatted by diag.c's own walk of its
// format, which cuts long strings: it must give what printf gives for every
// other conversion, cut every string argument at 128 bytes, quoted or not (a
// value of the user's), and one the format bounds itself at that bound
// ("%.1024s", a text of ecsc's own). diag_fmt composes a text the same way.
static void test_diag_cut(void) {
  char pad[200], big[3000];
  memset(pad, 'p', sizeof pad - 1);
  pad[sizeof pad - 1] = 0;
  memset(big, 'b', sizeof big - 1);
  big[sizeof big - 1] = 0;
  Compilation c;
  comp_init(&c);
  diag_at(&c, E0565, (Span){0}, "%.200s %d %lld %td %c %02X %u %zu %% %.3s %5d|%-4s|%.*s", pad, -7,
          (long long)1 << 40, (ptrdiff_t)-3, 'q', 10, 4000000000u, (size_t)9, "abcdef", 42, "ab",
          3, "xyzw");
  Str want = str_fmt(&c.arena, "%s -7 1099511627776 -3 q 0A 4000000000 9 %% abc    42|ab  |xyz", pad);
  expect(c.diags && str_eq(c.diags->message, want), "diag_at formats as printf", "conversions");
  diag_at(&c, E0565, (Span){0}, "value \"%.*s\" is long", 3000, big);
  Str quoted = c.diags && c.diags->next ? c.diags->next->message : (Str){0};
  want = str_fmt(&c.arena, "value \"%.85s...%.40s\" (2999 bytes, cut) is long", big, big);
  expect(str_eq(quoted, want), "diag_at cuts a quoted value", "3000 bytes");
  diag_at(&c, E0565, (Span){0}, "help: write %s", big);
  Str bare = c.diags && c.diags->next && c.diags->next->next ? c.diags->next->next->message : (Str){0};
  want = str_fmt(&c.arena, "help: write %.85s...%.40s (2999 bytes, cut)", big, big);
  expect(str_eq(bare, want), "diag_at cuts an unquoted value at 128 bytes", "3000 bytes");
  Diag *text = diag_at(&c, E0565, (Span){0}, "help: %.1024s", big);
  expect(text->message.len == 6 + 1024 + 18 && str_starts_with(text->message, STR("help: bbb")) &&
             strstr(text->message.ptr, "b...b") && strstr(text->message.ptr, "b (2999 bytes, cut)"),
         "diag_at cuts a text at its format's bound", "3000 bytes");
  const char *phrase = diag_fmt(&c.arena, "in service \"%s\"", big);
  want = str_fmt(&c.arena, "in service \"%.85s...%.40s\" (2999 bytes, cut)", big, big);
  expect(str_eq_c(want, phrase), "diag_fmt cuts a value", "3000 bytes");
  phrase = diag_fmt(&c.arena, "in service \"%s\"", "\xc3\xa9\xc3\xa9");
  expect(!strcmp(phrase, "in service \"\xc3\xa9\xc3\xa9\""), "diag_fmt", "short");
  comp_free(&c);
}

// Every agent key the schema allows is one of agent_keys.h, and check_agent.c
// judges it by its form: a value no typed form takes ("?") is an error,
// free text is not, a key ecsc writes is refused, one that does nothing on
// Linux is a warning. A key with a Bottlerocket setting has its TOML type.
static void test_agent_forms(void) {
  const SchemaAttr *agent = schema_attr(schema_path("environment.cluster"), STR("agent"));
  expect(agent && agent->keys, "schema", "environment.cluster.agent has keys");
  for (int i = 0; agent && agent->keys && agent->keys[i]; i++) {
    const AgentKey *f = agent_key(str_c(agent->keys[i]));
    expect(f != NULL, "an agent key of the schema in agent_keys.h", agent->keys[i]);
    if (!f)
      continue;
    expect(!f->bottlerocket || f->toml != TOML_NONE, "a Bottlerocket setting with a type",
           agent->keys[i]);
    Compilation c;
    comp_init(&c);
    KeyValue kv = {.name = str_c(agent->keys[i]), .value = STR("?")};
    Cluster k = {.name = STR("main"), .agent = &kv, .nagent = 1};
    check_agent(&c, &k);
    DiagCode want = f->form == AGENT_OWNED       ? E0566
                    : f->form == AGENT_NOT_LINUX ? W0562
                    : f->form == AGENT_STRING    ? 0
                                                 : E0565;
    bool ok = want ? c.diags && c.diags->code == want : c.diags == NULL;
    if (f->form == AGENT_CREDENTIALS)  // a warning for the key, an error for the value
      ok = c.diags && c.diags->code == W0563 && c.diags->next && c.diags->next->code == E0565;
    expect(ok, "an agent key judged by its form", agent->keys[i]);
    comp_free(&c);
  }
}

void test_iam(int *passed, int *failed);     // test_iam.c
void test_schema(int *passed, int *failed);  // test_schema.c
void test_images(int *passed, int *failed);  // test_images.c
void test_partitions(int *passed, int *failed);  // test_partitions.c
void test_derive(int *passed, int *failed);      // test_derive.c

int main(void) {
  test_cidr();
  test_int();
  test_duration();
  test_size();
  test_scan();
  test_lexer();
  test_string_decoding();
  test_did_you_mean();
  test_fluent_output_near();
  test_diag_cut();
  test_agent_forms();
  test_iam(&passed, &failed);
  test_schema(&passed, &failed);
  test_images(&passed, &failed);
  test_partitions(&passed, &failed);
  test_derive(&passed, &failed);
  printf("unit: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
