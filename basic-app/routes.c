// routes.c: the application itself, mapping a parsed request to its answer.
//
//   GET /          200 "Hello world\n"
//   GET /env/NAME  200 "NAME length is: N\n" when NAME is set, otherwise
//                  404 "NAME not found!\n"
//   GET /health    200 "ok\n", for the ALB target group and the container
//                  health check (basic-app --check)
//
// HEAD works wherever GET does; any other method on these paths is 405.
// /env/NAME exists to show that parameters from the SSM Parameter Store
// reach the environment, so it tells only the length of a value, never the
// value: the parameters are secrets.

#include "basic-app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Response text(const char *msg)
{
  return (Response){.status = 200, .body = {msg, strlen(msg)}};
}

// The body of an error names the status, e.g. "Not Found\n".
Response route_error(int status, char *body, size_t cap)
{
  int n = snprintf(body, cap, "%s\n", http_reason(status));
  return (Response){.status = status, .body = {body, (size_t)n}, .allow_header = status == 405};
}

// NAME is the rest of the decoded path, so "/env/A%2FB" and "/env/A/B" both
// ask for "A/B". A name with '=' is never looked up: getenv would match it
// against the start of a "NAME=value" entry and so leak part of a value.
static Response env(const char *name, size_t len, char *body, size_t cap)
{
  const char *value = memchr(name, '=', len) ? NULL : getenv(name);
  int n;
  if (!value)
    n = snprintf(body, cap, "%.*s not found!\n", (int)len, name);
  else
    n = snprintf(body, cap, "%.*s length is: %zu\n", (int)len, name, strlen(value));
  // 404 rather than the original app's 200: the resource does not exist,
  // and a client can tell the two answers apart without parsing the text.
  return (Response){.status = value ? 200 : 404, .body = {body, (size_t)n}};
}

static bool is_get_or_head(Str method)
{
  return (method.len == 3 && memcmp(method.ptr, "GET", 3) == 0) ||
         (method.len == 4 && memcmp(method.ptr, "HEAD", 4) == 0);
}

// Answers a well-formed request (http_parse returned 200) in body, which
// has room for ROUTE_BODY_MAX bytes. An unknown path is 404 whatever the
// method, and a known path with a method other than GET or HEAD is 405.
Response route(const Request *req, char *body, size_t cap)
{
  char path[MAX_LINE + 1];  // the decoded path is no longer than the raw one
  size_t len;
  if (!http_percent_decode(req->path, path, &len))
    return route_error(400, body, cap);
  path[len] = '\0';

  const char *prefix = "/env/";
  size_t plen = strlen(prefix);
  bool is_root = strcmp(path, "/") == 0;
  bool is_health = strcmp(path, "/health") == 0;
  bool is_env = len > plen && memcmp(path, prefix, plen) == 0;

  if (!is_root && !is_health && !is_env)
    return route_error(404, body, cap);
  if (!is_get_or_head(req->method))
    return route_error(405, body, cap);
  if (is_root)
    return text("Hello world\n");
  if (is_health)
    return text("ok\n");
  return env(path + plen, len - plen, body, cap);
}
