#!/usr/bin/env python3
# client.py: raw-socket HTTP clients for run.sh, for what curl cannot send:
# malformed or oversized requests, many connections at once, requests sent
# in pieces. Every socket has a timeout, so no mode can hang the tests.
#
#   client.py raw PORT EXPR       send eval(EXPR) (bytes), shut our side,
#                                 print the answer's status (or closed/reset/timeout)
#   client.py raw-body PORT EXPR  the same, then the length of the body
#   client.py concurrent PORT N   N connections open at once, each sends half
#                                 a request, then all finish; exit 0 if all got 200
#   client.py stall PORT PREFIX   send PREFIX (escapes allowed) and wait;
#                                 print the status (or closed) and seconds waited
#   client.py slow PORT           send half a request, print "sent", wait 1 s,
#                                 send the rest, print the status and body
#   client.py garbage PORT N      N random requests; exit 0 if none hung
#   client.py mute PORT           listen on PORT, never answer, for 10 s

import random
import socket
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
        data, end = read_all(s)
        s.close()
        if status_of(data, end) == "200" and body_of(data) == b"Hello world\n":
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


def slow(port):
    req = b"GET /env/BA_SECRET HTTP/1.1\r\nHost: test\r\n\r\n"
    s = connect(port)
    s.sendall(req[:20])
    print("sent", flush=True)
    time.sleep(1)
    s.sendall(req[20:])
    data, end = read_all(s)
    s.close()
    print(status_of(data, end), body_of(data).decode(errors="replace").strip(), flush=True)


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


def main():
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
    elif mode == "garbage":
        garbage(port, int(arg))
    elif mode == "mute":
        mute(port)
    else:
        sys.exit(f"client.py: unknown mode {mode}")


if __name__ == "__main__":
    main()
