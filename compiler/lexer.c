// lexer.c: turns a source file into tokens, one at a time as the parser asks
// (lex_next), and, for fmt, a side list of comments.
// Newlines are not tokens (attributes may share a line), but the lexer notes
// which tokens start a line, the parser's resynchronisation points, and where
// blank lines were, which fmt keeps. Numbers, percentages, durations, sizes
// and CIDR blocks are found by literal_scan (literal.c), the one place that
// knows their shapes; a malformed one is worded here once and becomes a
// TK_ERROR token the parser passes over without a second word.
#include "syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char peek(Lexer *l, int ahead) {
  return l->pos + ahead < l->len ? l->text[l->pos + ahead] : 0;
}

static Span span(Lexer *l, int32_t start, int32_t end) {
  return (Span){l->src, start, end};
}

// Makes the token the lexer hands out next. Exactly one per call of
// lex_next, but for a run of unexpected characters, which makes one for the
// whole run.
static Token *push(Lexer *l, TokenKind kind, int32_t start) {
  Token *t = &l->tok;
  *t = (Token){.kind = kind, .start = start, .end = l->pos};
  t->line_start = l->newlines > 0 || l->ntokens == 0;
  t->blank_before = l->newlines > 1;
  t->text = (Str){l->text + start, l->pos - start};
  l->ntokens++;
  l->newlines = 0;
  l->error_run = false;
  l->made = true;
  return t;
}

// Comments are kept only where room was made for them (fmt: lex_comments
// counted them first); otherwise they are skipped, as lint needs none.
static void comment(Lexer *l) {
  int32_t start = l->pos;
  bool own_line = l->newlines > 0 || (l->ntokens == 0 && l->ncomments == 0);
  while (l->pos < l->len && l->text[l->pos] != '\n')
    l->pos++;
  int32_t end = l->pos;
  while (end > start && (l->text[end - 1] == '\r' || l->text[end - 1] == ' ' ||
                         l->text[end - 1] == '\t'))
    end--;
  if (l->comments && l->ncomments < l->cap_comments)
    l->comments[l->ncomments] = (Comment){start, end, own_line, l->newlines > 1};
  l->ncomments++;
  l->newlines = 0;
}

// Skips blanks and comments, counting newlines for line_start and blank_before.
static void skip_space(Lexer *l) {
  while (l->pos < l->len) {
    char ch = l->text[l->pos];
    if (ch == '\n') {
      l->newlines++;
      l->pos++;
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      l->pos++;
    } else if (ch == '#' || (ch == '/' && peek(l, 1) == '/')) {
      comment(l);
    } else {
      return;
    }
  }
}

