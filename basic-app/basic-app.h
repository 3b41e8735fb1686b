// basic-app.h: the declarations shared by basic-app's files, one group per file.
//
// basic-app is the example service that ecsc deploys: a small HTTP/1.1 server
// with no dependency beyond libc, so that it links statically and ships alone
// in a scratch image. The pipeline of one request is
//   server.c (bytes in) -> http.c (parse the head) -> routes.c (the answer)
//   -> http.c (format the response) -> server.c (bytes out, one log line).
// check.c is the same binary's health-check client (`basic-app --check`).

#ifndef BASIC_APP_H
#define BASIC_APP_H

#include <stdbool.h>
#include <stddef.h>

// A slice of bytes that is not NUL-terminated, as in ecsc's compiler.
typedef struct {
  const char *ptr;
  size_t len;
} Str;

// Limits on what a client may send. They bound the memory of a connection
// (MAX_LINE + MAX_FIELDS bytes) and are the thresholds of 414 and 431.
enum {
  MAX_LINE = 8192,    // request line, terminator included
  MAX_FIELDS = 8192,  // header field lines after it, final empty line included
  MAX_HEAD = MAX_LINE + MAX_FIELDS,
};

//
// main.c
//

// Everything basic-app reads from its environment, read once at start-up.
typedef struct {
  int port;                // PORT, default 3000
  int request_timeout_ms;  // REQUEST_TIMEOUT_MS, default 10000: time to send a
                           // whole request head, and to read the response
} Config;

//
// http.c
//

// A request head, as far as it was parsed. The Strs point into the
// connection's input buffer. On a parse error the fields that were read
// before the error stay set, so the log line can show them.
typedef struct {
  Str method;     // e.g. "GET"; case-sensitive (RFC 9110 9.1)
  Str target;     // as sent, e.g. "/env/FOO?x=1" or "http://host/env/FOO"
  Str path;       // target without scheme, authority and query: "/env/FOO"
  int minor;      // 0 or 1, from "HTTP/1.x"
  int host_count; // Host field lines seen; HTTP/1.1 needs exactly one
  bool head_only; // method is HEAD: answer with headers only
} Request;

// A response before formatting. body is copied by http_format.
typedef struct {
  int status;
  Str body;
  bool allow_header;  // add "Allow: GET, HEAD" (405)
} Response;

int http_parse(const char *buf, size_t len, Request *req);
size_t http_format(char *out, size_t cap, const Response *res, bool head_only);
size_t http_format_cap(const Response *res);
const char *http_reason(int status);
bool http_percent_decode(Str in, char *out, size_t *out_len);

//
// routes.c
//

// The answer's body is built in this buffer, sized for the longest one:
// "NAME not found!\n" with a NAME as long as a whole request line.
enum { ROUTE_BODY_MAX = MAX_LINE + 64 };

Response route(const Request *req, char *body, size_t cap);
Response route_error(int status, char *body, size_t cap);

//
// server.c
//

int server_run(const Config *cfg);

//
// check.c
//

int check_run(const char *url, int default_port);

#endif
