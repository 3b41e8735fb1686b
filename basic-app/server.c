// server.c: the event loop: listens, accepts, and hands each ready socket
// to conn.c, in one thread around epoll.
//
// Why one thread: every request here is answered from memory in
// microseconds, so the only waiting is on clients. One thread keeps the
// rest simple: no locks, a connection is a plain struct, a timeout is a
// deadline in a list, and graceful shutdown is "stop listening, loop until
// no connection is left".
//
// Why epoll rather than select or poll: select cannot watch a descriptor
// above FD_SETSIZE (1024), and poll hands the kernel every descriptor on
// every call. epoll's cost follows the sockets that are ready, so thousands
// of slow or idle clients cost the health check next to nothing. Each
// connection is a descriptor, so the soft RLIMIT_NOFILE (often 1024) is
// raised to the hard limit at start, which needs no privilege.
//
// Past the cap on connections (MAX_CONNECTIONS, or fewer if the descriptor
// limit is lower), a new connection still gets in: the loop closes an old
// one to make room ("sheds" it). Not accepting instead, as this server used
// to, left the health check waiting in the kernel's backlog behind slow
// clients, and a slowloris then got the task killed. The victim is, in this
// order, a connection whose last answer is sent, the longest idle one, the
// slowest to send its head, and last the slowest to take its answer.
//
// Every state has one timeout, so each of the Server's lists is in
// deadline order, and finding the next deadline, expiring connections and
// choosing whom to shed only look at the heads of the lists.
//
// Connections are slots in one array, allocated once: epoll events carry a
// pointer to the slot, so an event for a connection closed earlier in the
// same batch can never point at freed memory (conn_ready says what it does).
//
// SIGTERM and SIGINT reach the loop through a pipe (the self-pipe trick),
// so a signal that arrives just before epoll_wait() still wakes it.

#include "basic-app.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
  RESERVED_FDS = 16,      // stdio, the listener, epoll, the self-pipe, and
                          // the socket accepted before an old one is shed
  ACCEPT_BATCH = 256,     // accepts per wake-up, so that a flood of new
                          // connections cannot starve the ones already in
  EVENT_BATCH = 256,      // events taken per epoll_wait()
  ACCEPT_PAUSE_MS = 100,  // after accept() ran out of descriptors
  SHED_LOG_MS = 1000,     // at most one line a second about shedding
  LOG_EXIT_MS = 1000,     // what stdout gets at exit to take the last lines
  // Connections the kernel completes before we accept them. Not SOMAXCONN,
  // which is 128 in musl's headers (4096 in glibc's): in a burst of
  // connections past the backlog the kernel drops SYNs, which the client
  // resends only after a second, health check included. Linux caps it at
  // net.core.somaxconn (4096 since 5.4).
  LISTEN_BACKLOG = 4096,
};

// The write end of the self-pipe, for the signal handler.
static int signal_write_fd = -1;

int64_t server_now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t server_now_ms(void)
{
  return server_now_us() / 1000;
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
  if (bind(fd, sa, len) < 0 || listen(fd, LISTEN_BACKLOG) < 0 || !set_nonblock_cloexec(fd))
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

static void raise_nofile(void)
{
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);  // may fail for an unlimited hard limit: keep the soft one
  }
}

// MAX_CONNECTIONS, or fewer when the descriptor limit would not allow that
// many.
static size_t conn_limit(int max)
{
  struct rlimit rl;
  size_t n = (size_t)max;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    size_t fds = rl.rlim_cur > RESERVED_FDS ? (size_t)(rl.rlim_cur - RESERVED_FDS) : 1;
    if (fds < n)
      n = fds;
  }
  return n;
}

