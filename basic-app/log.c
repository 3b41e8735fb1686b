// log.c: basic-app's stdout, written so that a reader that stops reading
// can never stop the server.
//
// Under Docker and ECS stdout is a pipe to the log driver. When that reader
// stalls, a pipe holds 64 KiB and then write() blocks, and with it the one
// thread that serves every request: the server froze after about 2,800
// requests. So lines go into a bounded buffer (LOG_CAP bytes), which the
// event loop hands to stdout in non-blocking mode whenever stdout takes
// bytes. When a line does not fit, it is dropped and counted, and so is
// every line after it until the buffer has drained empty; then one line
// says how many were lost. Dropping until empty, rather than squeezing a
// line into whatever room appears, makes one clean gap per stall with one
// line that names it.
//
// O_NONBLOCK belongs to stdout's open file description, which every process
// holding it shares. It is set only on a pipe or a socket (what a log
// driver gives us; the runtime holds the other end and writes nothing to
// it) and never on a terminal, where it would leak into the user's shell. A
// regular file never blocks for long. The flags are restored at exit.

#include "basic-app.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
  LOG_CAP = 64 * 1024,  // about 2,000 request lines
  LOG_LINE_MAX = 512,   // longer lines are cut (request lines are under 300 bytes)
};

static struct {
  char buf[LOG_CAP];
  size_t start, end;      // buf[start, end) is waiting for stdout
  unsigned long dropped;  // lines lost since the buffer last drained; while
                          // non-zero, every new line is dropped too
  bool nonblocking;       // log_init made stdout non-blocking...
  int saved_flags;        // ...and these were its flags before
} lg;  // zeroed, so the buffer takes no room in the binary

// Makes stdout non-blocking if it is a pipe or a socket. Returns true in
// that case: the caller should then call log_flush when stdout becomes
// writable.
bool log_init(void)
{
  struct stat st;
  if (fstat(STDOUT_FILENO, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
    return false;
  int fl = fcntl(STDOUT_FILENO, F_GETFL);
  if (fl < 0 || fcntl(STDOUT_FILENO, F_SETFL, fl | O_NONBLOCK) < 0)
    return false;
  lg.nonblocking = true;
  lg.saved_flags = fl;
  return true;
}

// Copies line (already ending in '\n') into the buffer, or counts it as
// dropped. Moves the waiting bytes to the front first when that makes room.
static bool append(const char *line, size_t n)
{
  if (LOG_CAP - lg.end < n && lg.start > 0) {
    memmove(lg.buf, lg.buf + lg.start, lg.end - lg.start);
    lg.end -= lg.start;
    lg.start = 0;
  }
  if (LOG_CAP - lg.end < n)
    return false;
  memcpy(lg.buf + lg.end, line, n);
  lg.end += n;
  return true;
}

// Queues one line for stdout; fmt has no trailing newline. Never blocks.
void log_line(const char *fmt, ...)
{
  char line[LOG_LINE_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
  line[len++] = '\n';
  if (lg.dropped > 0 || !append(line, len))
    lg.dropped++;
}

// Writes what stdout takes now. Once the buffer is empty after a loss,
// queues and writes the line that reports it.
void log_flush(void)
{
  for (;;) {
    while (lg.start < lg.end) {
      ssize_t n = write(STDOUT_FILENO, lg.buf + lg.start, lg.end - lg.start);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;  // the reader is behind; the event loop calls again
      if (n <= 0)
        break;  // stdout is gone (EPIPE, EBADF): nothing will take these bytes
      lg.start += (size_t)n;
    }
    lg.start = lg.end = 0;
    if (lg.dropped == 0)
      return;
    char note[128];
    int n = snprintf(note, sizeof note,
                     "basic-app: log: dropped %lu line%s while stdout was not being read\n",
                     lg.dropped, lg.dropped == 1 ? "" : "s");
    lg.dropped = 0;
    append(note, (size_t)n);
  }
}

// At exit: gives stdout up to timeout_ms to take what is left, then puts
// its flags back.
void log_finish(int timeout_ms)
{
  int64_t deadline = server_now_ms() + timeout_ms;
  log_flush();
  for (int64_t left; lg.start < lg.end && (left = deadline - server_now_ms()) > 0;) {
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    poll(&p, 1, (int)left);
    log_flush();
  }
  if (lg.nonblocking)
    fcntl(STDOUT_FILENO, F_SETFL, lg.saved_flags);
}
