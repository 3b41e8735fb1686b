// lexer.c: turns a source file into tokens and a side list of comments.
// Newlines are not tokens (attributes may share a line), but the lexer notes
// which tokens start a line, the parser's resynchronisation points, and where
// blank lines were, which fmt keeps. A malformed literal is reported here once
// and becomes a TK_ERROR token the parser passes over without a second word.
#include "syntax.h"

#include <string.h>

typedef struct {
  Compilation *c;
  Source *src;
  const char *text;
  int32_t len, pos;
  int newlines;       // since the previous token or comment
  bool error_run;     // inside a run of unexpected characters, reported once
  Token *tokens;
  ptrdiff_t ntokens, cap;
  Comment *comments;
  ptrdiff_t ncomments, cap_comments;
} Lexer;

static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

static bool is_ident(char c) {
  return is_alpha(c) || is_digit(c) || c == '-';
}

static char peek(Lexer *l, int ahead) {
  return l->pos + ahead < l->len ? l->text[l->pos + ahead] : 0;
}

static Span span(Lexer *l, int32_t start, int32_t end) {
  return (Span){l->src, start, end};
}

static Token *push(Lexer *l, TokenKind kind, int32_t start) {
  if (l->ntokens == l->cap) {
    ptrdiff_t cap = l->cap ? 2 * l->cap : 64 + l->len / 4;
    Token *grown = new(&l->c->arena, Token, cap);
    if (l->ntokens)
      memcpy(grown, l->tokens, sizeof(Token) * (size_t)l->ntokens);
    l->tokens = grown;
    l->cap = cap;
  }
  Token *t = &l->tokens[l->ntokens++];
  *t = (Token){.kind = kind, .start = start, .end = l->pos};
  t->line_start = l->newlines > 0 || l->ntokens == 1;
  t->blank_before = l->newlines > 1;
  t->text = (Str){l->text + start, l->pos - start};
  l->newlines = 0;
  l->error_run = false;
  return t;
}

