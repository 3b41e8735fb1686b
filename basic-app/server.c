// server.c: accepts connections and carries each one through reading the
// request, writing the answer and closing, in one thread around poll().
//
// Why one thread with poll() and non-blocking sockets rather than a thread
// per connection: every request here is answered from memory in
// microseconds, so the only waiting is on clients, and waiting on many
// sockets is what poll() is for. One thread also makes the rest simple:
// no locks, a connection is a plain struct whose memory is bounded
// (MAX_HEAD bytes in, one response out), a timeout is a field compared with
// the clock once per loop, and graceful shutdown is "stop polling the
// listener, loop until no connection is left". The cap on connections
// (MAX_CONNS, or fewer if RLIMIT_NOFILE is low) keeps memory and file
// descriptors bounded; past it the listener is not polled and new clients
// wait in the kernel's backlog.
//
// A connection carries one request (every answer says Connection: close):
//
//   C_READ   receiving the request head; REQUEST_TIMEOUT_MS to get all of it
//   C_WRITE  sending the answer; REQUEST_TIMEOUT_MS for the client to take it
//   C_DRAIN  answer sent and our side shut down; reading and discarding
//            whatever the client still sends, for at most LINGER_MS
//
// C_DRAIN is the "lingering close" of RFC 9112 9.6: closing a socket whose
// receive buffer still holds unread bytes (a body, the rest of a 414's
// request line) makes the kernel send a reset, which can destroy our answer
// before the client has read it.
//
// SIGTERM and SIGINT reach the loop through a pipe (the self-pipe trick),
// so a signal that arrives just before poll() still wakes it.

#include "basic-app.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
  MAX_CONNS = 1024,
  LINGER_MS = 2000,           // C_DRAIN's limit in time...
  LINGER_BYTES = 64 * 1024,   // ...and in bytes discarded
  ACCEPT_PAUSE_MS = 100,      // after accept() ran out of descriptors
};

typedef enum { C_FREE, C_READ, C_WRITE, C_DRAIN } ConnState;

typedef struct {
  int fd;
  ConnState state;
  char *in;            // MAX_HEAD bytes: the request head as received
  size_t in_len;
  Request req;         // parsed from in; kept for the log line
  char *out;           // the formatted response
  size_t out_len;
  size_t out_sent;
  size_t drained;      // bytes discarded in C_DRAIN
  int status;          // of the answer, for the log line
  int64_t start_us;    // when accepted, for the log line's duration
  int64_t deadline_ms; // when this state times out
} Conn;

typedef struct {
  const Config *cfg;
  int listen_fd;          // -1 once shutdown has begun
  int signal_fd;          // read end of the self-pipe
  bool stopping;          // SIGTERM or SIGINT received: finish and exit
  int64_t accept_resume;  // don't accept before this time (ms)
  Conn *conns;            // max_conns slots, C_FREE when unused
  size_t max_conns;
  size_t nconns;          // slots in use
  struct pollfd *pfds;    // [0] signal pipe, [1] listener, then connections
  Conn **pconns;          // pconns[i] is the connection of pfds[i]
} Server;

// The write end of the self-pipe, for the signal handler.
static int signal_write_fd = -1;

static int64_t now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_ms(void)
{
  return now_us() / 1000;
}

static void on_signal(int sig)
{
  int saved = errno;  // write() may change errno under the interrupted code
  unsigned char b = (unsigned char)sig;
  ssize_t n = write(signal_write_fd, &b, 1);  // async-signal-safe
  (void)n;  // pipe full: enough signals are pending already
  errno = saved;
}

