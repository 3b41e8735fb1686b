// basic-app.h: the declarations shared by basic-app's files, one group per file.
//
// basic-app is the example service that ecsc deploys: a small HTTP/1.1 server
// with no dependency beyond libc, so that it links statically and ships alone
// in a scratch image. The pipeline of one request is
//   server.c (the event loop) -> conn.c (bytes in) -> http.c (parse the head)
//   -> routes.c (the answer) -> http.c (format the response)
//   -> conn.c (bytes out) -> log.c (one log line).
// check.c is the same binary's health-check client (`basic-app --check`).

#ifndef BASIC_APP_H
#define BASIC_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// A slice of bytes that is not NUL-terminated, as in ecsc's compiler.
typedef struct {
  const char *ptr;
  size_t len;
} Str;

// Limits on what a client may send. They bound the memory of a connection
// (MAX_LINE + MAX_FIELDS bytes) and are the thresholds of 414, 431 and 413.
enum {
  MAX_LINE = 8192,    // request line, terminator included
  MAX_FIELDS = 8192,  // header field lines after it, final empty line included
  MAX_HEAD = MAX_LINE + MAX_FIELDS,
  MAX_BODY = 64 * 1024,  // a larger declared body is 413: no route reads a
                         // body, and we discard at most this much before closing
};

//
// main.c
//

// Everything basic-app reads from its environment, read once at start-up.
typedef struct {
  int port;                // PORT, default 3000
  int request_timeout_ms;  // REQUEST_TIMEOUT_MS, default 10000: time to send a
                           // whole request head, and to read the response
  int idle_timeout_ms;     // IDLE_TIMEOUT_MS, default 65000: how long a
                           // kept-alive connection may wait for its next request
  int max_connections;     // MAX_CONNECTIONS, default 4096: past it the oldest
                           // idle or slowest connection makes room for a new one
} Config;

//
// http.c
//

// A request head, as far as it was parsed. The Strs point into the
// connection's input buffer. On a parse error the fields that were read
// before the error stay set, so the log line can show them.
typedef struct {
  Str method;      // e.g. "GET"; case-sensitive (RFC 9110 9.1)
  Str target;      // as sent, e.g. "/env/FOO?x=1" or "http://host/env/FOO"
  Str path;        // target without scheme, authority and query: "/env/FOO"
  int minor;       // 0 or 1, from "HTTP/1.x"
  int host_count;  // Host field lines seen; HTTP/1.1 needs exactly one
  bool head_only;  // method is HEAD: answer with headers only
  bool keep_alive; // the client lets the connection persist (RFC 9112 9.3)
  bool has_body;   // Content-Length above 0, or Transfer-Encoding
  size_t head_len; // bytes of the head, final empty line included: a
                   // pipelined next request starts here
} Request;

// A response before formatting. body is copied by http_format.
typedef struct {
  int status;
  Str body;
  bool allow_header;  // add "Allow: GET, HEAD" (405)
  bool close;         // add "Connection: close": the last answer on this connection
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
// conn.c
//

// The states of a connection. Each has one timeout, the same for every
// connection in it, so the server's list of the connections in a state,
// in the order they entered it, is also the order of their deadlines.
typedef enum {
  C_FREE,   // an unused slot
  C_READ,   // receiving a request head; REQUEST_TIMEOUT_MS from its start
  C_WRITE,  // sending the answer; REQUEST_TIMEOUT_MS for the client to take it
  C_IDLE,   // kept alive between requests; IDLE_TIMEOUT_MS
  C_DRAIN,  // last answer sent, our side shut: discarding what the client
            // still sends, for at most LINGER_MS
  C_NSTATES
} ConnState;

typedef struct Conn Conn;
struct Conn {
  int fd;
  ConnState state;
  Conn *prev, *next;     // neighbours in the server's list for state
  int64_t deadline_ms;   // when this state times out
  uint32_t events;       // what epoll watches for: EPOLLIN or EPOLLOUT
  char *in;              // the bytes received and not yet answered; NULL when idle
  size_t in_cap, in_len;
  Request req;           // parsed from in; kept for the log line
  char *out;             // the formatted response
  size_t out_len, out_sent;
  bool last;             // the answer says Connection: close
  int status;            // of the answer, for the log line
  size_t drained;        // bytes discarded in C_DRAIN
  int64_t start_us;      // when the request started, for the log line
};

// The connections in one state, oldest first.
typedef struct {
  Conn *head, *tail;
} ConnList;

//
// server.c
//

typedef struct {
  const Config *cfg;
  int epoll_fd;
  int listen_fd;           // -1 once shutdown has begun
  int signal_fd;           // read end of the self-pipe
  bool stopping;           // SIGTERM or SIGINT received: finish and exit
  int64_t accept_resume;   // paused after accept() ran out of descriptors (ms)
  Conn *conns;             // max_conns slots
  size_t max_conns;
  size_t nconns;           // slots in use
  ConnList lists[C_NSTATES];  // lists[C_FREE] holds the unused slots
  unsigned long shed;      // connections closed to make room for new ones
  int64_t shed_logged_ms;  // when that was last reported
} Server;

int64_t server_now_us(void);
int64_t server_now_ms(void);
int server_run(const Config *cfg);

void conn_open(Server *s, int fd);
void conn_ready(Server *s, Conn *c);
void conn_expire(Server *s, Conn *c);
void conn_close(Server *s, Conn *c);

//
// log.c
//

bool log_init(void);
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_flush(void);
void log_finish(int timeout_ms);

//
// check.c
//

int check_run(const char *url, int default_port);

#endif
