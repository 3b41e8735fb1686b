// http.c: parses an HTTP/1.1 request head and formats responses (RFC 9110, 9112).
//
// No I/O here: server.c hands over the bytes received so far and gets back
// "incomplete", "complete" or the error status to answer. It re-parses from
// the start on every read. That is quadratic, but a head is at most
// MAX_HEAD (16 KiB) bytes, and a parser without saved state cannot get out
// of step with the buffer.
//
// The parser is strict where leniency lets a proxy in front of us and this
// server disagree about where a request starts or ends (request smuggling):
// no bare CR, no whitespace before a colon, no obsolete line folding, no
// Content-Length together with Transfer-Encoding, no two different
// Content-Lengths. It accepts a bare LF as a line end, as RFC 9112 2.2
// allows. No route reads a body, so a request that has one is answered and
// its connection closed (conn.c): the next request on a connection always
// starts right after a head, which is where pipelining finds it.

#include "basic-app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

// tchar from RFC 9110 5.6.2: the characters of a method or a field name.
static bool is_tchar(unsigned char c)
{
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return true;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

// field-vchar, SP or HTAB (RFC 9110 5.5); obs-text (0x80-0xFF) included,
// since a field value may carry it and we never interpret it.
static bool is_field_char(unsigned char c)
{
  return c == '\t' || (c >= ' ' && c != 0x7f);
}

static bool str_eq(Str s, const char *lit)
{
  size_t n = strlen(lit);
  return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

// Field names are case-insensitive (RFC 9110 5.1); lit is lowercase.
static bool str_ieq(Str s, const char *lit)
{
  if (s.len != strlen(lit))
    return false;
  for (size_t i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    if (c != (unsigned char)lit[i])
      return false;
  }
  return true;
}

static bool starts_with_icase(Str s, const char *lit)
{
  size_t n = strlen(lit);
  return s.len >= n && str_ieq((Str){s.ptr, n}, lit);
}

// Finds the next line in buf[pos, end). Returns false when no LF is there
// yet. Sets *line to the line without its LF and without one CR before it.
static bool next_line(const char *buf, size_t pos, size_t end, Str *line, size_t *next)
{
  const char *nl = memchr(buf + pos, '\n', end - pos);
  if (!nl)
    return false;
  size_t n = (size_t)(nl - (buf + pos));
  if (n > 0 && buf[pos + n - 1] == '\r')
    n--;
  *line = (Str){buf + pos, n};
  *next = (size_t)(nl - buf) + 1;
  return true;
}

// Any CR left inside a line is a bare CR, which RFC 9112 2.2 lets us reject.
static bool has_cr(Str line)
{
  return memchr(line.ptr, '\r', line.len) != NULL;
}

// Sets req->path from req->target. The target is one of the four forms of
// RFC 9112 3.2; all but the origin form are rare, but a server MUST accept
// the absolute form ("GET http://host/path").
static bool parse_target(Request *req)
{
  Str t = req->target;
  for (size_t i = 0; i < t.len; i++) {
    unsigned char c = (unsigned char)t.ptr[i];
    if (c <= ' ' || c >= 0x7f)  // control, space or non-ASCII
      return false;
  }

  Str path = t;
  if (starts_with_icase(t, "http://") || starts_with_icase(t, "https://")) {
    const char *p = (const char *)memchr(t.ptr, ':', t.len) + 3;  // past "://"
    const char *end = t.ptr + t.len;
    while (p < end && *p != '/' && *p != '?')
      p++;
    path = (Str){p, (size_t)(end - p)};
  } else if (!str_eq(t, "*") && t.ptr[0] != '/') {
    return false;
  }

  const char *q = memchr(path.ptr, '?', path.len);
  if (q)
    path.len = (size_t)(q - path.ptr);
  req->path = path.len ? path : (Str){"/", 1};
  return true;
}

// request-line = method SP request-target SP HTTP-version (RFC 9112 3)
static int parse_request_line(Str line, Request *req)
{
  const char *end = line.ptr + line.len;
  const char *sp1 = memchr(line.ptr, ' ', line.len);
  if (!sp1 || has_cr(line))
    return 400;
  req->method = (Str){line.ptr, (size_t)(sp1 - line.ptr)};
  const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
  if (!sp2)
    return 400;
  req->target = (Str){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
  Str version = {sp2 + 1, (size_t)(end - sp2 - 1)};

  if (req->method.len == 0 || req->target.len == 0)
    return 400;
  for (size_t i = 0; i < req->method.len; i++)
    if (!is_tchar((unsigned char)req->method.ptr[i]))
      return 400;
  if (!parse_target(req))
    return 400;

  // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 2.3)
  const char *v = version.ptr;
  if (version.len != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
      v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
    return 400;
  if (v[5] != '1')
    return 505;
  req->minor = v[7] == '0' ? 0 : 1;  // answer 1.2 and up as 1.1 (RFC 9110 6.2)
  req->head_only = str_eq(req->method, "HEAD");
  return 0;
}

// field-line = field-name ":" OWS field-value OWS (RFC 9112 5). Fills
// *name and *value, or returns false for a line to answer with 400.
static bool parse_field(Str line, Str *name, Str *value)
{
  const char *colon = memchr(line.ptr, ':', line.len);
  if (!colon || colon == line.ptr || has_cr(line))
    return false;
  *name = (Str){line.ptr, (size_t)(colon - line.ptr)};
  for (size_t i = 0; i < name->len; i++)
    if (!is_tchar((unsigned char)name->ptr[i]))  // rejects space before ':' too
      return false;

  const char *v = colon + 1, *end = line.ptr + line.len;
  for (const char *p = v; p < end; p++)
    if (!is_field_char((unsigned char)*p))
      return false;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *value = (Str){v, (size_t)(end - v)};
  return true;
}

static bool all_digits(Str s)
{
  if (s.len == 0)
    return false;
  for (size_t i = 0; i < s.len; i++)
    if (s.ptr[i] < '0' || s.ptr[i] > '9')
      return false;
  return true;
}

// The value of a string of digits, or max + 1 for anything above max (so
// that no length overflows).
static size_t decimal_upto(Str digits, size_t max)
{
  size_t v = 0;
  for (size_t i = 0; i < digits.len && v <= max; i++)
    v = v * 10 + (size_t)(digits.ptr[i] - '0');
  return v <= max ? v : max + 1;
}

// Whether the comma-separated list value holds token, e.g. "close" in
// "Connection: keep-alive, Close" (RFC 9110 5.6.1; tokens are
// case-insensitive, 7.6.1). tok is lowercase.
static bool has_token(Str value, const char *tok)
{
  const char *p = value.ptr, *end = value.ptr + value.len;
  while (p < end) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *e = comma ? comma : end;
    Str t = {p, (size_t)(e - p)};
    while (t.len && (t.ptr[0] == ' ' || t.ptr[0] == '\t'))
      t = (Str){t.ptr + 1, t.len - 1};
    while (t.len && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
      t.len--;
    if (str_ieq(t, tok))
      return true;
    p = comma ? comma + 1 : end;
  }
  return false;
}

// Parses buf[0, len), the bytes received so far on a connection. Returns 0
// while the head is incomplete and within limits, 200 when it is complete
// and well-formed, or the error status to answer: 400, 413, 414, 431 or
// 505. The request line is checked as soon as it is complete, and each
// field line as soon as it is complete, so garbage is answered without
// waiting for the rest of it. Bytes after the head (a body, or pipelined
// requests) are left alone: req->head_len says where they start.
int http_parse(const char *buf, size_t len, Request *req)
{
  *req = (Request){0};

  // A server SHOULD ignore empty lines before the request line (RFC 9112 2.2).
  size_t pos = 0;
  for (;;) {
    if (pos < len && buf[pos] == '\n')
      pos += 1;
    else if (pos + 1 < len && buf[pos] == '\r' && buf[pos + 1] == '\n')
      pos += 2;
    else
      break;
  }

  Str line;
  size_t next;
  size_t line_end = len < MAX_LINE ? len : MAX_LINE;
  if (pos >= line_end || !next_line(buf, pos, line_end, &line, &next))
    return len >= MAX_LINE ? 414 : 0;
  int status = parse_request_line(line, req);
  if (status)
    return status;

  size_t fields_start = next;
  bool chunked = false, close = false;
  Str length = {0};  // the Content-Length value, when there is one
  for (pos = next;; pos = next) {
    size_t end = len - fields_start > MAX_FIELDS ? fields_start + MAX_FIELDS : len;
    if (!next_line(buf, pos, end, &line, &next))
      return len - fields_start >= MAX_FIELDS ? 431 : 0;
    if (line.len == 0)
      break;  // the empty line that ends the head

    Str name, value;
    if (!parse_field(line, &name, &value))
      return 400;
    if (str_ieq(name, "host")) {
      req->host_count++;
    } else if (str_ieq(name, "content-length")) {
      // RFC 9110 8.6: differing lengths are an unrecoverable error.
      if (!all_digits(value) || (length.ptr && (length.len != value.len ||
                                                memcmp(length.ptr, value.ptr, value.len) != 0)))
        return 400;
      length = value;
    } else if (str_ieq(name, "transfer-encoding")) {
      chunked = true;
    } else if (str_ieq(name, "connection") && has_token(value, "close")) {
      close = true;
    }
  }
  req->head_len = next;

  // RFC 9112 3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0.
  if (req->host_count > 1 || (req->minor == 1 && req->host_count == 0))
    return 400;
  // RFC 9112 6.1: both framings in one request is a smuggling attempt. We
  // never read a body (the connection closes after its answer), so one
  // framing alone needs no more checking.
  if (length.ptr && chunked)
    return 400;
  size_t body = length.ptr ? decimal_upto(length, MAX_BODY) : 0;
  req->has_body = chunked || body > 0;
  // RFC 9112 9.3: an HTTP/1.1 connection persists unless "close" is sent.
  // HTTP/1.0's "keep-alive" option is not honoured: 1.0 always closes.
  req->keep_alive = req->minor == 1 && !close;
  // RFC 9110 15.5.14: 413 for content larger than the server will process.
  if (body > MAX_BODY)
    return 413;
  return 200;
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes (RFC 3986 2.1) into out, which has room for in.len
// bytes. Returns false for a malformed escape or a decoded NUL, which no
// environment variable name can contain.
bool http_percent_decode(Str in, char *out, size_t *out_len)
{
  size_t n = 0;
  for (size_t i = 0; i < in.len; i++) {
    char c = in.ptr[i];
    if (c == '%') {
      if (i + 2 >= in.len)
        return false;
      int hi = hex_value(in.ptr[i + 1]), lo = hex_value(in.ptr[i + 2]);
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
        return false;
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    out[n++] = c;
  }
  *out_len = n;
  return true;
}

const char *http_reason(int status)
{
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 408: return "Request Timeout";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 505: return "HTTP Version Not Supported";
  default: return "Unknown";
  }
}

// The fixed part of a response is well under this; the body comes on top.
enum { HEADER_ROOM = 512 };

size_t http_format_cap(const Response *res)
{
  return HEADER_ROOM + res->body.len;
}

// Writes the response into out (of at least http_format_cap bytes) and
// returns its length. HTTP/1.1 connections persist by default, so only the
// last answer on a connection says so (RFC 9112 9.6).
size_t http_format(char *out, size_t cap, const Response *res, bool head_only)
{
  // RFC 9110 6.6.1: an origin server with a clock MUST send Date.
  char date[64];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);

  int n = snprintf(out, cap,
                   "HTTP/1.1 %d %s\r\n"
                   "Date: %s\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n"
                   "Content-Length: %zu\r\n"
                   "X-Content-Type-Options: nosniff\r\n"
                   "%s"
                   "%s"
                   "\r\n",
                   res->status, http_reason(res->status), date, res->body.len,
                   res->allow_header ? "Allow: GET, HEAD\r\n" : "",
                   res->close ? "Connection: close\r\n" : "");
  size_t len = (size_t)n;
  if (!head_only) {  // HEAD gets GET's headers, Content-Length included
    memcpy(out + len, res->body.ptr, res->body.len);
    len += res->body.len;
  }
  return len;
}
