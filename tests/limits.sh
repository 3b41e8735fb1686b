#!/usr/bin/env bash
# tests/limits.sh BIN: the limits that bound memory by design (base.h,
# resolve.c), each met by an input generated here, too large to keep as a
# file: the diagnostic at its line, exit 1, nothing else. Their memory and
# time are measured by `make bench` (bench/hostile), not here.
# Ends with "limits: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
export NO_COLOR=1 ECSC_STDLIB=$PWD/stdlib
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME FILE TEXT: lint FILE exits 1 and its stderr has TEXT.
expect() {
  "$bin" lint "$2" >/dev/null 2>"$tmp/err"
  local code=$?
  if [ "$code" = 1 ] && grep -qF -- "$3" "$tmp/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: exit $code, want 1 and \"$3\""
    head -n 8 "$tmp/err" | sed 's/^/    /'
  fi
}

project='project "p" {
  region = "us-east-1"

  state {
    bucket = "p-terraform-state"
  }
}
'
# environment NAME N: an environment whose VPC is 10.N.0.0/16.
environment() {
  printf 'environment "%s" {\n  vpc {\n    cidr            = 10.%d.0.0/16\n' "$1" "$(($2 % 250))"
  printf '    azs             = ["us-east-1a", "us-east-1b"]\n'
  printf '    public_subnets  = [10.%d.0.0/24, 10.%d.1.0/24]\n' "$(($2 % 250))" "$(($2 % 250))"
  printf '    private_subnets = [10.%d.10.0/24, 10.%d.11.0/24]\n  }\n\n' "$(($2 % 250))" "$(($2 % 250))"
  printf '  cluster "main" {\n    instance_type = "m6i.32xlarge"\n    size          = 100\n  }\n}\n\n'
}

# More syntax nodes than MAX_NODES: a list of 1,100,000 integers, read up
# to the limit, reported at the node that passed it, the rest not read.
{ printf 'variable "v" {\n  type    = "list"\n  default = ['; head -c 2200000 /dev/zero | tr '\0' '1' | sed 's/1/1,/g'; printf ']\n}\n'; } >"$tmp/nodes.ecs"
expect "E0206 too many nodes" "$tmp/nodes.ecs" "error[E0206]: more than 1048576 values, attributes and blocks"
expect "E0206 at line 3" "$tmp/nodes.ecs" "nodes.ecs:3:"

# The same in a values file: a flow list of 1,100,000 integers.
printf 'variable "v" {\n  type = "list"\n}\n' >"$tmp/v.ecs"
{ printf 'v: ['; head -c 1100000 /dev/zero | tr '\0' '1' | sed 's/1/1,/g'; printf '1]\n'; } >"$tmp/values.yaml"
"$bin" lint --values "$tmp/values.yaml" "$tmp/v.ecs" >/dev/null 2>"$tmp/err"
code=$?
if [ "$code" = 1 ] && grep -qF "values.yaml:1:" "$tmp/err" && grep -qF "error[E0206]: more than 1048576 values" "$tmp/err"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL E0206 in a values file: exit $code"
  head -n 8 "$tmp/err" | sed 's/^/    /'
fi

# Services times environments past MAX_PAIRS: 1,001 environments and 1,000
# services, each service in one environment only (300 KB of source).
{
  printf '%s\n' "$project"
  for i in $(seq 0 1000); do environment "e$i" "$i"; done
  for i in $(seq 0 999); do
    printf 'service "s%d" {\n  cluster      = cluster.main\n  image        = "nginx:1.27"\n' "$i"
    printf '  memory       = 256 MiB\n  environments = ["e%d"]\n}\n\n' "$i"
  done
} >"$tmp/pairs.ecs"
expect "E0207 services times environments" "$tmp/pairs.ecs" "error[E0207]: configuration too large: more than 1000000 services times environments"

# Services in environments past MAX_INSTANCES: 2 environments of 25,001
# services each, every service in both.
{
  printf '%s\n' "$project"
  environment a 1
  environment b 2
  for i in $(seq 0 25000); do
    printf 'service "s%d" {\n  cluster = cluster.main\n  image   = "nginx:1.27"\n  memory  = 256 MiB\n}\n\n' "$i"
  done
} >"$tmp/instances.ecs"
expect "E0207 services in environments" "$tmp/instances.ecs" "error[E0207]: configuration too large: more than 50000 services in environments"
expect "E0207 at the service past the limit" "$tmp/instances.ecs" 'instances.ecs:150037:9:'

# Merged settings past MAX_MERGED: a template with a map of 4,000 entries,
# extended by 600 services in 2 environments (each merge copies the map).
{
  printf '%s\n' "$project"
  environment a 1
  environment b 2
  printf 'template "big" {\n  env = {\n'
  for i in $(seq 1 4000); do printf '    K%d = "v"\n' "$i"; done
  printf '  }\n}\n\n'
  for i in $(seq 0 599); do
    printf 'service "s%d" {\n  extends = template.big\n  cluster = cluster.main\n  image   = "nginx:1.27"\n  memory  = 256 MiB\n}\n\n' "$i"
  done
} >"$tmp/merged.ecs"
expect "E0207 merged settings" "$tmp/merged.ecs" "error[E0207]: configuration too large: more than 4000000 settings once templates and environments are merged"

echo "limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
