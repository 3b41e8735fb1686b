// literal.c: the typed literals (CIDR blocks, integers, durations, sizes),
// parsed from their text alone so that tests/unit can table-test every edge.
// The lexer finds where a literal ends; this file decides what it means.
#include "syntax.h"

#include <string.h>

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits only, no sign; leading zeros are allowed where allow_zeros says so.
static LitError digits(Str s, int64_t max, bool allow_zeros, int64_t *out) {
  if (s.len == 0)
    return LIT_SYNTAX;
  if (!allow_zeros && s.len > 1 && s.ptr[0] == '0')
    return LIT_SYNTAX;
  int64_t v = 0;
  for (ptrdiff_t i = 0; i < s.len; i++) {
    if (!is_digit(s.ptr[i]))
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
    while (i < s.len && is_digit(s.ptr[i]))
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
