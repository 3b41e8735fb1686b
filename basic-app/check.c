// check.c: `basic-app --check [URL]`, the health check run inside the
// container by Docker's HEALTHCHECK or the task definition's healthCheck.
//
// The image is FROM scratch, with no shell, curl or wget, so the binary
// checks itself. It exits 0 when URL answers 200, 1 for anything else
// (refused, no answer within CHECK_TIMEOUT_MS, another status) and 2 for a
// URL it cannot handle. Only http://HOST[:PORT][/PATH] with HOST a dotted
// IPv4 address or "localhost" is supported: that covers a container
// checking itself, without a resolver in a static binary.

#include "basic-app.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

// Below the 5 s timeout that Docker and ECS health checks default to, so
// that a hung server shows up as our "timed out", not theirs.
enum { CHECK_TIMEOUT_MS = 3000 };

typedef struct {
  struct sockaddr_in addr;
  char host[64];   // "HOST:PORT", for the Host field
  char path[512];  // starts with '/'
} Url;

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Parses "http://" HOST [":" PORT] [PATH]. Returns false for anything else.
static bool parse_url(const char *s, Url *u)
{
  const char *scheme = "http://";
  for (size_t i = 0; scheme[i]; i++)
    if (tolower((unsigned char)s[i]) != scheme[i])
      return false;
  s += strlen(scheme);

  size_t hlen = strcspn(s, ":/");
  char host[32];
  if (hlen == 0 || hlen >= sizeof host)
    return false;
  memcpy(host, s, hlen);
  host[hlen] = '\0';
  s += hlen;

  long port = 80;
  if (*s == ':') {
    s++;
    port = 0;
    if (*s < '0' || *s > '9')
      return false;
    for (; *s >= '0' && *s <= '9' && port <= 65535; s++)
      port = port * 10 + (*s - '0');
    if (port < 1 || port > 65535)
      return false;
  }
  if (*s && *s != '/')
    return false;
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)  // would break the request line
      return false;
  if (strlen(s) >= sizeof u->path)
    return false;
  strcpy(u->path, *s ? s : "/");

  u->addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  const char *ip = strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
  if (inet_pton(AF_INET, ip, &u->addr.sin_addr) != 1)
    return false;
  snprintf(u->host, sizeof u->host, "%s:%ld", host, port);
  return true;
}

// Waits until fd is ready for events or the deadline passes.
static bool wait_fd(int fd, short events, int64_t deadline)
{
  for (;;) {
    int64_t left = deadline - now_ms();
    if (left <= 0)
      return false;
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, (int)left);
    if (n > 0)
      return true;
    if (n < 0 && errno != EINTR)
      return false;
  }
}

// Connects to u within the deadline. Returns the socket, or -1 after
// saying why.
static int dial(const Url *u, const char *url, int64_t deadline)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
    goto out_error;
  if (connect(fd, (const struct sockaddr *)&u->addr, sizeof u->addr) < 0) {
    if (errno != EINPROGRESS)
      goto out_error;
    if (!wait_fd(fd, POLLOUT, deadline)) {
      errno = ETIMEDOUT;
      goto out_error;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
      errno = err ? err : errno;
      goto out_error;
    }
  }
  return fd;
out_error:
  fprintf(stderr, "basic-app: check %s: %s\n", url, strerror(errno));
  if (fd >= 0)
    close(fd);
  return -1;
}

// Sends a GET for u's path and reads the status line. Returns the status
// code, or -1 after saying why.
static int get_status(int fd, const Url *u, const char *url, int64_t deadline)
{
  char buf[1024];
  int n = snprintf(buf, sizeof buf,
                   "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: basic-app-check\r\n"
                   "Connection: close\r\n\r\n",
                   u->path, u->host);
  for (size_t sent = 0; sent < (size_t)n;) {
    if (!wait_fd(fd, POLLOUT, deadline))
      goto out_timeout;
    ssize_t k = send(fd, buf + sent, (size_t)n - sent, MSG_NOSIGNAL);
    if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      goto out_error;
    sent += k > 0 ? (size_t)k : 0;
  }

  size_t len = 0;
  while (!memchr(buf, '\n', len) && len < sizeof buf - 1) {
    if (!wait_fd(fd, POLLIN, deadline))
      goto out_timeout;
    ssize_t k = recv(fd, buf + len, sizeof buf - 1 - len, 0);
    if (k == 0)
      break;
    if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      goto out_error;
    len += k > 0 ? (size_t)k : 0;
  }
  buf[len] = '\0';

  // status-line = HTTP-version SP status-code SP [reason-phrase] (RFC 9112 4)
  if (len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ' ||
      !isdigit((unsigned char)buf[9]) || !isdigit((unsigned char)buf[10]) ||
      !isdigit((unsigned char)buf[11])) {
    fprintf(stderr, "basic-app: check %s: not an HTTP/1.x answer\n", url);
    return -1;
  }
  return (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');

out_timeout:
  fprintf(stderr, "basic-app: check %s: no answer within %d ms\n", url, CHECK_TIMEOUT_MS);
  return -1;
out_error:
  fprintf(stderr, "basic-app: check %s: %s\n", url, strerror(errno));
  return -1;
}

// Runs the check. url NULL means http://127.0.0.1:PORT/health. Returns the
// exit status.
int check_run(const char *url, int default_port)
{
  char def[64];
  if (!url) {
    snprintf(def, sizeof def, "http://127.0.0.1:%d/health", default_port);
    url = def;
  }
  Url u;
  if (!parse_url(url, &u)) {
    fprintf(stderr,
            "basic-app: unsupported URL \"%s\": expected http://HOST[:PORT][/PATH] "
            "with HOST an IPv4 address or localhost\n",
            url);
    return 2;
  }

  int64_t deadline = now_ms() + CHECK_TIMEOUT_MS;
  int fd = dial(&u, url, deadline);
  if (fd < 0)
    return 1;
  int status = get_status(fd, &u, url, deadline);
  close(fd);
  if (status < 0)
    return 1;
  if (status != 200) {
    fprintf(stderr, "basic-app: check %s: status %d\n", url, status);
    return 1;
  }
  return 0;
}