// Adds fd to the epoll set; data tells the loop what it is.
static bool watch_fd(Server *s, int fd, uint32_t events, void *data)
{
  struct epoll_event ev = {.events = events, .data.ptr = data};
  return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

// The order in which connections make room for a new one.
static const ConnState shed_order[] = {C_DRAIN, C_IDLE, C_READ, C_WRITE};

// Closes one connection to make room, and says so at most once a second.
static void shed(Server *s)
{
  for (size_t i = 0; i < sizeof shed_order / sizeof *shed_order; i++) {
    Conn *c = s->lists[shed_order[i]].head;
    if (c) {
      conn_close(s, c);
      break;
    }
  }
  s->shed++;
  int64_t now = server_now_ms();
  if (s->shed == 1 || now - s->shed_logged_ms >= SHED_LOG_MS) {
    log_line("basic-app: %zu connections, the most allowed: closing the oldest idle or "
             "slowest to let new ones in (%lu so far)",
             s->max_conns, s->shed);
    s->shed_logged_ms = now;
  }
}

// Stops polling the listener for a while: it stays readable when accept()
// fails for want of descriptors, and the loop would spin.
static void pause_accepting(Server *s)
{
  struct epoll_event ev = {.events = 0, .data.ptr = &s->listen_fd};
  epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev);
  s->accept_resume = server_now_ms() + ACCEPT_PAUSE_MS;
}

static void resume_accepting(Server *s, int64_t now)
{
  if (s->accept_resume == 0 || now < s->accept_resume || s->listen_fd < 0)
    return;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &s->listen_fd};
  epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev);
  s->accept_resume = 0;
}

// Accepts up to limit connections waiting in the backlog, shedding old
// ones past the cap.
static void accept_some(Server *s, int limit)
{
  for (int i = 0; i < limit; i++) {
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
      continue;
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        log_line("basic-app: accept: %s", strerror(errno));
        pause_accepting(s);
      }
      return;  // EAGAIN: the backlog is empty
    }
    // TCP_NODELAY: each answer goes out in one send(), so Nagle's algorithm
    // has nothing to merge, except pipelined answers, where it would hold
    // the second one until the client's delayed ACK (40 ms on Linux).
    int on = 1;
    if (!set_nonblock_cloexec(fd) || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0) {
      close(fd);
      continue;
    }
    if (s->nconns == s->max_conns)
      shed(s);
    conn_open(s, fd);
  }
}