static void comment(Lexer *l) {
  int32_t start = l->pos;
  bool own_line = l->newlines > 0 || (l->ntokens == 0 && l->ncomments == 0);
  while (l->pos < l->len && l->text[l->pos] != '\n')
    l->pos++;
  int32_t end = l->pos;
  while (end > start && (l->text[end - 1] == '\r' || l->text[end - 1] == ' ' ||
                         l->text[end - 1] == '\t'))
    end--;
  if (l->ncomments == l->cap_comments) {
    ptrdiff_t cap = l->cap_comments ? 2 * l->cap_comments : 32;
    Comment *grown = new(&l->c->arena, Comment, cap);
    if (l->ncomments)
      memcpy(grown, l->comments, sizeof(Comment) * (size_t)l->ncomments);
    l->comments = grown;
    l->cap_comments = cap;
  }
  l->comments[l->ncomments++] = (Comment){start, end, own_line, l->newlines > 1};
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

// \uXXXX: four hex digits naming a code point outside the surrogate range.
static bool unicode_escape(Lexer *l, Buf *b) {
  uint32_t cp = 0;
  for (int i = 0; i < 4; i++) {
    int h = hex_value(peek(l, 2 + i));
    if (h < 0)
      return false;
    cp = cp << 4 | (uint32_t)h;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return false;
  put_utf8(b, cp);
  l->pos += 6;
  return true;
}

// string = '"' { char | escape } '"' ; on one line.
static void string(Lexer *l) {
  int32_t start = l->pos++;
  Buf b = {.arena = &l->c->arena};
  bool ok = true;
  for (;;) {
    char ch = peek(l, 0);
    if (l->pos >= l->len || ch == '\n' || (ch == '\r' && peek(l, 1) == '\n')) {
      Diag *d = diag_at(l->c, E0102, span(l, start, l->pos), "unterminated string");
      diag_help(l->c, d, "close the string with \" on the same line");
      push(l, TK_ERROR, start);
      return;
    }
    if (ch == '"') {
      l->pos++;
      break;
    }
    if (ch != '\\') {
      buf_putc(&b, ch);
      l->pos++;
      continue;
    }
    char esc = peek(l, 1);
    const char *simple = strchr("\"\\nrt", esc);
    if (esc && simple) {
      buf_putc(&b, "\"\\\n\r\t"[simple - "\"\\nrt"]);
      l->pos += 2;
    } else if (esc == 'u' && unicode_escape(l, &b)) {
      // consumed
    } else {
      int32_t at = l->pos;
      int32_t width = esc == 'u' ? 2 : 1 + ((unsigned char)esc >= 0x80 ? 1 : esc != 0);
      Diag *d = diag_at(l->c, E0103, span(l, at, at + width), "invalid escape sequence");
      diag_help(l->c, d, "escapes are \\\" \\\\ \\n \\r \\t and \\uXXXX; write \\\\ for a backslash");
      ok = false;
      l->pos += esc ? 2 : 1;
    }
  }
  Token *t = push(l, ok ? TK_STRING : TK_ERROR, start);
  t->text = buf_str(&b);
}

// Reports `invalid WHAT "TEXT"DETAIL` over the literal and leaves an error token.
static void bad_number(Lexer *l, int32_t start, DiagCode code, const char *what, Str text,
                       const char *detail, const char *help) {
  Diag *d = diag_at(l->c, code, span(l, start, l->pos), "invalid %s \"%.*s\"%s", what, S(text),
                    detail);
  if (help)
    diag_help(l->c, d, "%s", help);
  push(l, TK_ERROR, start);
}

static void cidr(Lexer *l, int32_t start) {
  while (is_digit(peek(l, 0)) || peek(l, 0) == '.' || peek(l, 0) == '/')
    l->pos++;
  while (is_ident(peek(l, 0)))  // 10.0.0.0/16x: one error for the whole word
    l->pos++;
  Str text = {l->text + start, l->pos - start};
  Cidr value;
  switch (literal_cidr(text, &value)) {
  case LIT_OK:
    push(l, TK_CIDR, start)->v.cidr = value;
    return;
  case LIT_BAD_OCTET:
    bad_number(l, start, E0104, "CIDR block", text, ": octets range from 0 to 255", "write each octet in decimal without leading zeros, such as 10.0.0.0/16");
    return;
  case LIT_BAD_PREFIX:
    bad_number(l, start, E0104, "CIDR block", text, ": prefix lengths range from 0 to 32", NULL);
    return;
  case LIT_NO_PREFIX:
    bad_number(l, start, E0104, "CIDR block", text, ": missing prefix length", "add the prefix length, such as /32 for a single address");
    return;
  case LIT_HOST_BITS: {
    Diag *d = diag_at(l->c, E0104, span(l, start, l->pos),
                      "invalid CIDR block \"%.*s\": host bits are set", S(text));
    diag_help(l->c, d, "did you mean %.*s?", S(literal_cidr_text(&l->c->arena, value)));
    push(l, TK_ERROR, start);
    return;
  }
  default:
    if (memchr(text.ptr, '/', (size_t)text.len) || text.len - (ptrdiff_t)strspn(text.ptr, "0123456789") > 2)
      bad_number(l, start, E0104, "CIDR block", text, "", "a CIDR block is four octets and a prefix length, such as 10.0.0.0/16");
    else
      bad_number(l, start, E0107, "number", text, ": fractions are not supported", "use a smaller unit: 1500ms rather than 1.5s, 1536 MiB rather than 1.5 GiB");
  }
}

// Is there a size unit after blanks on this line ("512 MiB")? Returns the
// unit's extent; decimal and misspelt units are caught so that "512 MB" is
// one clear error, not an integer followed by a stray name.
static bool spaced_unit(Lexer *l, int32_t *ubeg, int32_t *uend) {
  int32_t i = l->pos;
  while (i < l->len && (l->text[i] == ' ' || l->text[i] == '\t'))
    i++;
  if (i == l->pos)
    return false;
  int32_t j = i;
  while (j < l->len && is_ident(l->text[j]))
    j++;
  static const char *const units[] = {"kib", "mib", "gib", "tib", "kb", "mb", "gb", "tb"};
  Str word = {l->text + i, j - i};
  for (int k = 0; k < countof(units); k++) {
    Str u = str_c(units[k]);
    if (word.len != u.len)
      continue;
    bool same = true;
    for (ptrdiff_t m = 0; m < u.len; m++)
      same &= (word.ptr[m] | 0x20) == u.ptr[m];
    if (same) {
      *ubeg = i;
      *uend = j;
      return true;
    }
  }
  return false;
}

static void size_or_error(Lexer *l, int32_t start, Str number, Str unit) {
  int64_t bytes;
  Str text = {l->text + start, l->pos - start};
  switch (literal_size(number, unit, &bytes)) {
  case LIT_OK: {
    Token *t = push(l, TK_SIZE, start);
    t->v.i = bytes;
    t->unit = unit;
    return;
  }
  case LIT_OVERFLOW:
    bad_number(l, start, E0106, "size", text, ": too large", NULL);
    return;
  default: {
    static const Str binary[] = {STR_INIT("KiB"), STR_INIT("MiB"), STR_INIT("GiB"), STR_INIT("TiB")};
    Diag *d = diag_at(l->c, E0106, span(l, start, l->pos), "invalid size unit \"%.*s\"", S(unit));
    Str best = {0};
    for (int k = 0; k < countof(binary); k++)
      if ((unit.len == 2 || unit.len == 3) && (unit.ptr[0] | 0x20) == (binary[k].ptr[0] | 0x20))
        best = binary[k];
    if (best.len)
      diag_help(l->c, d, "did you mean \"%.*s %.*s\"? sizes use binary units: KiB, MiB, GiB, TiB",
                S(number), S(best));
    else
      diag_help(l->c, d, "sizes use binary units: KiB, MiB, GiB, TiB");
    push(l, TK_ERROR, start);
  }
  }
}

// number = [ "-" ] digit { digit } [ unit | "%" | " " size-unit ] ; or a CIDR.
static void number(Lexer *l) {
  int32_t start = l->pos;
  if (peek(l, 0) == '-')
    l->pos++;
  while (is_digit(peek(l, 0)))
    l->pos++;
  if (peek(l, 0) == '.' && is_digit(peek(l, 1))) {
    cidr(l, start);
    return;
  }
  Str num = {l->text + start, l->pos - start};
  if (peek(l, 0) == '%') {
    l->pos++;
    int64_t v;
    if (literal_int(num, &v) != LIT_OK) {
      bad_number(l, start, E0107, "number", (Str){l->text + start, l->pos - start}, "", NULL);
      return;
    }
    push(l, TK_PERCENT, start)->v.i = v;
    return;
  }
  if (is_alpha(peek(l, 0))) {
    int32_t ubeg = l->pos;
    while (is_ident(peek(l, 0)))
      l->pos++;
    Str unit = {l->text + ubeg, l->pos - ubeg};
    Str text = {l->text + start, l->pos - start};
    int64_t v;
    if (num.ptr[0] == '-') {
      bad_number(l, start, E0107, "number", text, ": durations and sizes cannot be negative", NULL);
      return;
    }
    LitError e = literal_duration(num, unit, &v);
    if (e == LIT_OK) {
      Token *t = push(l, TK_DURATION, start);
      t->v.i = v;
      t->unit = unit;
      return;
    }
    if (e == LIT_OVERFLOW) {
      bad_number(l, start, E0105, "duration", text, ": too long", NULL);
      return;
    }
    int64_t bytes;
    LitError se = literal_size(num, unit, &bytes);
    if (se == LIT_OK || se == LIT_DECIMAL_UNIT || se == LIT_OVERFLOW) {
      size_or_error(l, start, num, unit);
      return;
    }
    Diag *d = diag_at(l->c, E0105, span(l, start, l->pos), "invalid duration unit \"%.*s\" in \"%.*s\"",
                      S(unit), S(text));
    diag_help(l->c, d, "durations end in ms, s, m, h or d, such as 30s or 5m");
    push(l, TK_ERROR, start);
    return;
  }
  int32_t ubeg, uend;
  if (spaced_unit(l, &ubeg, &uend)) {
    if (num.ptr[0] == '-') {
      l->pos = uend;
      bad_number(l, start, E0107, "number", (Str){l->text + start, uend - start},
                 ": sizes cannot be negative", NULL);
      return;
    }
    l->pos = uend;
    size_or_error(l, start, num, (Str){l->text + ubeg, uend - ubeg});
    return;
  }
  int64_t v;
  if (num.len == 1 && num.ptr[0] == '-') {  // a lone minus sign
    diag_at(l->c, E0101, span(l, start, l->pos), "unexpected character \"-\"");
    push(l, TK_ERROR, start);
    return;
  }
  if (literal_int(num, &v) != LIT_OK) {
    bad_number(l, start, E0107, "number", num, ": too large for 64 bits", NULL);
    return;
  }
  push(l, TK_INT, start)->v.i = v;
}

// One diagnostic per run of characters that start no token.
static void unexpected(Lexer *l) {
  int32_t start = l->pos;
  unsigned char ch = (unsigned char)l->text[l->pos];
  int width = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
  l->pos += width;
  if (l->pos > l->len)
    l->pos = l->len;
  if (l->error_run)
    return;
  Str shown = {l->text + start, l->pos - start};
  if (ch < 0x20 || ch == 0x7F)
    diag_at(l->c, E0101, span(l, start, l->pos), "unexpected control character U+%04X", ch);
  else if (ch == '\'')
    diag_help(l->c, diag_at(l->c, E0101, span(l, start, l->pos), "unexpected character \"'\""),
              "strings are written in double quotes");
  else
    diag_at(l->c, E0101, span(l, start, l->pos), "unexpected character \"%.*s\"", S(shown));
  push(l, TK_ERROR, start);
  l->error_run = true;
}

TokenList lex(Compilation *c, Source *src) {
  Lexer l = {.c = c, .src = src, .text = src->text.ptr, .len = (int32_t)src->text.len};
  if (l.len >= 3 && memcmp(l.text, "\xEF\xBB\xBF", 3) == 0)  // a BOM some editors add
    l.pos = 3;
  for (;;) {
    skip_space(&l);
    if (l.newlines)
      l.error_run = false;
    if (l.pos >= l.len)
      break;
    int32_t start = l.pos;
    char ch = l.text[l.pos];
    static const char punct[] = "{}[]=,.";
    static const TokenKind kinds[] = {TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET,
                                      TK_EQ,     TK_COMMA,  TK_DOT};
    const char *p = ch ? strchr(punct, ch) : NULL;
    if (p) {
      l.pos++;
      push(&l, kinds[p - punct], start);
    } else if (ch == '"') {
      string(&l);
    } else if (is_digit(ch) || (ch == '-' && is_digit(peek(&l, 1)))) {
      number(&l);
    } else if (is_alpha(ch)) {
      while (is_ident(peek(&l, 0)))
        l.pos++;
      push(&l, TK_IDENT, start);
    } else {
      unexpected(&l);
    }
  }
  push(&l, TK_EOF, l.pos);
  return (TokenList){l.tokens, l.ntokens, l.comments, l.ncomments};
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
