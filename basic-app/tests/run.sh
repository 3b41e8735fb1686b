#!/usr/bin/env bash
# run.sh: tests basic-app from outside, with real HTTP requests on 127.0.0.1.
#
#   tests/run.sh [BINARY]    (default ./basic-app; `make test` passes the
#                            ASan+UBSan build)
#
# Builds nothing. Prints PASS or FAIL per check and ends with one line
# "N passed, N failed"; exits 1 if any check failed. Every wait has a
# timeout, and the trap stops whatever the script started. The clients are
# curl and tests/client.py, so python3 must be installed (ecsc's `make test`
# installs it).

set -u
cd "$(dirname "$0")/.." || exit 2

BIN=${1:-./basic-app}
CLIENT="timeout 15 python3 tests/client.py"
TMP=$(mktemp -d)
SECRET=s3cr3t-value-xyz  # must never appear in an answer or a log
passed=0
failed=0
pids=()

cleanup() {
  for p in "${pids[@]}"; do
    stop "$p"
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+ ($2)}"; failed=$((failed + 1)); }

# expect NAME GOT WANT
expect() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME [VAR=VALUE...]: starts BIN on a free port, with short
# timeouts unless the VARs say otherwise; sets PORT and SERVER
start_server() {
  local name=$1
  shift
  PORT=$(free_port)
  env PORT="$PORT" REQUEST_TIMEOUT_MS=2000 IDLE_TIMEOUT_MS=1500 BA_SECRET=$SECRET "$@" \
    "$BIN" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SERVER=$!
  pids+=("$SERVER")
  for _ in $(seq 50); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health" && return 0
    sleep 0.1
  done
  echo "server did not start:" >&2
  cat "$TMP/$name.err" >&2
  return 1
}

# wait_exit PID SECONDS: waits for PID to exit; sets STATUS to its exit
# status, or to "running". Not for $(...): a subshell cannot wait for us.
wait_exit() {
  STATUS=running
  for _ in $(seq $(($2 * 10))); do
    if ! kill -0 "$1" 2>/dev/null; then
      wait "$1"
      STATUS=$?
      return
    fi
    sleep 0.1
  done
}

# stop PID: kills a helper, quietly (no "Killed" job notice)
stop() {
  { kill -KILL "$1" && wait "$1"; } 2>/dev/null
}

# get PATH [CURL ARGS]: prints "STATUS BODY" with the body's newline kept as \n
get() {
  local path=$1
  shift
  curl -s --max-time 3 -o "$TMP/body" -w '%{http_code}' "$@" "http://127.0.0.1:$PORT$path" >"$TMP/code"
  printf '%s %s' "$(cat "$TMP/code")" "$(sed -z 's/\n/\\n/g' "$TMP/body")"
}

raw() { $CLIENT raw "$PORT" "$1"; }

# checks MODE ARGS...: runs a client.py mode that prints its own PASS and
# FAIL lines, and counts them
checks() {
  $CLIENT "$@" >"$TMP/checks" 2>&1
  local rc=$? line
  while IFS= read -r line; do
    case $line in
      "PASS "*) pass "${line#PASS }" ;;
      "FAIL "*) echo "$line"; failed=$((failed + 1)) ;;
      *) echo "$line" ;;
    esac
  done <"$TMP/checks"
  [ "$rc" -eq 0 ] || fail "client.py $1" "exit status $rc"
}

# stop_server NAME: SIGTERM, then exit status 0 and no sanitizer reports
stop_server() {
  kill -TERM "$SERVER"
  wait_exit "$SERVER" 5
  expect "$1: exit status after SIGTERM" "$STATUS" 0
  no_sanitizer_reports "$1: no sanitizer reports" "$TMP/$1.err"
}

# no_sanitizer_reports NAME FILE
no_sanitizer_reports() {
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$2"; then
    fail "$1" "see below"
    sed 's/^/    /' "$2" | head -40
  else
    pass "$1"
  fi
}

