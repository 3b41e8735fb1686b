// main.c: reads basic-app's configuration from the environment and runs it
// as the server, or with --check as its own health-check client.
//
//   basic-app                serve on PORT until SIGTERM or SIGINT
//   basic-app --check [URL]  exit 0 if URL (default
//                            http://127.0.0.1:$PORT/health) answers 200
//
// All configuration is in the environment (12-factor), so the same image
// runs anywhere and ECS sets it in the task definition:
//   PORT                port to listen on, default 3000
//   REQUEST_TIMEOUT_MS  time a client has to send a request head, and to
//                       read the answer; default 10000 (the tests lower it)
//   IDLE_TIMEOUT_MS     how long a kept-alive connection may wait for its
//                       next request; default 65000
//   MAX_CONNECTIONS     connections open at once; past it a new one makes
//                       the oldest idle or slowest close; default 4096
//
// Exit status: 0 after a graceful stop or a passing check, 1 for a failed
// check or a server that could not start, 2 for bad usage or configuration.

#include "basic-app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: basic-app [--check [URL]]\n";

// Reads a decimal integer from the environment variable name, or def when
// it is unset or empty. Returns false (after saying why) when it is not a
// number in [min, max].
static bool env_int(const char *name, int def, int min, int max, int *out)
{
  const char *s = getenv(name);
  if (!s || !*s) {
    *out = def;
    return true;
  }
  long v = 0;
  const char *p = s;
  for (; *p >= '0' && *p <= '9' && v <= max; p++)
    v = v * 10 + (*p - '0');
  if (*p || v < min || v > max) {
    fprintf(stderr, "basic-app: invalid %s \"%s\": expected a number from %d to %d\n", name, s,
            min, max);
    return false;
  }
  *out = (int)v;
  return true;
}

// IDLE_TIMEOUT_MS: AWS asks for an application's idle timeout above the
// load balancer's, 60 s by default; otherwise the ALB may send a request on
// a connection we are closing and answer its client 502 ("Connection idle
// timeout", https://docs.aws.amazon.com/elasticloadbalancing/latest/
// application/edit-load-balancer-attributes.html). MAX_CONNECTIONS: 4096 slow clients hold at most 64 MiB of
// request heads (MAX_HEAD each).
static bool read_config(Config *cfg)
{
  return env_int("PORT", 3000, 1, 65535, &cfg->port) &&
         env_int("REQUEST_TIMEOUT_MS", 10000, 1, 3600000, &cfg->request_timeout_ms) &&
         env_int("IDLE_TIMEOUT_MS", 65000, 1, 3600000, &cfg->idle_timeout_ms) &&
         env_int("MAX_CONNECTIONS", 4096, 1, 1000000, &cfg->max_connections);
}

int main(int argc, char **argv)
{
  Config cfg;
  if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    fputs(usage, stdout);
    return 0;
  }
  bool check = argc >= 2 && strcmp(argv[1], "--check") == 0;
  if ((argc > 1 && !check) || argc > 3) {
    fprintf(stderr, "basic-app: unexpected argument \"%s\"\n%s", argv[argc > 3 ? 3 : 1], usage);
    return 2;
  }
  if (!read_config(&cfg))
    return 2;
  if (check)
    return check_run(argc == 3 ? argv[2] : NULL, cfg.port);
  return server_run(&cfg);
}
