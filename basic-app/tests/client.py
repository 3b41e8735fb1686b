#!/usr/bin/env python3
# client.py: raw-socket HTTP clients for run.sh, for what curl cannot send:
# malformed or oversized requests, many connections at once, requests sent
# in pieces, pipelined, or on a connection kept alive. Every socket has a
# timeout, so no mode can hang the tests.
#
#   client.py raw PORT EXPR       send eval(EXPR) (bytes), shut our side,
#                                 print the answer's status (or closed/reset/timeout)
#   client.py raw-body PORT EXPR  the same, then the length of the body
#   client.py concurrent PORT N   N connections open at once, each sends half
#                                 a request, then all finish; exit 0 if all got 200
#   client.py stall PORT PREFIX   send PREFIX (escapes allowed) and wait;
#                                 print the status (or closed) and seconds waited
#   client.py dribble PORT        send a head one byte every 0.2 s (slowloris);
#                                 print the status and seconds waited
#   client.py slow PORT           send half a request, print "sent", wait 1 s,
#                                 send the rest, print the status and body
#   client.py garbage PORT N      N random requests; exit 0 if none hung
#   client.py mute PORT           listen on PORT, never answer, for 10 s
#
# These modes print their own "PASS name" or "FAIL name (why)" lines:
#   client.py keepalive PORT      keep-alive, pipelining and Connection: close
#                                 (the server runs with IDLE_TIMEOUT_MS=1500)
#   client.py crowd PORT N BIN    /health and BIN --check within 1 s while N
#                                 slow or idle clients stay connected
#   client.py shed PORT CAP       past MAX_CONNECTIONS=CAP, the idle and then
#                                 the slowest connections make room
#   client.py stalled-stdout BIN N ERR  starts BIN (stderr to ERR) with
#                                 stdout a pipe nobody reads, sends N
#                                 requests, then reads the log
import os
import random
import re
import resource
import select
import socket
import subprocess
import sys
import time

TIMEOUT = 5.0
HOST = "127.0.0.1"


def connect(port):
    s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def read_all(s):
    """Reads until EOF. Returns (bytes, how it ended)."""
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data, "eof"
            data += chunk
    except ConnectionResetError:
        return data, "reset"
    except socket.timeout:
        return data, "timeout"


def status_of(data, end):
    if data.startswith(b"HTTP/1.1 ") and len(data) >= 12:
        return data[9:12].decode()
    return "closed" if end == "eof" else end


def body_of(data):
    return data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


# Bytes received after a response, by socket: the start of the next one.
leftover = {}


def read_response(s, head=False):
    """Reads one response, framed by Content-Length (no body after HEAD).
    Returns (status, headers with lowercase names, body); status is
    closed/reset/timeout when no whole response came."""
    data = leftover.pop(s, b"")
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return "closed", {}, b""
            data += chunk
        head_bytes, body = data.split(b"\r\n\r\n", 1)
        lines = head_bytes.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head else int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk:
                return "closed", headers, body
            body += chunk
        leftover[s] = body[length:]
        return lines[0][9:12], headers, body[:length]
    except ConnectionResetError:
        return "reset", {}, b""
    except socket.timeout:
        return "timeout", {}, b""


def closed_by_server(s, wait=2.0):
    """True if the server closes s (EOF or reset) within wait seconds."""
    s.settimeout(wait)
    try:
        while s.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def still_open(s):
    """True if s has neither data nor an EOF waiting: the server holds it."""
    s.setblocking(False)
    try:
        s.recv(1)  # data or an EOF
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        s.settimeout(TIMEOUT)


def get(port, path="/health"):
    """One request on a new connection. Returns (status, seconds taken)."""
    start = time.monotonic()
    try:
        s = connect(port)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        status, _, _ = read_response(s)
        s.close()
    except OSError as e:
        status = type(e).__name__
    return status, time.monotonic() - start


def check(name, ok, why=""):
    print(f"PASS {name}" if ok else f"FAIL {name} ({why})", flush=True)


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def raw(port, expr, with_body=False):
    payload = eval(expr)  # a bytes expression written in run.sh
    s = connect(port)
    try:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data, end = read_all(s)
    s.close()
    if with_body:
        print(status_of(data, end), len(body_of(data)))
    else:
        print(status_of(data, end))