// Graceful shutdown: take what is already in the backlog (those clients
// have connected and may be sending requests), stop listening, close the
// idle connections, and let the loop run until the last request is
// answered. Every state has a timeout, so this ends within about
// REQUEST_TIMEOUT_MS * 2 + LINGER_MS, well inside ECS's stop timeout (30 s
// by default) before SIGKILL.
static void begin_shutdown(Server *s, int sig)
{
  s->stopping = true;
  accept_some(s, INT_MAX);
  close(s->listen_fd);
  s->listen_fd = -1;
  s->accept_resume = 0;  // no listener left to resume
  while (s->lists[C_IDLE].head)
    conn_close(s, s->lists[C_IDLE].head);
  log_line("basic-app: %s: stopped accepting, finishing %zu connection%s",
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

// How long epoll_wait() may sleep: until the nearest deadline, or forever.
static int wait_timeout(const Server *s, int64_t now)
{
  int64_t next = s->accept_resume ? s->accept_resume : INT64_MAX;
  for (int st = C_READ; st < C_NSTATES; st++)
    if (s->lists[st].head && s->lists[st].head->deadline_ms < next)
      next = s->lists[st].head->deadline_ms;
  if (next == INT64_MAX)
    return -1;
  if (next <= now)
    return 0;
  return next - now > INT32_MAX ? INT32_MAX : (int)(next - now);
}

static void expire(Server *s, int64_t now)
{
  for (int st = C_READ; st < C_NSTATES; st++) {
    Conn *c;
    while ((c = s->lists[st].head) && c->deadline_ms <= now)
      conn_expire(s, c);  // moves c to another list, or frees it
  }
}

// The event loop. Returns the exit status: 0 after a graceful shutdown.
static int serve(Server *s)
{
  struct epoll_event evs[EVENT_BATCH];
  while (!s->stopping || s->nconns > 0) {
    log_flush();
    int n = epoll_wait(s->epoll_fd, evs, EVENT_BATCH, wait_timeout(s, server_now_ms()));
    if (n < 0 && errno != EINTR) {
      log_line("basic-app: epoll_wait: %s", strerror(errno));
      return 1;
    }
    bool incoming = false;
    for (int i = 0; i < n; i++) {
      void *p = evs[i].data.ptr;
      if (p == &s->signal_fd && !handle_signals(s)) {
        log_line("basic-app: second signal: closing %zu connection%s", s->nconns,
                 s->nconns == 1 ? "" : "s");
        return 1;
      }
      if (p == &s->listen_fd)
        incoming = true;
      else if (p != &s->signal_fd && p != s)  // s: stdout takes bytes again
        conn_ready(s, p);
    }
    // After the connections' own events, so that one accepted in the last
    // round is read before new ones can push it out.
    if (incoming && s->listen_fd >= 0)
      accept_some(s, ACCEPT_BATCH);
    int64_t now = server_now_ms();
    expire(s, now);
    resume_accepting(s, now);
  }
  log_line("basic-app: stopped");
  return 0;
}

// Runs the server until SIGTERM or SIGINT. Returns the exit status.
int server_run(const Config *cfg)
{
  Server s = {.cfg = cfg, .epoll_fd = -1, .listen_fd = -1, .signal_fd = -1};
  int rc = 1;

  raise_nofile();
  s.max_conns = conn_limit(cfg->max_connections);
  s.conns = calloc(s.max_conns, sizeof *s.conns);
  if (!s.conns) {
    fprintf(stderr, "basic-app: out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < s.max_conns; i++) {
    Conn *c = &s.conns[i];
    *c = (Conn){.fd = -1, .state = C_FREE, .prev = s.lists[C_FREE].tail};
    *(c->prev ? &c->prev->next : &s.lists[C_FREE].head) = c;
    s.lists[C_FREE].tail = c;
  }

  s.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (s.epoll_fd < 0) {
    fprintf(stderr, "basic-app: epoll: %s\n", strerror(errno));
    goto out_free;
  }
  s.listen_fd = listen_all(cfg->port);
  if (s.listen_fd < 0) {
    fprintf(stderr, "basic-app: cannot listen on port %d: %s\n", cfg->port, strerror(errno));
    goto out_close_epoll;
  }
  if (!setup_signals(&s.signal_fd)) {
    fprintf(stderr, "basic-app: cannot set up signals: %s\n", strerror(errno));
    goto out_close_listener;
  }
  if (!watch_fd(&s, s.signal_fd, EPOLLIN, &s.signal_fd) ||
      !watch_fd(&s, s.listen_fd, EPOLLIN, &s.listen_fd)) {
    fprintf(stderr, "basic-app: epoll: %s\n", strerror(errno));
    goto out_restore_signals;
  }
  // Edge-triggered: woken when a stalled reader takes bytes again, not on
  // every round while stdout has room.
  if (log_init())
    watch_fd(&s, STDOUT_FILENO, EPOLLOUT | EPOLLET, &s);
  log_line("basic-app: listening on port %d (at most %zu connections)", cfg->port,
           s.max_conns);

  rc = serve(&s);

  for (size_t i = 0; i < s.max_conns; i++)  // left only after a second signal
    if (s.conns[i].state != C_FREE)
      conn_close(&s, &s.conns[i]);
out_restore_signals:
  restore_signals();
  close(s.signal_fd);
out_close_listener:
  if (s.listen_fd >= 0)
    close(s.listen_fd);
out_close_epoll:
  close(s.epoll_fd);
out_free:
  free(s.conns);
  log_finish(LOG_EXIT_MS);
  return rc;
}
