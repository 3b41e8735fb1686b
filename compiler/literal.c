// literal.c: the typed literals (integers, percentages, durations, sizes,
// CIDR blocks), found and parsed from their text alone so that tests/unit can
// table-test every edge. literal_scan is the one place that knows what
// "512 MiB" is: the lexer makes tokens of what it finds and words its errors,
// and a values file reads a plain scalar that is exactly one valid literal as
// that literal. Nothing here reports.
#include "syntax.h"

#include <string.h>

static bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Digits only, no sign; leading zeros are allowed where allow_zeros says so.
static LitError digits(Str s, int64_t max, bool allow_zeros, int64_t *out) {
  if (s.len == 0)
    return LIT_SYNTAX;
  if (!allow_zeros && s.len > 1 && s.ptr[0] == '0')
    return LIT_SYNTAX;
  int64_t v = 0;
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if (!char_digit(s.ptr[i]))
      return LIT_SYNTAX;
    int d = s.ptr[i] - '0';
    if (v > (max - d) / 10)
      return LIT_OVERFLOW;
    v = v * 10 + d;
  }
  *out = v;
  return LIT_OK;
}

LitError literal_int(Str s, int64_t *out) {
  bool neg = s.len > 0 && s.ptr[0] == '-';
  Str body = neg ? (Str){s.ptr + 1, s.len - 1} : s;
  int64_t v;
  LitError e = digits(body, INT64_MAX, true, &v);
  if (e)
    return e;
  *out = neg ? -v : v;
  return LIT_OK;
}

// a.b.c.d/n: four octets 0..255 without leading zeros (010 reads as octal to
// some tools and decimal to others), a prefix 0..32, and no host bits.
LitError literal_cidr(Str s, Cidr *out) {
  uint32_t addr = 0;
  ptrdiff_t i = 0;
  for (int octet = 0; octet < 4; octet++) {
    ptrdiff_t beg = i;
    while (i < s.len && char_digit(s.ptr[i]))
      i++;
    int64_t v;
    LitError e = digits((Str){s.ptr + beg, i - beg}, 999, false, &v);
    if (e == LIT_SYNTAX && i > beg)
      return LIT_LEADING_ZERO;
    if (e)
      return i > beg ? LIT_BAD_OCTET : LIT_SYNTAX;
    if (v > 255)
      return LIT_BAD_OCTET;
    addr = addr << 8 | (uint32_t)v;
    if (octet < 3) {
      if (i >= s.len || s.ptr[i] != '.')
        return LIT_SYNTAX;
      i++;
    }
  }
  if (i == s.len)
    return LIT_NO_PREFIX;
  if (s.ptr[i] != '/')
    return LIT_SYNTAX;
  int64_t prefix;
  LitError e = digits((Str){s.ptr + i + 1, s.len - i - 1}, 99, false, &prefix);
  if (e)
    return e == LIT_OVERFLOW ? LIT_BAD_PREFIX : LIT_SYNTAX;
  if (prefix > 32)
    return LIT_BAD_PREFIX;
  uint32_t mask = prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
  *out = (Cidr){addr & mask, (uint8_t)prefix};  // the network, even when refused
  return addr & ~mask ? LIT_HOST_BITS : LIT_OK;
}

Str literal_cidr_text(Arena *a, Cidr c) {
  return str_fmt(a, "%u.%u.%u.%u/%u", c.addr >> 24, c.addr >> 16 & 255, c.addr >> 8 & 255,
                 c.addr & 255, c.prefix);
}

typedef struct {
  const char *name;
  int64_t factor;
} Unit;

static LitError scaled(Str number, Str unit, const Unit *units, int n, int64_t *out) {
  int64_t v;
  LitError e = digits(number, INT64_MAX, true, &v);
  if (e)
    return e;
  for (int i = 0; i < n; i++) {
    if (str_eq_c(unit, units[i].name)) {
      if (v > INT64_MAX / units[i].factor)
        return LIT_OVERFLOW;
      *out = v * units[i].factor;
      return LIT_OK;
    }
  }
  return LIT_BAD_UNIT;
}

LitError literal_duration(Str number, Str unit, int64_t *ms) {
  static const Unit units[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 3600 * 1000}, {"d", 86400 * 1000},
  };
  return scaled(number, unit, units, countof(units), ms);
}