# The tools these checks run (make test installs them): without one, say
# which, rather than blame the server.
for tool in python3 curl timeout; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    fail "$tool is installed" "make test installs it (tests/install-deps.sh); every check here needs it"
    echo "$passed passed, $failed failed"
    exit 1
  fi
done

if [ ! -x "$BIN" ] || ! start_server main; then
  fail "server starts" "no executable $BIN, or it did not answer /health"
  echo "$passed passed, $failed failed"
  exit 1
fi

# Routes
expect "GET /" "$(get /)" '200 Hello world\n'
expect "GET /health" "$(get /health)" '200 ok\n'
expect "HEAD / has no body" "$($CLIENT raw-body "$PORT" 'b"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"')" '200 0'
curl -s --max-time 3 -I "http://127.0.0.1:$PORT/" >"$TMP/head"
expect "HEAD / Content-Length" "$(grep -ci '^content-length: 12' "$TMP/head")" 1
expect "GET /env/NAME set" "$(get /env/BA_SECRET)" '200 BA_SECRET length is: 16\n'
expect "GET /env/NAME unset" "$(get /env/BA_UNSET)" '404 BA_UNSET not found!\n'
expect "GET /env/NAME percent-encoded" "$(get /env/BA%5FSECRET)" '200 BA_SECRET length is: 16\n'
expect "GET /env/NAME with =" "$(get /env/BA_SECRET=s3)" '404 BA_SECRET=s3 not found!\n'
expect "GET /env/ without name" "$(get /env/)" '404 Not Found\n'
expect "GET /health?query" "$(get '/health?x=1')" '200 ok\n'
expect "unknown path" "$(get /nope)" '404 Not Found\n'
expect "POST / is 405" "$(get / -d x=1)" '405 Method Not Allowed\n'
curl -s --max-time 3 -D "$TMP/hdrs" -o /dev/null -X DELETE "http://127.0.0.1:$PORT/health"
expect "405 has Allow" "$(grep -c '^Allow: GET, HEAD' "$TMP/hdrs")" 1
expect "DELETE unknown path is 404" "$(get /nope -X DELETE)" '404 Not Found\n'
expect "unknown method" "$(raw 'b"BREW / HTTP/1.1\r\nHost: t\r\n\r\n"')" 405
expect "lowercase method" "$(raw 'b"get / HTTP/1.1\r\nHost: t\r\n\r\n"')" 405

# The secret's value never leaves the process
get /env/BA_SECRET >/dev/null
for f in "$TMP/body" "$TMP/main.out" "$TMP/main.err"; do
  if grep -q "$SECRET" "$f"; then fail "value not revealed in $(basename "$f")"; else pass "value not revealed in $(basename "$f")"; fi
done
grep -qE '^GET /env/BA_SECRET 200 [0-9.]+ms$' "$TMP/main.out" && pass "request logged" || fail "request logged"

# Request forms that are valid
expect "HTTP/1.0 without Host" "$(raw 'b"GET / HTTP/1.0\r\n\r\n"')" 200
expect "absolute-form target" "$(raw 'b"GET http://127.0.0.1/health HTTP/1.1\r\nHost: t\r\n\r\n"')" 200
expect "bare LF line ends" "$(raw 'b"GET / HTTP/1.1\nHost: t\n\n"')" 200
expect "leading empty line" "$(raw 'b"\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n"')" 200
expect "body drained before close" "$(raw 'b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 32768\r\n\r\n" + b"x" * 32768')" 405