def concurrent(port, n):
    req = b"GET / HTTP/1.1\r\nHost: test\r\n\r\n"
    socks = [connect(port) for _ in range(n)]
    for s in socks:
        s.sendall(req[:10])
    time.sleep(0.2)  # every connection is now open and mid-request
    for s in socks:
        s.sendall(req[10:])
    good = 0
    for s in socks:
        status, _, body = read_response(s)
        s.close()
        if status == "200" and body == b"Hello world\n":
            good += 1
    print(f"{good}/{n}")
    sys.exit(0 if good == n else 1)


def stall(port, prefix):
    s = connect(port)
    start = time.monotonic()
    if prefix:
        s.sendall(unescape(prefix))
    s.settimeout(10)
    data, end = read_all(s)
    s.close()
    print(status_of(data, end), f"{time.monotonic() - start:.1f}")


def dribble(port):
    head = b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 200
    s = connect(port)
    start = time.monotonic()
    status = "timeout"
    for b in head:
        try:
            s.send(bytes([b]))
        except OSError:
            break  # the server answered and closed
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            break
    status, _, _ = read_response(s)
    s.close()
    print(status, f"{time.monotonic() - start:.1f}")


def slow(port):
    req = b"GET /env/BA_SECRET HTTP/1.1\r\nHost: test\r\n\r\n"
    s = connect(port)
    s.sendall(req[:20])
    print("sent", flush=True)
    time.sleep(1)
    s.sendall(req[20:])
    status, _, body = read_response(s)
    s.close()
    print(status, body.decode(errors="replace").strip(), flush=True)


def garbage(port, n):
    rng = random.Random(5)
    prefixes = [b"", b"GET ", b"GET / HTTP/1.1\r\n", b"GET /env/", b"\r\n\r\n"]
    alphabet = b"GET /HTP1.:\r\n\t %?=\x00\x7f\xff" + bytes(range(256))
    for i in range(n):
        size = rng.choice([1, 10, 100, 5000, 20000])
        payload = rng.choice(prefixes) + bytes(rng.choice(alphabet) for _ in range(size))
        s = connect(port)
        try:
            s.sendall(payload)
            if i % 4 == 0:
                s.close()  # hang up without reading: the server sees a reset
                continue
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data, end = read_all(s)
        s.close()
        if end == "timeout":
            print(f"request {i} hung")
            sys.exit(1)
    print(f"{n} sent")


def mute(port):
    s = socket.socket()
    s.bind((HOST, port))
    s.listen(8)
    print("listening", flush=True)
    time.sleep(10)


def request(path, method="GET", extra=""):
    return f"{method} {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()


def keepalive(port):
    s = connect(port)
    got = []
    for path in ["/health", "/", "/env/BA_SECRET", "/nope", "/health"]:
        s.sendall(request(path))
        status, headers, _ = read_response(s)
        got.append(status + ("/close" if "connection" in headers else ""))
    check("five requests on one connection", got == ["200", "200", "200", "404", "200"], got)
    check("the connection stays open", still_open(s), "closed")

    s.sendall(request("/", "HEAD") + request("/health"))
    a, b = read_response(s, head=True), read_response(s)
    check("HEAD then GET on one connection", (a[0], a[2], b[0], b[2]) == ("200", b"", "200", b"ok\n"),
          (a, b))

    s.sendall(request("/health") + request("/env/BA_UNSET") + request("/"))
    got = [read_response(s) for _ in range(3)]
    got = [(st, body) for st, _, body in got]
    want = [("200", b"ok\n"), ("404", b"BA_UNSET not found!\n"), ("200", b"Hello world\n")]
    check("three pipelined requests answered in order", got == want, got)
    s.close()

    def last_answer(name, payload, want):
        s = connect(port)
        s.sendall(payload)
        status, headers, _ = read_response(s)
        ok = status == want and headers.get("connection") == "close" and closed_by_server(s)
        check(name, ok, f"{status} {headers.get('connection')}")
        s.close()

    last_answer("Connection: close is honoured", request("/health", extra="Connection: close\r\n"), "200")
    last_answer("close among other Connection options",
                request("/health", extra="Connection: keep-alive, Close\r\n"), "200")
    last_answer("HTTP/1.0 closes by default", b"GET /health HTTP/1.0\r\n\r\n", "200")
    last_answer("a request with a body is the last",
                request("/", "POST", "Content-Length: 4\r\n") + b"abcd" + request("/health"), "405")
    last_answer("a body over 64 KiB is 413",
                request("/", "POST", "Content-Length: 65537\r\n"), "413")

    s = connect(port)
    s.sendall(request("/health") + b"NOT HTTP\r\n\r\n")
    a, b = read_response(s), read_response(s)
    ok = a[0] == "200" and b[0] == "400" and b[1].get("connection") == "close" and closed_by_server(s)
    check("a bad request after a good one gets 400 and the close", ok, (a[0], b[0]))
    s.close()

    s = connect(port)
    s.sendall(request("/health"))
    read_response(s)
    start = time.monotonic()
    closed = closed_by_server(s, 6)
    secs = time.monotonic() - start
    check(f"an idle connection is closed after IDLE_TIMEOUT_MS ({secs:.1f}s)", closed and 1.2 <= secs <= 4,
          "not closed" if not closed else "out of 1.2-4 s")
    s.close()


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        return False
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return True