static int hex_value(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static void put_utf8(Buf *b, uint32_t cp) {
  if (cp < 0x80) {
    buf_putc(b, (char)cp);
  } else if (cp < 0x800) {
    buf_putc(b, (char)(0xC0 | cp >> 6));
    buf_putc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    buf_putc(b, (char)(0xE0 | cp >> 12));
    buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
    buf_putc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

// Reads up to four hex digits at l->pos + at; returns how many it read.
static int hex4(Lexer *l, int at, uint32_t *cp) {
  int n = 0;
  *cp = 0;
  for (int h; n < 4 && (h = hex_value(peek(l, at + n))) >= 0; n++)
    *cp = *cp << 4 | (uint32_t)h;
  return n;
}

// \uXXXX: four hex digits naming a code point. Surrogates are halves of a
// UTF-16 pair, not characters: refused, a pair of them in one error.
static bool unicode_escape(Lexer *l, Buf *b) {
  int32_t at = l->pos;
  uint32_t cp, low;
  int n = hex4(l, 2, &cp);
  if (n < 4) {
    Diag *d = diag_at(l->c, E0103, span(l, at, at + 2 + n), "\\u takes four hex digits");
    diag_help(l->c, d, "write \\u00e9 for \"\xC3\xA9\": exactly four digits 0-9, a-f");
    l->pos += 2 + n;
    return false;
  }
  if (cp == 0) {
    Diag *d = diag_at(l->c, E0103, span(l, at, at + 6), "\\u0000 is not allowed in strings");
    diag_help(l->c, d, "a NUL character cannot reach AWS intact; remove it");
    l->pos += 6;
    return false;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    int32_t end = at + 6;
    if (cp < 0xDC00 && peek(l, 6) == '\\' && peek(l, 7) == 'u' && hex4(l, 8, &low) == 4 &&
        low >= 0xDC00 && low <= 0xDFFF)
      end = at + 12;
    Diag *d = diag_at(l->c, E0103, span(l, at, end),
                      "\\u%04X is a UTF-16 surrogate, not a character", cp);
    diag_help(l->c, d, "write the character itself: ecsc files are UTF-8");
    l->pos = end;
    return false;
  }
  put_utf8(b, cp);
  l->pos += 6;
  return true;
}

// One escape sequence at l->pos (a backslash not at the end of the line).
static bool escape_sequence(Lexer *l, Buf *b) {
  char esc = peek(l, 1);
  const char *simple = strchr("\"\\nrt", esc);
  if (simple) {
    buf_putc(b, "\"\\\n\r\t"[simple - "\"\\nrt"]);
    l->pos += 2;
    return true;
  }
  if (esc == 'u')
    return unicode_escape(l, b);
  int32_t at = l->pos;
  unsigned char first = (unsigned char)esc;
  int width = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
  l->pos += 1 + width;
  Diag *d = diag_at(l->c, E0103, span(l, at, l->pos), "invalid escape sequence \"\\%.*s\"",
                    width, l->text + at + 1);
  diag_help(l->c, d, "escapes are \\\" \\\\ \\n \\r \\t and \\uXXXX; write \\\\ for a backslash");
  return false;
}

static bool line_end(Lexer *l, int ahead) {
  char ch = peek(l, ahead);
  return l->pos + ahead >= l->len || ch == '\n' || (ch == '\r' && peek(l, ahead + 1) == '\n');
}

// The decoded text of a string with escapes is built in the arena from the
// first escape on (its room doubling from what came before); a string
// without one, nearly all of them, is its source text and costs nothing.
static void start_copy(Lexer *l, Buf *b, int32_t from) {
  ptrdiff_t n = l->pos - from;
  b->ptr = new(&l->c->arena, char, n + 17);
  b->cap = n + 16;
  memcpy(b->ptr, l->text + from, (size_t)n);
  b->len = n;
}

// string = '"' { char | escape } '"' ; on one line.
static void string(Lexer *l) {
  int32_t start = l->pos++;
  Buf b = {.arena = &l->c->arena};
  bool ok = true, copying = false;
  for (;;) {
    char ch = peek(l, 0);
    if (line_end(l, 0) || (ch == '\\' && line_end(l, 1))) {
      if (ch == '\\')
        l->pos++;
      Diag *d = diag_at(l->c, E0102, span(l, start, l->pos), "unterminated string");
      diag_help(l->c, d, "close the string with \" on the same line; strings cannot span lines");
      push(l, TK_ERROR, start);
      return;
    }
    if (ch == '"') {
      l->pos++;
      break;
    }
    if (ch == '\\') {
      if (!copying)
        start_copy(l, &b, start + 1);
      copying = true;
      ok &= escape_sequence(l, &b);
    } else if ((unsigned char)ch < 0x20 && ch != '\t') {
      Diag *d = diag_at(l->c, E0101, span(l, l->pos, l->pos + 1),
                        "unexpected control character U+%04X in a string", ch);
      diag_help(l->c, d, "write it as an escape: \\u%04X", ch);
      ok = false;
      l->pos++;
    } else {
      if (copying)
        buf_putc(&b, ch);
      l->pos++;
    }
  }
  Token *t = push(l, ok ? TK_STRING : TK_ERROR, start);
  t->text = copying ? buf_str(&b) : (Str){l->text + start + 1, l->pos - start - 2};
}

//
// Literals
//

static void bad_number(Compilation *c, Span at, DiagCode code, const char *what, Str text,
                       const char *detail, const char *help) {
  Diag *d = diag_at(c, code, at, "invalid %s \"%.*s\"%s", what, S(text), detail);
  if (help)
    diag_help(c, d, "%s", help);
}

// "1.5s", "1.5 GiB", "2.55%", "12.25": a fraction, with a smaller unit to use.
// (A percentage may have one decimal, 2.5%: literal_scan's tenths.)
static void fraction(Compilation *c, Span at, Str text) {
  Diag *d = diag_at(c, E0107, at, "invalid number \"%.*s\": fractions are not supported", S(text));
  char last = text.ptr[text.len - 1];
  if (last == '%')
    diag_help(c, d, "a percentage has at most one decimal, such as 2.5%%");
  else if (char_alpha(last))
    diag_help(c, d, "use a smaller unit: 1500ms rather than 1.5s, 1536 MiB rather than 1.5 GiB");
}

static void bad_cidr(Compilation *c, Span at, Str text, Literal lit) {
  static const struct {
    LitError error;
    const char *detail, *help;
  } why[] = {
      {LIT_BAD_OCTET, ": octets range from 0 to 255", NULL},
      {LIT_LEADING_ZERO, ": an octet has a leading zero",
       "write octets in decimal without leading zeros: some tools read 010 as octal"},
      {LIT_BAD_PREFIX, ": prefix lengths range from 0 to 32", NULL},
      {LIT_NO_PREFIX, ": missing prefix length",
       "add the prefix length, such as /32 for a single address"},
      {LIT_SYNTAX, "", "a CIDR block is four octets and a prefix length, such as 10.0.0.0/16"},
  };
  if (lit.error == LIT_HOST_BITS) {
    Diag *d = diag_at(c, E0104, at, "invalid CIDR block \"%.*s\": host bits are set", S(text));
    diag_help(c, d, "did you mean %.*s?", S(literal_cidr_text(&c->arena, lit.v.cidr)));
    return;
  }
  int i = 0;
  while (i < countof(why) - 1 && why[i].error != lit.error)
    i++;
  bad_number(c, at, E0104, "CIDR block", text, why[i].detail, why[i].help);
}

static void bad_size(Compilation *c, Span at, Str text, Literal lit) {
  if (lit.error == LIT_OVERFLOW) {
    bad_number(c, at, E0106, "size", text, ": too large", NULL);
    return;
  }
  static const Str binary[] = {STR_INIT("KiB"), STR_INIT("MiB"), STR_INIT("GiB"), STR_INIT("TiB")};
  Str unit = lit.unit;
  Diag *d = diag_at(c, E0106, at, "invalid size unit \"%.*s\"", S(unit));
  Str best = {0};
  for (int k = 0; k < countof(binary); k++)
    if (unit.len >= 1 && unit.len <= 3 && (unit.ptr[0] | 0x20) == (binary[k].ptr[0] | 0x20))
      best = binary[k];
  if (best.len)
    diag_help(c, d, "did you mean \"%.*s %.*s\"? sizes use binary units: KiB, MiB, GiB, TiB",
              S(lit.number), S(best));
  else
    diag_help(c, d, "sizes use binary units: KiB, MiB, GiB, TiB");
}

// A number with a suffix that is no unit: a misspelt duration ("5S",
// "5sec"), or no unit at all ("0x10", "1e3"). (A misspelt size, "512mb", is
// literal_scan's LK_SIZE.)
static void bad_unit(Compilation *c, Span at, Str text, Str unit) {
  static const char *const durations[] = {"s", "ms", "h", "d", "sec", "secs", "second",
                                          "seconds", "min", "mins", "minute", "minutes", "hr",
                                          "hrs", "hour", "hours", "day", "days", NULL};
  bool short_word = unit.len <= 3;
  for (ptrdiff_t i = 0; i < unit.len; i++)
    short_word &= char_alpha(unit.ptr[i]) && unit.ptr[i] != '_';
  Diag *d;
  if (literal_among(unit, durations)) {
    d = diag_at(c, E0105, at, "invalid duration unit \"%.*s\" in \"%.*s\"", S(unit), S(text));
    diag_help(c, d, "durations end in ms, s, m, h or d, such as 30s or 5m");
  } else if (short_word) {  // "5x": a unit, but which?
    d = diag_at(c, E0105, at, "invalid unit \"%.*s\" in \"%.*s\"", S(unit), S(text));
    diag_help(c, d, "durations end in ms, s, m, h or d (30s); sizes in KiB, MiB, GiB or TiB "
                    "(512 MiB)");
  } else {
    d = diag_at(c, E0107, at, "invalid number \"%.*s\"", S(text));
    diag_help(c, d, "numbers are decimal integers, with a unit where one belongs: 30s, "
                    "512 MiB, 50%%");
  }
}

static void bad_duration(Compilation *c, Span at, Str text, Literal lit) {
  if (lit.error == LIT_OVERFLOW) {
    bad_number(c, at, E0105, "duration", text, ": too long", NULL);
  } else if (lit.error == LIT_SPACED) {
    Diag *d = diag_at(c, E0105, at, "invalid duration \"%.*s\"", S(text));
    diag_help(c, d, "write the unit right after the number: %.*s%.*s", S(lit.number),
              S(lit.unit));
  } else {
    bad_unit(c, at, text, lit.unit);
  }
}

void lex_literal_error(Compilation *c, Span at, Str text, Literal lit) {
  if (lit.error == LIT_FRACTION) {
    fraction(c, at, text);
  } else if (lit.error == LIT_NEGATIVE) {
    bad_number(c, at, E0107, "number", text,
               lit.spaced ? ": sizes cannot be negative" : ": durations and sizes cannot be negative",
               NULL);
  } else if (lit.kind == LK_CIDR) {
    bad_cidr(c, at, text, lit);
  } else if (lit.kind == LK_SIZE) {
    bad_size(c, at, text, lit);
  } else if (lit.kind == LK_DURATION) {
    bad_duration(c, at, text, lit);
  } else {  // LK_INT, LK_PERCENT: the only way to be wrong is too many digits
    bad_number(c, at, E0107, "number", text, ": too large for 64 bits",
               "the largest integer is 9223372036854775807");
  }
}

// A number, a percentage, a duration, a size or a CIDR block: literal_scan
// knows their shapes and values, the lexer makes the token, or words what is
// wrong with it once and makes a TK_ERROR.
static void number(Lexer *l) {
  static const TokenKind kinds[] = {
      [LK_INT] = TK_INT,   [LK_PERCENT] = TK_PERCENT, [LK_DURATION] = TK_DURATION,
      [LK_SIZE] = TK_SIZE, [LK_CIDR] = TK_CIDR,
  };
  int32_t start = l->pos;
  Literal lit = literal_scan((Str){l->text + start, l->len - start});
  l->pos = start + (int32_t)lit.len;
  if (lit.error) {
    lex_literal_error(l->c, span(l, start, l->pos), (Str){l->text + start, lit.len}, lit);
    push(l, TK_ERROR, start);
    return;
  }
  Token *t = push(l, kinds[lit.kind], start);
  t->unit = lit.unit;
  t->tenths = lit.tenths;
  if (lit.kind == LK_CIDR)
    t->v.cidr = lit.v.cidr;
  else
    t->v.i = lit.v.i;
}

// 'text': a common slip from other languages, reported once for the whole
// quoted text (up to the closing quote on the line) with the fix.
static void single_quoted(Lexer *l) {
  int32_t start = l->pos++;
  while (!line_end(l, 0) && peek(l, 0) != '\'')
    l->pos++;
  Str inner = {l->text + start + 1, l->pos - start - 1};
  if (peek(l, 0) == '\'')
    l->pos++;
  Diag *d = diag_at(l->c, E0101, span(l, start, l->pos), "unexpected character \"'\"");
  diag_help(l->c, d, "strings are written in double quotes: \"%.*s\"", S(inner));
  push(l, TK_ERROR, start);
}

// One diagnostic per run of characters that start no token, its caret under
// the whole run. Characters are named by code point, since a control or
// invisible one shows nothing when printed.
static void unexpected(Lexer *l) {
  int32_t start = l->pos;
  const unsigned char *p = (const unsigned char *)l->text + l->pos;
  int width = p[0] < 0x80 ? 1 : p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
  l->pos += width;
  if (l->error_run) {
    l->run_diag->span.end = l->pos;
    return;
  }
  uint32_t cp = source_utf8_decode(p, width);
  Span at = span(l, start, l->pos);
  if (cp < 0x20 || cp == 0x7F)
    l->run_diag = diag_at(l->c, E0101, at, "unexpected control character U+%04X", cp);
  else if (cp >= 0x80)
    l->run_diag = diag_at(l->c, E0101, at, "unexpected character U+%04X \"%.*s\"", cp, width,
                          (const char *)p);
  else
    l->run_diag = diag_at(l->c, E0101, at, "unexpected character \"%c\"", (char)cp);
  push(l, TK_ERROR, start);
  l->error_run = true;
}

void lex_init(Lexer *l, Compilation *c, Source *src, Comment *comments, ptrdiff_t room) {
  *l = (Lexer){.c = c, .src = src, .text = src->text.ptr, .len = (int32_t)src->text.len,
               .comments = comments, .cap_comments = room};
  if (l->len >= 3 && memcmp(l->text, "\xEF\xBB\xBF", 3) == 0)  // a BOM some editors add
    l->pos = 3;
}

// The next token; at the end, TK_EOF, as often as asked.
Token lex_next(Lexer *l) {
  l->made = false;
  while (!l->made) {
    skip_space(l);
    if (l->newlines)
      l->error_run = false;
    if (l->pos >= l->len) {
      push(l, TK_EOF, l->pos);
      break;
    }
    int32_t start = l->pos;
    char ch = l->text[l->pos];
    static const char punct[] = "{}[]=,.";
    static const TokenKind kinds[] = {TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET,
                                      TK_EQ,     TK_COMMA,  TK_DOT};
    const char *p = ch ? strchr(punct, ch) : NULL;
    if (p) {
      l->pos++;
      push(l, kinds[p - punct], start);
    } else if (ch == '"') {
      string(l);
    } else if (char_digit(ch) || (ch == '-' && char_digit(peek(l, 1)))) {
      number(l);
    } else if (char_alpha(ch)) {
      while (char_ident(peek(l, 0)))
        l->pos++;
      push(l, TK_IDENT, start);
    } else if (ch == '\'') {
      single_quoted(l);
    } else {
      unexpected(l);  // makes no token when it extends a run
    }
  }
  return l->tok;
}

// How many comments src holds, by lexing it once and forgetting what that
// said (the pass that keeps them says it again): fmt makes room for exactly
// that many, so a comment costs its 12 bytes and no growing array.
ptrdiff_t lex_comments(Compilation *c, Source *src) {
  DiagMark mark = diag_mark(c);
  Lexer l;
  lex_init(&l, c, src, NULL, 0);
  while (lex_next(&l).kind != TK_EOF)
    ;
  diag_rewind(c, mark);
  return l.ncomments;
}

// Every token of a small source at once, for tests.
TokenList lex(Compilation *c, Source *src) {
  Lexer l;
  lex_init(&l, c, src, NULL, 0);
  struct {
    Token *items;
    ptrdiff_t len, cap;
  } tokens = {0};
  for (;;) {
    Token *t = list_push(&c->arena, &tokens);
    *t = lex_next(&l);
    if (t->kind == TK_EOF)
      return (TokenList){.tokens = tokens.items, .ntokens = tokens.len};
  }
}

const char *token_kind_name(TokenKind k) {
  static const char *const names[] = {
      [TK_EOF] = "end of file", [TK_IDENT] = "name",      [TK_STRING] = "string",
      [TK_INT] = "integer",     [TK_SIZE] = "size",       [TK_DURATION] = "duration",
      [TK_PERCENT] = "percentage", [TK_CIDR] = "CIDR block", [TK_LBRACE] = "\"{\"",
      [TK_RBRACE] = "\"}\"",    [TK_LBRACKET] = "\"[\"",  [TK_RBRACKET] = "\"]\"",
      [TK_EQ] = "\"=\"",        [TK_COMMA] = "\",\"",     [TK_DOT] = "\".\"",
      [TK_ERROR] = "invalid token",
  };
  return names[k];
}
