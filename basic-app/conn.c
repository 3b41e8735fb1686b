// conn.c: one client connection, from accept to close: it reads request
// heads, answers them one at a time, keeps the connection alive between
// requests, and closes it cleanly.
//
//   accept                         -> C_READ
//   C_READ   head complete         -> C_WRITE
//   C_WRITE  answer sent           -> C_READ if pipelined bytes wait, else
//                                     C_IDLE; C_DRAIN after the last answer
//   C_IDLE   a byte arrives        -> C_READ
//   C_DRAIN  EOF, LINGER_BYTES     -> closed
//   any      deadline              -> 408 after part of a head, else closed
//
// A head's clock starts at accept, or at the first byte of a later request,
// and more bytes never extend it: a client that trickles a byte a second
// (slowloris) gets its 408 as soon as one that sends half a head and stops.
// A connection that sends nothing at all is closed without a word when its
// clock runs out, and so is an idle one when IDLE_TIMEOUT_MS passes.
//
// The last answer on a connection says Connection: close. It is the last
// when the client asks for that or speaks HTTP/1.0, when the server is
// stopping, when the request has a body (no route reads one, so it would
// be taken for the next request), and after an error in the head (where the
// next request would start is unknown).
//
// Pipelined requests (RFC 9112 9.3.2) are answered in order, one at a time.
// While an answer is being written nothing more is read, so a client that
// sends faster than it reads is held back by TCP, and the bytes it has sent
// and we have not answered never exceed MAX_HEAD.
//
// C_DRAIN is the "lingering close" of RFC 9112 9.6: closing a socket whose
// receive buffer still holds unread bytes (a body, the rest of a 414's
// request line) makes the kernel send a reset, which can destroy our answer
// before the client has read it.
//
// Each state change puts the connection at the tail of its state's list in
// the Server, with its deadline; server.c expires and sheds from the heads.

#include "basic-app.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
  LINGER_MS = 2000,         // C_DRAIN's limit in time...
  LINGER_BYTES = MAX_BODY,  // ...and in bytes discarded
  IN_FIRST = 1024,          // the input buffer's first size; it doubles up
                            // to MAX_HEAD, so a slow client that has sent
                            // a few bytes holds 1 KiB, not 16
};

static void list_remove(ConnList *l, Conn *c)
{
  *(c->prev ? &c->prev->next : &l->head) = c->next;
  *(c->next ? &c->next->prev : &l->tail) = c->prev;
  c->prev = c->next = NULL;
}

static void list_append(ConnList *l, Conn *c)
{
  c->prev = l->tail;
  c->next = NULL;
  *(l->tail ? &l->tail->next : &l->head) = c;
  l->tail = c;
}

// Moves c to state, which times out timeout_ms from now.
static void enter(Server *s, Conn *c, ConnState state, int timeout_ms)
{
  list_remove(&s->lists[c->state], c);
  c->state = state;
  c->deadline_ms = server_now_ms() + timeout_ms;
  list_append(&s->lists[state], c);
}

// Makes epoll wait for events on c: EPOLLIN, or EPOLLOUT while an answer
// waits for room in the socket.
static void watch(Server *s, Conn *c, uint32_t events)
{
  if (c->events == events)
    return;
  struct epoll_event ev = {.events = events, .data.ptr = c};
  epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
  c->events = events;
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

// One line per request: method, target, status, duration from the start
// of the request to the last byte of the answer handed to the kernel.
static void log_request(const Conn *c, const char *note)
{
  char method[64], target[224];
  log_field(method, sizeof method, c->req.method);
  log_field(target, sizeof target, c->req.target);
  double ms = (double)(server_now_us() - c->start_us) / 1000.0;
  log_line("%s %s %d %.3fms%s%s", method, target, c->status, ms, note ? " " : "",
           note ? note : "");
}

// Takes a free slot for the accepted socket fd (the caller has made sure
// there is one) and waits for its first request.
void conn_open(Server *s, int fd)
{
  Conn *c = s->lists[C_FREE].head;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
    close(fd);
    return;
  }
  list_remove(&s->lists[C_FREE], c);
  *c = (Conn){.fd = fd, .state = C_READ, .events = EPOLLIN, .start_us = server_now_us()};
  c->deadline_ms = server_now_ms() + s->cfg->request_timeout_ms;
  list_append(&s->lists[C_READ], c);
  s->nconns++;
}

void conn_close(Server *s, Conn *c)
{
  close(c->fd);  // which also takes it out of the epoll set
  free(c->in);
  free(c->out);
  list_remove(&s->lists[c->state], c);
  *c = (Conn){.fd = -1, .state = C_FREE};
  list_append(&s->lists[C_FREE], c);
  s->nconns--;
}

// The clock of a request head starts now.
static void begin_request(Server *s, Conn *c)
{
  c->start_us = server_now_us();
  enter(s, c, C_READ, s->cfg->request_timeout_ms);
}