SLOW_HEAD = b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: "


def crowd(port, n, binary):
    name = f"{n} slow or idle clients"
    if not raise_fd_limit(n + 100):
        check(name, False, f"needs {n + 100} descriptors, the hard limit is "
                           f"{resource.getrlimit(resource.RLIMIT_NOFILE)[1]}: raise ulimit -n")
        return
    # A third each: connected and silent, half a head trickled a byte at a
    # time (slowloris), and idle after one answer (keep-alive).
    silent, trickle, idle = [], [], []
    start = time.monotonic()
    for i in range(n):
        s = connect(port)
        if i % 3 == 1:
            s.sendall(SLOW_HEAD)
            trickle.append(s)
        elif i % 3 == 2:
            s.sendall(request("/health"))
            idle.append(s)
        else:
            silent.append(s)
    secs = time.monotonic() - start
    # Past the listen backlog the kernel drops SYNs and the client resends
    # them a second later: a health check in such a burst would wait too.
    check(f"{n} clients connect in under 5 s ({secs:.1f}s)", secs < 5,
          "the listen backlog overflowed (or net.core.somaxconn is low)")
    answered = sum(read_response(s)[0] == "200" for s in idle)
    check(f"{name} connected, the idle ones answered", answered == len(idle), f"{answered}/{len(idle)}")

    worst = 0.0
    statuses = set()
    for _ in range(5):
        for s in trickle:
            try:
                s.send(b"a")
            except OSError:
                pass  # closed by the server: counted below
        status, secs = get(port)
        statuses.add(status)
        worst = max(worst, secs)
    check(f"/health within 1 s among {name} (worst {worst * 1000:.0f} ms of 5)",
          statuses == {"200"} and worst < 1, f"{statuses}, {worst:.2f}s")

    start = time.monotonic()
    rc = subprocess.run([binary, "--check", f"http://127.0.0.1:{port}/health"]).returncode
    secs = time.monotonic() - start
    check(f"--check passes within 1 s among {name} ({secs * 1000:.0f} ms)", rc == 0 and secs < 1,
          f"exit {rc}, {secs:.2f}s")

    held = sum(still_open(s) for s in silent + trickle + idle)
    check(f"all {n} clients still connected", held == n, f"{held}/{n}")
    for s in silent + trickle + idle:
        s.close()