static bool set_nonblock_cloexec(int fd)
{
  int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
         fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

// Creates the self-pipe and routes SIGTERM and SIGINT into it. SIGPIPE is
// ignored: a client that hangs up must make send() fail, not kill us.
static bool setup_signals(int *read_fd)
{
  int p[2];
  if (pipe(p) < 0)
    return false;
  if (!set_nonblock_cloexec(p[0]) || !set_nonblock_cloexec(p[1])) {
    close(p[0]);
    close(p[1]);
    return false;
  }
  signal_write_fd = p[1];
  *read_fd = p[0];

  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
  return true;
}

static void restore_signals(void)
{
  struct sigaction sa = {0};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  close(signal_write_fd);
  signal_write_fd = -1;
}

static int open_listener(const struct sockaddr *sa, socklen_t len, bool v6)
{
  int fd = socket(sa->sa_family, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  int on = 1, off = 0;
  // SO_REUSEADDR: a restart must not wait for old connections in TIME_WAIT.
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0)
    goto out_close;
  if (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0)
    goto out_close;
  if (bind(fd, sa, len) < 0 || listen(fd, SOMAXCONN) < 0 || !set_nonblock_cloexec(fd))
    goto out_close;
  return fd;
out_close:;
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

// Listens on every interface: one IPv6 socket that takes IPv4 too (RFC 3493
// 5.3) when the kernel has IPv6, as most container hosts do not, and an
// IPv4 socket otherwise. Returns -1 with errno set from the IPv4 attempt.
static int listen_all(int port)
{
  struct sockaddr_in6 sa6 = {0};
  sa6.sin6_family = AF_INET6;
  sa6.sin6_port = htons((uint16_t)port);
  sa6.sin6_addr = in6addr_any;
  int fd = open_listener((struct sockaddr *)&sa6, sizeof sa6, true);
  if (fd >= 0)
    return fd;

  struct sockaddr_in sa4 = {0};
  sa4.sin_family = AF_INET;
  sa4.sin_port = htons((uint16_t)port);
  sa4.sin_addr.s_addr = htonl(INADDR_ANY);
  return open_listener((struct sockaddr *)&sa4, sizeof sa4, false);
}

// MAX_CONNS, or fewer when the descriptor limit would not allow that many,
// keeping a few descriptors for the listener, the pipe and stdio.
static size_t conn_limit(void)
{
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
    return MAX_CONNS;
  if (rl.rlim_cur < 16 + 1)
    return 1;
  return rl.rlim_cur - 16 < MAX_CONNS ? (size_t)(rl.rlim_cur - 16) : MAX_CONNS;
}

// Copies s into out for the log, escaping bytes a terminal or a log parser
// could misread (controls, spaces, non-ASCII, backslash) as \xNN, and
// shortening it to about 200 bytes.
static void log_field(char *out, size_t cap, Str s)
{
  static const char hex[] = "0123456789abcdef";
  size_t n = 0;
  if (s.len == 0)
    s = (Str){"-", 1};
  for (size_t i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    if (n + 8 >= cap) {
      memcpy(out + n, "...", 3);
      n += 3;
      break;
    }
    if (c > ' ' && c < 0x7f && c != '\\') {
      out[n++] = (char)c;
    } else {
      out[n++] = '\\';
      out[n++] = 'x';
      out[n++] = hex[c >> 4];
      out[n++] = hex[c & 0xf];
    }
  }
  out[n] = '\0';
}

// One line per request: method, target, status, duration from accept to
// the last byte of the answer handed to the kernel.
static void log_request(const Conn *c, const char *note)
{
  char method[64], target[224];
  log_field(method, sizeof method, c->req.method);
  log_field(target, sizeof target, c->req.target);
  double ms = (double)(now_us() - c->start_us) / 1000.0;
  printf("%s %s %d %.3fms%s%s\n", method, target, c->status, ms, note ? " " : "",
         note ? note : "");
}

static void conn_close(Server *s, Conn *c)
{
  close(c->fd);
  free(c->in);
  free(c->out);
  *c = (Conn){.fd = -1, .state = C_FREE};
  s->nconns--;
}

// Moves c to state, which times out timeout_ms from now.
static void enter(Conn *c, ConnState state, int timeout_ms)
{
  c->state = state;
  c->deadline_ms = now_ms() + timeout_ms;
}

static void conn_write(Server *s, Conn *c)
{
  while (c->out_sent < c->out_len) {
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;  // poll() will say when there is room
    if (n < 0) {
      log_request(c, "(client gone)");
      conn_close(s, c);
      return;
    }
    c->out_sent += (size_t)n;
  }
  log_request(c, NULL);
  shutdown(c->fd, SHUT_WR);  // FIN after the answer: "that was all"
  int linger = s->cfg->request_timeout_ms < LINGER_MS ? s->cfg->request_timeout_ms : LINGER_MS;
  enter(c, C_DRAIN, linger);
}

// Answers the request in c->in: status is http_parse's verdict, 200 for a
// well-formed request (which routes.c then answers), else an error status.
static void respond(Server *s, Conn *c, int status)
{
  char body[ROUTE_BODY_MAX];
  Response res = status == 200 ? route(&c->req, body, sizeof body)
                               : route_error(status, body, sizeof body);
  size_t cap = http_format_cap(&res);
  c->out = malloc(cap);
  if (!c->out) {
    conn_close(s, c);
    return;
  }
  c->status = res.status;
  c->out_len = http_format(c->out, cap, &res, c->req.head_only);
  enter(c, C_WRITE, s->cfg->request_timeout_ms);
  conn_write(s, c);  // the socket almost always has room: skip a poll()
}

static void conn_read(Server *s, Conn *c)
{
  ssize_t n = recv(c->fd, c->in + c->in_len, MAX_HEAD - c->in_len, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return;
  if (n < 0 || (n == 0 && c->in_len == 0)) {
    conn_close(s, c);  // reset, or closed without a word: nothing to answer
    return;
  }
  if (n == 0) {
    // The client shut its side mid-head: the head can never complete, but
    // the client can still read, so tell it.
    respond(s, c, 400);
    return;
  }
  c->in_len += (size_t)n;
  int status = http_parse(c->in, c->in_len, &c->req);
  if (status)  // http_parse never answers 0 for a full buffer
    respond(s, c, status);
}

static void conn_drain(Server *s, Conn *c)
{
  char scratch[4096];
  ssize_t n = recv(c->fd, scratch, sizeof scratch, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return;
  if (n > 0)
    c->drained += (size_t)n;
  if (n <= 0 || c->drained > LINGER_BYTES)
    conn_close(s, c);
}

static void conn_event(Server *s, Conn *c)
{
  switch (c->state) {
  case C_READ: conn_read(s, c); break;
  case C_WRITE: conn_write(s, c); break;
  case C_DRAIN: conn_drain(s, c); break;
  case C_FREE: break;
  }
}

// A client that sent nothing is closed without a word (it may be a
// pre-opened connection); one that sent part of a head gets 408.
static void conn_timeout(Server *s, Conn *c)
{
  if (c->state == C_READ && c->in_len > 0) {
    respond(s, c, 408);
  } else if (c->state == C_WRITE) {
    log_request(c, "(timed out writing)");
    conn_close(s, c);
  } else {
    conn_close(s, c);
  }
}

static void add_conn(Server *s, int fd)
{
  Conn *c = NULL;
  for (size_t i = 0; i < s->max_conns && !c; i++)
    if (s->conns[i].state == C_FREE)
      c = &s->conns[i];
  char *in = malloc(MAX_HEAD);
  if (!c || !in || !set_nonblock_cloexec(fd)) {
    free(in);
    close(fd);
    return;
  }
  *c = (Conn){.fd = fd, .in = in, .start_us = now_us()};
  s->nconns++;
  enter(c, C_READ, s->cfg->request_timeout_ms);
}

// Accepts every connection waiting in the backlog, up to the cap.
static void accept_all(Server *s)
{
  while (s->nconns < s->max_conns) {
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd >= 0) {
      add_conn(s, fd);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED)
      continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // The listener stays readable: without a pause we would spin.
      fprintf(stderr, "basic-app: accept: %s\n", strerror(errno));
      s->accept_resume = now_ms() + ACCEPT_PAUSE_MS;
    }
    return;  // EAGAIN: the backlog is empty
  }
}

// Graceful shutdown: take what is already in the backlog (those clients
// have connected and may be sending requests), stop listening, and let the
// loop run until the last connection is done. Every state has a timeout,
// so this ends within about REQUEST_TIMEOUT_MS * 2 + LINGER_MS, well inside
// ECS's stop timeout (30 s by default) before SIGKILL.
static void begin_shutdown(Server *s, int sig)
{
  s->stopping = true;
  accept_all(s);
  close(s->listen_fd);
  s->listen_fd = -1;
  printf("basic-app: %s: stopped accepting, finishing %zu connection%s\n",
         sig == SIGTERM ? "SIGTERM" : "SIGINT", s->nconns, s->nconns == 1 ? "" : "s");
}

// Reads the signals that arrived. Returns false on a second signal, which
// means "stop now" (a second Ctrl-C).
static bool handle_signals(Server *s)
{
  unsigned char sigs[16];
  ssize_t n;
  while ((n = read(s->signal_fd, sigs, sizeof sigs)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (s->stopping)
        return false;
      begin_shutdown(s, sigs[i]);
    }
  }
  return true;
}

// Fills s->pfds; returns how many entries are in use.
static nfds_t fill_pollfds(Server *s, int64_t now)
{
  s->pfds[0] = (struct pollfd){.fd = s->signal_fd, .events = POLLIN};
  bool accepting = s->listen_fd >= 0 && s->nconns < s->max_conns && now >= s->accept_resume;
  s->pfds[1] = (struct pollfd){.fd = accepting ? s->listen_fd : -1, .events = POLLIN};
  nfds_t n = 2;
  for (size_t i = 0; i < s->max_conns; i++) {
    Conn *c = &s->conns[i];
    if (c->state == C_FREE)
      continue;
    short ev = c->state == C_WRITE ? POLLOUT : POLLIN;
    s->pfds[n] = (struct pollfd){.fd = c->fd, .events = ev};
    s->pconns[n++] = c;
  }
  return n;
}

// How long poll() may sleep: until the nearest deadline, or forever.
static int poll_timeout(const Server *s, int64_t now)
{
  int64_t next = INT64_MAX;
  if (s->listen_fd >= 0 && s->accept_resume > now)
    next = s->accept_resume;
  for (size_t i = 0; i < s->max_conns; i++)
    if (s->conns[i].state != C_FREE && s->conns[i].deadline_ms < next)
      next = s->conns[i].deadline_ms;
  if (next == INT64_MAX)
    return -1;
  if (next <= now)
    return 0;
  return next - now > INT32_MAX ? INT32_MAX : (int)(next - now);
}

static void expire(Server *s, int64_t now)
{
  for (size_t i = 0; i < s->max_conns; i++)
    if (s->conns[i].state != C_FREE && s->conns[i].deadline_ms <= now)
      conn_timeout(s, &s->conns[i]);
}

// The event loop. Returns the exit status: 0 after a graceful shutdown.
static int serve(Server *s)
{
  while (!s->stopping || s->nconns > 0) {
    nfds_t n = fill_pollfds(s, now_ms());
    int ready = poll(s->pfds, n, poll_timeout(s, now_ms()));
    if (ready < 0 && errno != EINTR) {
      fprintf(stderr, "basic-app: poll: %s\n", strerror(errno));
      return 1;
    }
    if (ready > 0) {
      if (s->pfds[0].revents && !handle_signals(s)) {
        printf("basic-app: second signal: closing %zu connection%s\n", s->nconns,
               s->nconns == 1 ? "" : "s");
        return 1;
      }
      if (s->pfds[1].revents && s->listen_fd >= 0)
        accept_all(s);
      for (nfds_t i = 2; i < n; i++)
        if (s->pfds[i].revents && s->pconns[i]->state != C_FREE)
          conn_event(s, s->pconns[i]);
    }
    expire(s, now_ms());
  }
  printf("basic-app: stopped\n");
  return 0;
}

// Runs the server until SIGTERM or SIGINT. Returns the exit status.
int server_run(const Config *cfg)
{
  Server s = {.cfg = cfg, .listen_fd = -1, .signal_fd = -1};
  int rc = 1;

  s.max_conns = conn_limit();
  s.conns = calloc(s.max_conns, sizeof *s.conns);
  s.pfds = calloc(s.max_conns + 2, sizeof *s.pfds);
  s.pconns = calloc(s.max_conns + 2, sizeof *s.pconns);
  if (!s.conns || !s.pfds || !s.pconns) {
    fprintf(stderr, "basic-app: out of memory\n");
    goto out_free;
  }
  for (size_t i = 0; i < s.max_conns; i++)
    s.conns[i].fd = -1;

  s.listen_fd = listen_all(cfg->port);
  if (s.listen_fd < 0) {
    fprintf(stderr, "basic-app: cannot listen on port %d: %s\n", cfg->port, strerror(errno));
    goto out_free;
  }
  if (!setup_signals(&s.signal_fd)) {
    fprintf(stderr, "basic-app: cannot set up signals: %s\n", strerror(errno));
    goto out_close_listener;
  }
  printf("basic-app: listening on port %d\n", cfg->port);

  rc = serve(&s);

  for (size_t i = 0; i < s.max_conns; i++)  // left only after a second signal
    if (s.conns[i].state != C_FREE)
      conn_close(&s, &s.conns[i]);
  restore_signals();
  close(s.signal_fd);
out_close_listener:
  if (s.listen_fd >= 0)
    close(s.listen_fd);
out_free:
  free(s.pconns);
  free(s.pfds);
  free(s.conns);
  return rc;
}