// After an answer that keeps the connection: returns true when the client
// has pipelined more bytes, which the caller then parses; otherwise waits
// for the next request.
static bool next_request(Server *s, Conn *c)
{
  size_t rest = c->in_len - c->req.head_len;
  memmove(c->in, c->in + c->req.head_len, rest);
  c->in_len = rest;
  if (rest > 0) {
    begin_request(s, c);
    return true;
  }
  free(c->in);  // an idle connection holds no buffer
  c->in = NULL;
  c->in_cap = 0;
  enter(s, c, C_IDLE, s->cfg->idle_timeout_ms);
  return false;
}

// Sends what the socket takes of the answer. Returns true when it is all
// sent and pipelined bytes wait to be parsed.
static bool conn_write(Server *s, Conn *c)
{
  while (c->out_sent < c->out_len) {
    ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      watch(s, c, EPOLLOUT);
      return false;
    }
    if (n < 0) {
      log_request(c, "(client gone)");
      conn_close(s, c);
      return false;
    }
    c->out_sent += (size_t)n;
  }
  log_request(c, NULL);
  free(c->out);
  c->out = NULL;
  watch(s, c, EPOLLIN);
  // Once stopping, a connection ends after the request in flight, even if
  // its answer, written earlier, did not say so (RFC 9112 9.6 lets either
  // side close at any time): shutdown waits for no other request.
  if (!c->last && !s->stopping)
    return next_request(s, c);
  shutdown(c->fd, SHUT_WR);  // FIN after the answer: "that was all"
  int linger = s->cfg->request_timeout_ms < LINGER_MS ? s->cfg->request_timeout_ms : LINGER_MS;
  enter(s, c, C_DRAIN, linger);
  return false;
}

// Answers the request in c->in: status is http_parse's verdict, 200 for a
// well-formed request (which routes.c then answers), else an error status.
// Returns what conn_write returns.
static bool respond(Server *s, Conn *c, int status)
{
  char body[ROUTE_BODY_MAX];
  Response res = status == 200 ? route(&c->req, body, sizeof body)
                               : route_error(status, body, sizeof body);
  res.close = status != 200 || !c->req.keep_alive || c->req.has_body || s->stopping;
  size_t cap = http_format_cap(&res);
  c->out = malloc(cap);
  if (!c->out) {
    conn_close(s, c);
    return false;
  }
  c->status = res.status;
  c->last = res.close;
  c->out_len = http_format(c->out, cap, &res, c->req.head_only);
  c->out_sent = 0;
  enter(s, c, C_WRITE, s->cfg->request_timeout_ms);
  return conn_write(s, c);  // the socket almost always has room: skip a wait
}

// Answers every complete request in c->in, in order. A loop, not a
// recursion through respond: 16 KiB of pipelined requests can hold a
// thousand of them.
static void answer_all(Server *s, Conn *c)
{
  int status;
  while ((status = http_parse(c->in, c->in_len, &c->req)) != 0 && respond(s, c, status))
    ;  // http_parse never answers 0 for a full buffer
}

// Makes room to receive more. The buffer is never full here: http_parse
// answers a head of MAX_HEAD bytes.
static bool grow(Conn *c)
{
  if (c->in_len < c->in_cap)
    return true;
  size_t cap = c->in_cap ? 2 * c->in_cap : IN_FIRST;
  if (cap > MAX_HEAD)
    cap = MAX_HEAD;
  char *in = realloc(c->in, cap);
  if (!in)
    return false;
  c->in = in;
  c->in_cap = cap;
  return true;
}

static void conn_read(Server *s, Conn *c)
{
  if (!grow(c)) {
    conn_close(s, c);
    return;
  }
  ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return;
  if (n < 0 || (n == 0 && c->in_len == 0)) {
    conn_close(s, c);  // reset, or closed between requests: nothing to answer
    return;
  }
  if (n == 0) {
    // The client shut its side mid-head: the head can never complete, but
    // the client can still read, so tell it.
    respond(s, c, 400);
    return;
  }
  if (c->state == C_IDLE)
    begin_request(s, c);
  c->in_len += (size_t)n;
  answer_all(s, c);
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

// c's socket is ready for what its state waits for. It may not be: an
// event for a connection closed earlier in the same batch arrives at its
// slot, free or reused, and then a recv() or send() finds nothing to do.
void conn_ready(Server *s, Conn *c)
{
  switch (c->state) {
  case C_READ:
  case C_IDLE: conn_read(s, c); break;
  case C_WRITE:
    if (conn_write(s, c))
      answer_all(s, c);
    break;
  case C_DRAIN: conn_drain(s, c); break;
  case C_FREE:
  case C_NSTATES: break;
  }
}

// c's deadline has passed. A client that sent part of a head gets 408; one
// that sent nothing, or went idle, is closed without a word.
void conn_expire(Server *s, Conn *c)
{
  if (c->state == C_READ && c->in_len > 0) {
    respond(s, c, 408);
    return;
  }
  if (c->state == C_WRITE)
    log_request(c, "(timed out writing)");
  conn_close(s, c);
}