def shed(port, cap):
    slow = []
    for _ in range(cap - 1):
        s = connect(port)
        s.sendall(SLOW_HEAD)
        slow.append(s)
    ka = connect(port)
    ka.sendall(request("/health"))
    read_response(ka)
    # cap connections are open, the newest of them idle: the next one
    # must close the idle one, not a slow one
    status, secs = get(port)
    check(f"at the cap /health answers within 1 s ({secs * 1000:.0f} ms)", status == "200" and secs < 1,
          f"{status}, {secs:.2f}s")
    check("the idle connection made room", closed_by_server(ka), "still open")
    time.sleep(0.2)
    held = sum(still_open(s) for s in slow)
    check("the slow connections stayed", held == len(slow), f"{held}/{len(slow)}")

    extra = []
    for _ in range(cap // 2):
        s = connect(port)
        s.sendall(SLOW_HEAD)
        extra.append(s)
    status, secs = get(port)
    check(f"past the cap /health answers within 1 s ({secs * 1000:.0f} ms)", status == "200" and secs < 1,
          f"{status}, {secs:.2f}s")
    time.sleep(0.2)
    k = cap // 2 - 2  # shed: about cap // 2 + 1 of them, the oldest first
    gone = sum(not still_open(s) for s in slow[:k])
    check("the slowest connections made room", gone == k, f"{gone}/{k} of the oldest closed")
    kept = sum(still_open(s) for s in slow[k + 4:] + extra)
    check("the newer ones stayed", kept == len(slow[k + 4:] + extra), f"{kept} of {len(slow[k + 4:] + extra)}")
    for s in slow + extra + [ka]:
        s.close()


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def stalled_stdout(binary, n, err_path):
    r, w = os.pipe()
    try:  # the smallest pipe fills after about 150 lines
        import fcntl
        fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
    except (ImportError, AttributeError, OSError):
        pass
    port = free_port()
    env = dict(os.environ, PORT=str(port))
    with open(err_path, "w") as err:
        server = subprocess.Popen([binary], stdout=w, stderr=err, env=env)
    os.close(w)
    try:
        stalled_stdout_checks(port, n, r)
    finally:
        server.terminate()
        try:
            rc = server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            rc = "still running after 5 s"
        check("exit status 0 after SIGTERM", rc == 0, rc)


def stalled_stdout_checks(port, n, r):
    answered = 0
    for _ in range(50):
        status, _ = get(port)
        answered += status == "200"
        if status == "200":
            break
        time.sleep(0.1)
    if not answered:
        check("server starts", False, "no answer on /health")
        return

    # n requests, pipelined 50 at a time on kept-alive connections: each
    # answer writes a log line, and nobody reads stdout
    s = connect(port)
    try:
        for _ in range(n // 50):
            s.sendall(request("/health") * 50)
            got = sum(read_response(s)[0] == "200" for _ in range(50))
            answered += got
            if got < 50:
                break
    except OSError:
        pass
    s.close()
    check(f"{n} requests answered while nobody reads stdout", answered == n + 1, f"{answered - 1}/{n}")
    status, secs = get(port)
    answered += status == "200"
    check(f"/health within 1 s with stdout stalled ({secs * 1000:.0f} ms)", status == "200" and secs < 1,
          f"{status}, {secs:.2f}s")

    # Now read: every request is either a line or counted as dropped, and
    # the count comes once the buffer has drained.
    log = b""
    deadline = time.monotonic() + 5
    while not re.search(rb"dropped \d+ lines?[^\n]*\n", log) and time.monotonic() < deadline:
        if select.select([r], [], [], 0.5)[0]:
            log += os.read(r, 65536)
    m = re.search(rb"dropped (\d+) lines?", log)
    lines = len(re.findall(rb"^GET /health 200 ", log, re.M))
    dropped = int(m.group(1)) if m else 0
    check(f"the dropped lines are counted ({lines} written, {dropped} dropped)",
          m is not None and dropped > 0 and lines + dropped == answered,
          f"{lines} + {dropped} != {answered} requests" if m else "no count in the log")

    get(port, "/env/AFTER_THE_STALL")
    deadline = time.monotonic() + 3
    while b"AFTER_THE_STALL" not in log and time.monotonic() < deadline:
        if select.select([r], [], [], 0.5)[0]:
            log += os.read(r, 65536)
    check("logging resumes once stdout is read", b"GET /env/AFTER_THE_STALL 404" in log, "no line")


def main():
    if sys.argv[1] == "stalled-stdout":
        stalled_stdout(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    mode, port = sys.argv[1], int(sys.argv[2])
    arg = sys.argv[3] if len(sys.argv) > 3 else ""
    if mode == "raw":
        raw(port, arg)
    elif mode == "raw-body":
        raw(port, arg, with_body=True)
    elif mode == "concurrent":
        concurrent(port, int(arg))
    elif mode == "stall":
        stall(port, arg)
    elif mode == "slow":
        slow(port)
    elif mode == "dribble":
        dribble(port)
    elif mode == "keepalive":
        keepalive(port)
    elif mode == "crowd":
        crowd(port, int(arg), sys.argv[4])
    elif mode == "shed":
        shed(port, int(arg))
    elif mode == "garbage":
        garbage(port, int(arg))
    elif mode == "mute":
        mute(port)
    else:
        sys.exit(f"client.py: unknown mode {mode}")


if __name__ == "__main__":
    main()
