#!/usr/bin/env bash
# tests/apply-order.sh BIN: the order in which Terraform applies what ecsc
# writes for a change, where that order is what keeps a service up, seen
# with Terraform itself: tests/apply-order/standin.py turns the resources
# that matter of two successive builds into terraform_data stand-ins (no
# provider, no AWS), Terraform applies one after the other, and
# tests/apply-order/check.py reads the second apply's log:
#   nat = "single" -> "per_az" -> "single" (review6 A4), and a new port served
#   with Service Connect (review6 A3).
# `make apply-order`, not make test: make test cannot install Terraform (it is
# in neither Debian nor the npm registry), so a test needing it would pass
# only where someone had put a binary. Ends with "apply-order: N passed, N
# failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
export NO_COLOR=1 ECSC_STDLIB="$PWD/stdlib" TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v terraform >/dev/null 2>&1; then
  echo "apply-order: needs a terraform binary on PATH (1.10 or later)" >&2
  exit 2
fi

check() {  # NAME CMD...
  local name=$1
  shift
  if "$@" >"$tmp/log" 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL $name"
    head -n 20 "$tmp/log" | sed 's/^/    /'
  fi
}

# apply CASE BUILD STATE SLOW TYPE...: the stand-ins of BUILD's STATE,
# applied in $tmp/CASE (its Terraform state carried from the last apply);
# the log in $tmp/CASE.log.
apply() {
  local case=$1 build=$2 state=$3 slow=$4
  shift 4
  python3 tests/apply-order/standin.py "$tmp/$build/$state/main.tf.json" "$tmp/$case" "$slow" "$@" &&
    terraform -chdir="$tmp/$case" init -input=false -no-color >/dev/null &&
    terraform -chdir="$tmp/$case" apply -auto-approve -input=false -no-color >"$tmp/$case.log" 2>&1
}

# nat: the demo's staging, single, per_az, single again.
nat_types=(aws_eip aws_nat_gateway aws_route_table aws_route aws_route_table_association)
cp examples/demo/env.ecs "$tmp/env.ecs"
check "nat: single, built" "$bin" build "$tmp/env.ecs" -o "$tmp/single"
sed -i '/^environment "staging"/,/^}/s/nat              = "single"/nat              = "per_az"/' "$tmp/env.ecs"
check "nat: per_az, built" "$bin" build "$tmp/env.ecs" -o "$tmp/per_az"
check "nat: single, applied" apply nat single staging/vpc aws_nat_gateway "${nat_types[@]}"
check "nat: single to per_az, applied" apply nat per_az staging/vpc aws_nat_gateway "${nat_types[@]}"
check "nat: single to per_az, in order" python3 tests/apply-order/check.py nat-split "$tmp/nat.log"
check "nat: per_az to single, applied" apply nat single staging/vpc aws_nat_gateway "${nat_types[@]}"
check "nat: per_az to single, in order" python3 tests/apply-order/check.py nat-join "$tmp/nat.log"

# A new port served with Service Connect: orders, 8080 then 9090.
sc_types=(aws_security_group aws_vpc_security_group_ingress_rule aws_ecs_service)
cp tests/build/connect/env.ecs "$tmp/sc.ecs"
check "connect port: 8080, built" "$bin" build "$tmp/sc.ecs" -o "$tmp/p8080"
sed -i '/^service "orders"/,/^}/s/port             = 8080/port             = 9090/' "$tmp/sc.ecs"
check "connect port: 9090, built" "$bin" build "$tmp/sc.ecs" -o "$tmp/p9090"
check "connect port: 8080, applied" apply sc p8080 staging/services/orders aws_vpc_security_group_ingress_rule "${sc_types[@]}"
check "connect port: 9090, applied" apply sc p9090 staging/services/orders aws_vpc_security_group_ingress_rule "${sc_types[@]}"
check "connect port: the old port open until the service has moved" python3 tests/apply-order/check.py sc-port "$tmp/sc.log"

echo "apply-order: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