# Malformed requests
expect "malformed request line" "$(raw 'b"HELLO\r\n\r\n"')" 400
expect "binary garbage" "$(raw 'b"\x00\x01\x02\xff\r\n\r\n"')" 400
expect "missing Host" "$(raw 'b"GET / HTTP/1.1\r\n\r\n"')" 400
expect "two Hosts" "$(raw 'b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"')" 400
expect "space before colon" "$(raw 'b"GET / HTTP/1.1\r\nHost : t\r\n\r\n"')" 400
expect "obsolete line folding" "$(raw 'b"GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n"')" 400
expect "bare CR" "$(raw 'b"GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n"')" 400
expect "Content-Length and chunked" "$(raw 'b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"')" 400
expect "bad percent escape" "$(raw 'b"GET /env/%zz HTTP/1.1\r\nHost: t\r\n\r\n"')" 400
expect "non-ASCII target" "$(raw 'b"GET /\xc3\xa9 HTTP/1.1\r\nHost: t\r\n\r\n"')" 400
expect "encoded NUL" "$(raw 'b"GET /env/A%00B HTTP/1.1\r\nHost: t\r\n\r\n"')" 400
expect "truncated request" "$(raw 'b"GET / HTTP/1.1\r\nHos"')" 400
expect "HTTP/2.0 request line" "$(raw 'b"GET / HTTP/2.0\r\nHost: t\r\n\r\n"')" 505
expect "oversized request line" "$(raw 'b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: t\r\n\r\n"')" 414
expect "oversized header field" "$(raw 'b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"')" 431
expect "too many header fields" "$(raw 'b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-A: b\r\n" * 3000 + b"\r\n"')" 431
expect "declared body over 64 KiB" "$(raw 'b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999999\r\n\r\n"')" 413
expect "two different Content-Lengths" "$(raw 'b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"')" 400
out=$($CLIENT garbage "$PORT" 300)
expect "300 random requests answered" "$out" "300 sent"

# Many clients at once
out=$($CLIENT concurrent "$PORT" 100)
expect "100 concurrent clients" "$out" "100/100"

# Keep-alive, pipelining, Connection: close, and the idle timeout
checks keepalive "$PORT"

# Slow clients time out (REQUEST_TIMEOUT_MS=2000) without blocking others
$CLIENT stall "$PORT" 'GET / HTTP/1.1\r\nHost: t\r\n' >"$TMP/stall" &
stall_pid=$!
pids+=("$stall_pid")
$CLIENT stall "$PORT" '' >"$TMP/idle" &
idle_pid=$!
pids+=("$idle_pid")
$CLIENT dribble "$PORT" >"$TMP/dribble" &
dribble_pid=$!
pids+=("$dribble_pid")
sleep 0.2
start=$(date +%s%N)
expect "responsive during a stalled client" "$(get /health)" '200 ok\n'
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -lt 500 ] && pass "answered in ${elapsed}ms" || fail "answered in ${elapsed}ms"
wait "$stall_pid"
read -r code secs <"$TMP/stall"
expect "stalled request gets 408" "$code" 408
awk -v s="$secs" 'BEGIN { exit !(s >= 1.8 && s <= 4) }' && pass "408 after the timeout (${secs}s)" || fail "408 after the timeout (${secs}s)"
wait "$idle_pid"
read -r code secs <"$TMP/idle"
expect "idle connection closed" "$code" closed
wait "$dribble_pid"
read -r code secs <"$TMP/dribble"
expect "a head sent a byte at a time gets 408" "$code" 408
awk -v s="$secs" 'BEGIN { exit !(s >= 1.8 && s <= 4) }' && pass "bytes do not extend the deadline (${secs}s)" || fail "bytes do not extend the deadline (${secs}s)"

# --check
"$BIN" --check "http://127.0.0.1:$PORT/health" 2>"$TMP/check.err"
expect "--check URL on a running server" $? 0
PORT=$PORT "$BIN" --check 2>"$TMP/check.err"
expect "--check default URL from PORT" $? 0
"$BIN" --check "http://localhost:$PORT/" 2>"$TMP/check.err"
expect "--check localhost" $? 0
"$BIN" --check "http://127.0.0.1:$PORT/nope" 2>"$TMP/check.err"
expect "--check on a 404" $? 1
"$BIN" --check "https://127.0.0.1:$PORT/" 2>"$TMP/check.err"
expect "--check rejects https" $? 2
grep -q 'unsupported URL' "$TMP/check.err" && pass "--check says why" || fail "--check says why"
"$BIN" --check "http://example.com/" 2>/dev/null
expect "--check rejects host names" $? 2