LitError literal_size(Str number, Str unit, int64_t *bytes) {
  static const Unit units[] = {
      {"KiB", 1LL << 10}, {"MiB", 1LL << 20}, {"GiB", 1LL << 30}, {"TiB", 1LL << 40},
  };
  static const char *const decimal[] = {"B", "KB", "kB", "MB", "GB", "TB", "K", "M", "G"};
  LitError e = scaled(number, unit, units, countof(units), bytes);
  if (e == LIT_BAD_UNIT)
    for (int i = 0; i < countof(decimal); i++)
      if (str_eq_c(unit, decimal[i]))
        return LIT_DECIMAL_UNIT;
  return e;
}

//
// Finding a literal
//

// The byte at i, or 0 past the end.
static char byte_at(Str t, ptrdiff_t i) {
  return i < t.len ? t.ptr[i] : 0;
}

// One of the words, letters compared without case (each written lowercase).
bool literal_among(Str word, const char *const *words) {
  for (; *words; words++) {
    Str w = str_c(*words);
    bool same = word.len == w.len;
    for (ptrdiff_t i = 0; same && i < w.len; i++)
      same = (word.ptr[i] | 0x20) == w.ptr[i];
    if (same)
      return true;
  }
  return false;
}

// The word after blanks at t[i], when "=" or "{" does not follow it (then it
// names the next attribute, as in "5 m = 1"); false when no blank comes first.
static bool word_after_blanks(Str t, ptrdiff_t i, Str *word) {
  ptrdiff_t beg = i;
  while (is_blank(byte_at(t, beg)))
    beg++;
  if (beg == i)
    return false;
  ptrdiff_t end = beg;
  while (char_ident(byte_at(t, end)))
    end++;
  ptrdiff_t after = end;
  while (is_blank(byte_at(t, after)))
    after++;
  if (byte_at(t, after) == '=' || byte_at(t, after) == '{')
    return false;
  *word = (Str){t.ptr + beg, end - beg};
  return true;
}

// A size unit after blanks ("512 MiB"). Decimal and misspelt units are taken
// too, so that "512 MB" is one clear error, not an integer and a stray name.
static bool spaced_size(Str t, ptrdiff_t i, Str *unit) {
  static const char *const units[] = {"kib", "mib", "gib", "tib", "kb", "mb", "gb", "tb",
                                      "k", "g", "t", NULL};
  return word_after_blanks(t, i, unit) && literal_among(*unit, units);
}

// A duration unit after blanks ("30 s"): a duration takes none, one error.
static bool spaced_duration(Str t, ptrdiff_t i, Str *unit) {
  static const char *const units[] = {"ms", "s", "m", "h", "d"};
  if (!word_after_blanks(t, i, unit))
    return false;
  for (int k = 0; k < countof(units); k++)
    if (str_eq_c(*unit, units[k]))
      return true;
  return false;
}

// A word glued to a number that spells a size, rightly or not ("512MiB",
// "512mb"); m is minutes.
static bool size_word(Str unit) {
  static const char *const sizes[] = {"b", "k", "kb", "kib", "mb", "mib", "g", "gb", "gib",
                                      "t", "tb", "tib", NULL};
  return literal_among(unit, sizes);
}

// "10.0.0.0/16", or "1.5" with whatever is glued to it ("1.5s", "2.5%") or a
// size unit after blanks ("1.5 GiB"): the run of digits, dots and slashes
// from i and any letters after it, so that "10.0.0.0/16x" is one error.
static Literal dotted(Str t, ptrdiff_t i) {
  Literal lit = {.kind = LK_CIDR};
  int dots = 0;
  bool slash = false;
  for (char ch; char_digit(ch = byte_at(t, i)) || ch == '.' || ch == '/'; i++) {
    dots += ch == '.';
    slash |= ch == '/';
  }
  while (char_ident(byte_at(t, i)) || byte_at(t, i) == '%')
    i++;
  lit.len = i;
  if (dots == 1 && !slash) {
    Str unit;
    if (spaced_size(t, i, &unit))
      lit.len = unit.ptr + unit.len - t.ptr;
    lit.kind = LK_INT;
    lit.error = LIT_FRACTION;
    return lit;
  }
  lit.error = literal_cidr((Str){t.ptr, i}, &lit.v.cidr);
  return lit;
}