mute_port=$(free_port)
$CLIENT mute "$mute_port" >"$TMP/mute" &
mute_pid=$!
pids+=("$mute_pid")
for _ in $(seq 30); do grep -q listening "$TMP/mute" && break; sleep 0.1; done
start=$(date +%s)
"$BIN" --check "http://127.0.0.1:$mute_port/" 2>/dev/null
expect "--check on a server that never answers" $? 1
secs=$(($(date +%s) - start))
[ "$secs" -le 5 ] && pass "--check gives up in ${secs}s" || fail "--check gives up in ${secs}s"
stop "$mute_pid"

# SIGTERM during a slow request: the request completes, then exit 0
kill -0 "$SERVER" 2>/dev/null && pass "server survived all of the above" || fail "server survived all of the above"
$CLIENT slow "$PORT" >"$TMP/slow" &
slow_pid=$!
pids+=("$slow_pid")
for _ in $(seq 30); do grep -q sent "$TMP/slow" && break; sleep 0.1; done
kill -TERM "$SERVER"
sleep 0.3
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/health"
expect "stops accepting after SIGTERM" $? 7  # curl: could not connect
wait "$slow_pid"
expect "in-flight request completes" "$(tail -n 1 "$TMP/slow")" "200 BA_SECRET length is: 16"
wait_exit "$SERVER" 5
expect "exit status after SIGTERM" "$STATUS" 0
grep -q 'SIGTERM: stopped accepting, finishing 1 connection$' "$TMP/main.out" && pass "shutdown logged" || fail "shutdown logged"
no_sanitizer_reports "no sanitizer reports" "$TMP/main.err"

"$BIN" --check "http://127.0.0.1:$PORT/health" 2>"$TMP/check.err"
expect "--check on a stopped server" $? 1

# SIGINT
start_server second || fail "second server starts"
kill -INT "$SERVER"
wait_exit "$SERVER" 5
expect "exit status after SIGINT" "$STATUS" 0
no_sanitizer_reports "no sanitizer reports after SIGINT" "$TMP/second.err"

# 2,000 slow or idle clients, with the default timeouts (they must outlast
# the test) and connection cap
start_server crowd REQUEST_TIMEOUT_MS=10000 IDLE_TIMEOUT_MS=65000 || fail "crowd server starts"
checks crowd "$PORT" 2000 "$BIN"
grep -q 'the most allowed' "$TMP/crowd.out" && fail "crowd: nothing shed" || pass "crowd: nothing shed"
stop_server crowd

# Past the cap, old connections make room for new ones
start_server shed MAX_CONNECTIONS=50 REQUEST_TIMEOUT_MS=10000 || fail "shed server starts"
checks shed "$PORT" 50
grep -q '^basic-app: 50 connections, the most allowed: closing the oldest idle or slowest to let new ones in ([0-9]* so far)$' "$TMP/shed.out" \
  && pass "shedding logged" || fail "shedding logged"
stop_server shed

# stdout a pipe that nobody reads, as when the log driver stalls
checks stalled-stdout "$BIN" 10000 "$TMP/stalled.err"
no_sanitizer_reports "stalled stdout: no sanitizer reports" "$TMP/stalled.err"

# Configuration errors
PORT=abc timeout 2 "$BIN" 2>"$TMP/conf.err"
expect "invalid PORT" $? 2
PORT=$PORT timeout 2 "$BIN" extra 2>"$TMP/conf.err"
expect "unexpected argument" $? 2
MAX_CONNECTIONS=0 timeout 2 "$BIN" 2>"$TMP/conf.err"
expect "invalid MAX_CONNECTIONS" $? 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