// A number with a word glued to it: a duration ("30s"), a size ("512MiB"),
// or a misspelt or missing unit ("5sec", "0x10"), which is LK_DURATION with
// LIT_BAD_UNIT.
static Literal glued(Literal lit, Str t, ptrdiff_t i) {
  ptrdiff_t beg = i;
  while (char_ident(byte_at(t, i)))
    i++;
  lit.unit = (Str){t.ptr + beg, i - beg};
  lit.len = i;
  bool negative = lit.number.ptr[0] == '-';
  LitError e = negative ? LIT_SYNTAX : literal_duration(lit.number, lit.unit, &lit.v.i);
  if (e == LIT_OK || e == LIT_OVERFLOW) {
    lit.kind = LK_DURATION;
    lit.error = e;
  } else if (size_word(lit.unit)) {
    lit.kind = LK_SIZE;
    lit.error = negative ? LIT_NEGATIVE : literal_size(lit.number, lit.unit, &lit.v.i);
  } else {
    lit.kind = LK_DURATION;
    lit.error = negative ? LIT_NEGATIVE : LIT_BAD_UNIT;
  }
  return lit;
}

// A number and a unit after blanks: "512 MiB", or "30 s" (LIT_SPACED).
static Literal spaced(Literal lit, Str t, LitKind kind, Str unit) {
  lit.kind = kind;
  lit.unit = unit;
  lit.spaced = true;
  lit.len = unit.ptr + unit.len - t.ptr;
  if (kind == LK_DURATION)
    lit.error = LIT_SPACED;
  else if (lit.number.ptr[0] == '-')
    lit.error = LIT_NEGATIVE;
  else
    lit.error = literal_size(lit.number, unit, &lit.v.i);
  return lit;
}

// "2.5%": a percentage in tenths, the finest step AWS takes one in ("Valid
// values are multiples of 0.1", ECS API Reference, CanaryConfiguration:
// canaryPercent, LinearConfiguration: stepPercent); which attributes take
// one is schema.c's. v.i counts tenths: 25.
static Literal tenths_percent(Str t, ptrdiff_t point) {
  Literal lit = {.kind = LK_PERCENT, .tenths = true, .number = {t.ptr, point}, .len = point + 3};
  int64_t whole;
  lit.error = literal_int(lit.number, &whole);
  if (lit.error)
    return lit;
  int d = t.ptr[point + 1] - '0';
  if (whole > (INT64_MAX - 9) / 10 || whole < -(INT64_MAX - 9) / 10) {
    lit.error = LIT_OVERFLOW;
    return lit;
  }
  bool negative = t.ptr[0] == '-';
  lit.v.i = whole * 10 + (negative ? -d : d);
  return lit;
}

// number = [ "-" ] digit { digit } [ unit | "%" | "." digit "%" | blanks size-unit ] ;
//        or a CIDR.
Literal literal_scan(Str t) {
  ptrdiff_t i = byte_at(t, 0) == '-';
  if (!char_digit(byte_at(t, i)))
    return (Literal){.kind = LK_NONE};
  while (char_digit(byte_at(t, i)))
    i++;
  if (byte_at(t, i) == '.' && char_digit(byte_at(t, i + 1)) && byte_at(t, i + 2) == '%' &&
      !char_ident(byte_at(t, i + 3)))
    return tenths_percent(t, i);
  if (byte_at(t, i) == '.' && char_digit(byte_at(t, i + 1)))
    return dotted(t, i);
  Literal lit = {.number = {t.ptr, i}};
  Str unit;
  if (byte_at(t, i) == '%') {
    lit.kind = LK_PERCENT;
    lit.len = i + 1;
    lit.error = literal_int(lit.number, &lit.v.i);
    return lit;
  }
  if (char_alpha(byte_at(t, i)))
    return glued(lit, t, i);
  if (spaced_size(t, i, &unit))
    return spaced(lit, t, LK_SIZE, unit);
  if (spaced_duration(t, i, &unit))
    return spaced(lit, t, LK_DURATION, unit);
  lit.kind = LK_INT;
  lit.len = i;
  lit.error = literal_int(lit.number, &lit.v.i);
  return lit;
}
