#!/usr/bin/env bash
# tests/build.sh BIN: `ecsc build` end to end. For every example and every
# tests/build/NAME/env.ecs, the tree must equal tests/build/NAME/expected/
# byte for byte (make golden regenerates them; review the diff), pass the
# shared validators (tfjson-check, taskdef-check, iam-check, shellcheck) and
# tests/firelens-oracle.js, and come out byte-identical under another locale,
# time zone and working directory. Then the properties of the output: all or nothing, --check,
# small diffs, users' files kept. Ends with "build: N passed, N failed".
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
root=$PWD
export NO_COLOR=1 ECSC_STDLIB="$root/stdlib"
shared=$(cd .. && pwd)/shared
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 20 | sed 's/^/    /'
}
# check NAME CMD...: passes when CMD exits 0; its output is kept in $tmp/log.
check() {
  local name=$1
  shift
  if "$@" >"$tmp/log" 2>&1; then ok; else not_ok "$name" "$(cat "$tmp/log")"; fi
}

inputs() {
  for f in examples/*/env.ecs; do echo "$(basename "$(dirname "$f")") $f"; done
  for f in tests/build/*/env.ecs; do [ -f "$f" ] && echo "$(basename "$(dirname "$f")") $f"; done
}

# The Node oracles, once per tree: the trees of the sanitized builds are
# byte-identical to the plain build's (the golden diff checks it), so they
# are not judged again; each takes seconds per tree. iam-check: every role's
# policies and the requests it makes at run time, simulated.
# tests/firelens-oracle.js: the requests Fluent Bit makes for each FireLens
# output (iam-check leaves FireLens out), against the task role, with
# iam-check's engine; tests/ebs-oracle.js likewise for ECS's EBS volumes.
node_oracles() {
  local name=$1 out=$2
  if [ "$(basename "$bin")" != ecsc ]; then
    return
  fi
  if ! command -v node >/dev/null 2>&1; then
    not_ok "$name: iam-check, firelens-oracle: node is not installed (make test installs it: Debian's nodejs)"
    return
  fi
  check "$name: iam-check" "$shared/tools/iam-check" "$out"
  if grep -rqs --include=task-definition.json '\.dkr-ecr' "$out"; then
    dual_stack_pull "$name" "$out" "$(sed -n 's/.* \([0-9]*\) requests simulated.*/\1/p' "$tmp/log")"
  fi
  check "$name: firelens-oracle" node tests/firelens-oracle.js --vendor "$shared/tools/vendor/iam" "$out"
  # tests/ebs-oracle.js: the requests ECS makes with an EBS volume's
  # infrastructure role (iam-check checks its statements only), in the trees
  # that have one.
  if grep -rqs managed_ebs_volume "$out"; then
    check "$name: ebs-oracle" node tests/ebs-oracle.js --vendor "$shared/tools/vendor/iam" "$out"
  fi
  # tests/deploy-oracle.js: the requests ECS makes with a traffic-shifting
  # deployment's load balancer role, in the trees that have one.
  if grep -rqs advanced_configuration "$out"; then
    check "$name: deploy-oracle" node tests/deploy-oracle.js --vendor "$shared/tools/vendor/iam" "$out"
  fi
  # tests/exec-oracle.js: the requests an ECS Exec session makes with the
  # task role (iam-check simulates its channels, not its log).
  if grep -rqs '"enable_execute_command": true' "$out"; then
    check "$name: exec-oracle" node tests/exec-oracle.js --vendor "$shared/tools/vendor/iam" "$out"
  fi
}

# iam-check reads an ECR image in the IPv4 form alone
# (ACCOUNT.dkr.ecr.REGION.amazonaws.com); a dual-stack image
# (ACCOUNT.dkr-ecr.REGION.on.aws, compiler/image.c) names the same
# repository, whose ARN the pull is granted on. So a tree with one is
# checked again with each renamed to its IPv4 form: iam-check then
# simulates its pull on the repository's ARN, which must be allowed.
dual_stack_pull() {
  local name=$1 out=$2 before=$3 ipv4="$tmp/$1.ipv4" f after
  rm -rf "$ipv4" && cp -R "$out" "$ipv4"
  find "$ipv4" -name '*.json' | while IFS= read -r f; do
    sed -E 's#([0-9]{12})\.dkr-ecr(-fips)?\.([a-z0-9-]+)\.on\.aws/#\1.dkr.ecr\2.\3.amazonaws.com/#g' \
      "$f" >"$f.ipv4" && mv "$f.ipv4" "$f"
  done
  check "$name: iam-check, its dual-stack images by their IPv4 names" "$shared/tools/iam-check" "$ipv4"
  after=$(sed -n 's/.* \([0-9]*\) requests simulated.*/\1/p' "$tmp/log")
  check "$name: iam-check simulates the dual-stack images' pulls" test "${after:-0}" -gt "${before:-0}"
}

# The checks of a tree: shellcheck, taskdef-agree.py and protection-agree.py (tools make test
# installs) always; the validators of ../shared when it is there.
validate() {
  local name=$1 out=$2 f
  find "$out" -name task-definition.json | sort >"$tmp/taskdefs"
  while IFS= read -r f; do
    # Terraform registers the same task definition as the JSON file says.
    check "$name: task definition agrees with Terraform ${f#"$out"/}" \
      python3 tests/taskdef-agree.py "$(dirname "$f")"
  done <"$tmp/taskdefs"
  # Managed termination protection and the group's scale-in protection
  # together, with managed scaling, in every VPC state.
  find "$out" -path '*/vpc/main.tf.json' | sort >"$tmp/vpcs"
  while IFS= read -r f; do
    check "$name: termination protection agrees with scale-in protection ${f#"$out"/}" \
      python3 tests/protection-agree.py "$(dirname "$f")"
  done <"$tmp/vpcs"
  if command -v shellcheck >/dev/null 2>&1; then
    find "$out" -name '*.sh' | sort >"$tmp/scripts"
    while IFS= read -r f; do
      check "$name: shellcheck ${f#"$out"/}" shellcheck "$f"
    done <"$tmp/scripts"
  else
    not_ok "$name: shellcheck is not installed (make test installs it)"
  fi
  if [ ! -x "$shared/tools/tfjson-check" ]; then
    echo "SKIP validators for $name: $shared is absent"
    return
  fi
  check "$name: tfjson-check" "$shared/tools/tfjson-check" "$out"
  while IFS= read -r f; do
    check "$name: taskdef-check ${f#"$out"/}" "$shared/tools/taskdef-check" "$f"
  done <"$tmp/taskdefs"
  node_oracles "$name" "$out"
}

# The tools these tests run: make test installs them (tests/install-deps.sh);
# without one, say so rather than fail on what it would have checked.
for tool in python3; do
  command -v "$tool" >/dev/null 2>&1 || not_ok "$tool is not installed (make test installs it); the checks that use it fail"
done

inputs >"$tmp/inputs"
while read -r name src; do
  out="$tmp/$name"
  check "$name: build" "$bin" build "$src" -o "$out" || continue
  if [ -d "tests/build/$name/expected" ]; then
    check "$name: matches its golden tree (make golden)" diff -r "tests/build/$name/expected" "$out"
  else
    not_ok "$name: no golden tree" "run make golden and review tests/build/$name/expected"
  fi
  validate "$name" "$out"
  # What AWS's APIs refuse and no schema checks (descriptions EC2 refuses).
  check "$name: strings AWS's APIs accept" python3 tests/api-strings.py "$out"
  # What the security groups must let through: the bastion to its package
  # repositories, Service Connect from every block of an existing VPC.
  check "$name: the groups let through what must pass" python3 tests/network-reach.py "$out"
  # Determinism: another locale, time zone and working directory.
  (cd "$(dirname "$src")" && LC_ALL=C TZ=Pacific/Chatham "$bin" build "$(basename "$src")" \
    -o "$tmp/$name.again") >"$tmp/log" 2>&1
  check "$name: byte-identical from elsewhere" diff -r "$out" "$tmp/$name.again"
done <"$tmp/inputs"

# All or nothing: a failing build leaves the tree exactly as it was.
demo="$tmp/demo-src"
cp -R examples/demo "$demo"
"$bin" build "$demo/env.ecs" -o "$tmp/aon" >/dev/null 2>&1
echo "user notes" >"$tmp/aon/NOTES.md"
mkdir -p "$tmp/aon/staging/vpc/.terraform" && echo state >"$tmp/aon/staging/vpc/.terraform/x"
sums() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }
sums "$tmp/aon" >"$tmp/before"
cp "$demo/env.ecs" "$demo/good.ecs"
printf 'service "broken" {\n  count = "x"\n}\n' >>"$demo/env.ecs"
if "$bin" build "$demo/env.ecs" -o "$tmp/aon" >/dev/null 2>&1; then
  not_ok "a failing build exits non-zero"
else
  ok
fi
sums "$tmp/aon" >"$tmp/after"
check "a failing build leaves the tree byte-identical" diff "$tmp/before" "$tmp/after"
cp "$demo/good.ecs" "$demo/env.ecs"

# A rebuild keeps files ecsc did not write, .terraform/ included.
check "rebuild" "$bin" build "$demo/env.ecs" -o "$tmp/aon"
check "the user's file is kept" test -f "$tmp/aon/NOTES.md"
check "terraform init's directory is kept" test -f "$tmp/aon/staging/vpc/.terraform/x"

# --check: fresh, modified, missing, extra.
check "--check on a fresh tree" "$bin" build --check "$demo/env.ecs" -o "$tmp/aon"
echo '{}' >"$tmp/aon/staging/vpc/main.tf.json"
"$bin" build --check "$demo/env.ecs" -o "$tmp/aon" >"$tmp/report" 2>&1
check "--check: a modified file exits 1" test $? -eq 1
check "--check names it" grep -qx "differs: staging/vpc/main.tf.json" "$tmp/report"
rm "$tmp/aon/staging/vpc/main.tf.json"
"$bin" build --check "$demo/env.ecs" -o "$tmp/aon" >"$tmp/report" 2>&1
check "--check: a missing file exits 1" test $? -eq 1
check "--check names it as missing" grep -qx "missing: staging/vpc/main.tf.json" "$tmp/report"
"$bin" build "$demo/env.ecs" -o "$tmp/aon" >/dev/null 2>&1
sed 's/^service "basic-app"/service "web"/' "$demo/good.ecs" >"$demo/env.ecs"
"$bin" build --check "$demo/env.ecs" -o "$tmp/aon" >"$tmp/report" 2>&1
check "--check: an extra file exits 1" test $? -eq 1
check "--check names the files ecsc no longer writes" grep -q "^extra: staging/services/basic-app/main.tf.json" "$tmp/report"
check "--check writes nothing" test ! -e "$tmp/aon/staging/services/web"
cp "$demo/good.ecs" "$demo/env.ecs"

# Small diffs: one service's count changes that service's state, nothing else.
cp -R "$tmp/aon" "$tmp/small"
sed 's/    count = 4/    count = 3/' "$demo/good.ecs" >"$demo/env.ecs"
check "rebuild after a count change" "$bin" build "$demo/env.ecs" -o "$tmp/small"
diff -rq "$tmp/aon" "$tmp/small" >"$tmp/changed" 2>&1
check "exactly one file changed" test "$(wc -l <"$tmp/changed")" -eq 1
check "and it is that service's state" grep -q "production/services/basic-app/main.tf.json" "$tmp/changed"

# A target group is renamed by what makes AWS replace it (its port), not by
# what it updates in place (a count), so that a replacement is made first.
tg() {  # tg DIR KEY: the basic-app target group's KEY in production
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["resource"]["aws_lb_target_group"]["main"][sys.argv[2]])' \
    "$1/production/services/basic-app/main.tf.json" "$2"
}
tg_name() { tg "$1" name; }
check "a count change keeps the target group's name" test "$(tg_name "$tmp/aon")" = "$(tg_name "$tmp/small")"
cp -R "$tmp/aon" "$tmp/port"
sed 's/^  port               = 3000/  port               = 3001/' "$demo/good.ecs" >"$demo/env.ecs"
check "rebuild after a port change" "$bin" build "$demo/env.ecs" -o "$tmp/port"
check "a port change renames the target group" test "$(tg_name "$tmp/aon")" != "$(tg_name "$tmp/port")"
check "which is made before the old one goes" test "$(tg "$tmp/port" lifecycle)" = "{'create_before_destroy': True}"
cp "$demo/good.ecs" "$demo/env.ecs"

# Adding a service adds its files and changes no other: priorities are
# stable, and each service is its own state.
cp -R "$tmp/aon" "$tmp/added"
{ cat "$demo/good.ecs"; printf '\nservice "admin" {\n  cluster = cluster.a\n  image   = "admin:1.0"\n  memory  = 256 MiB\n  port    = 8080\n\n  health {\n    command = ["/admin", "--check"]\n  }\n\n  route {\n    paths = ["/admin/*"]\n  }\n}\n'; } >"$demo/env.ecs"
check "build with a service added" "$bin" build "$demo/env.ecs" -o "$tmp/added"
diff -rq "$tmp/aon" "$tmp/added" | grep -v "^Only in $tmp/added/[a-z]*/services: admin\$" >"$tmp/changed"
check "only the manifest changed besides the new service" test "$(grep -vc manifest "$tmp/changed")" -eq 0
cp "$demo/good.ecs" "$demo/env.ecs"

# No generated file names a line: one comment line at the top moves every
# line of env.ecs and changes no file.
cp -R "$tmp/aon" "$tmp/moved"
{ printf '# a comment that moves every line\n'; cat "$demo/good.ecs"; } >"$demo/env.ecs"
check "rebuild after a line added at the top" "$bin" build "$demo/env.ecs" -o "$tmp/moved"
diff -rq "$tmp/aon" "$tmp/moved" >"$tmp/changed" 2>&1
check "a line added at the top changes no file" test ! -s "$tmp/changed"
cp "$demo/good.ecs" "$demo/env.ecs"

# A second cluster leaves the first one's user data as it was: each is named
# by its cluster.
cp -R "$tmp/aon" "$tmp/second"
sed '0,/^  cluster "a" {/s//  cluster "b" {\n    instance_type = "t3.small"\n    size          = 1\n  }\n\n  cluster "a" {/' \
  "$demo/good.ecs" >"$demo/env.ecs"
check "build with a second cluster" "$bin" build "$demo/env.ecs" -o "$tmp/second"
check "the first cluster's user data is unchanged" cmp "$tmp/aon/staging/vpc/user_data_a.sh" \
  "$tmp/second/staging/vpc/user_data_a.sh"
check "the second's is beside it" test -f "$tmp/second/staging/vpc/user_data_b.sh"
cp "$demo/good.ecs" "$demo/env.ecs"

# Renaming a capacity group takes two builds (README.md, "Renaming a
# capacity group"): tests/build/retire/ holds before.ecs, the build between
# (env.ecs, whose tree is its golden) and after.ecs. Straight from before to
# after, build refuses (E0880) and leaves DIR as it was; through the build
# between, both pass, and after's tree is what a build into a new directory
# writes: the previous build decides what is refused, never the bytes.
retire="$tmp/retire"
mkdir -p "$retire"
cp tests/build/retire/before.ecs "$retire/env.ecs"
check "retire: before" "$bin" build "$retire/env.ecs" -o "$retire/out"
cp -R "$retire/out" "$retire/out.before"
cp tests/build/retire/after.ecs "$retire/env.ecs"
"$bin" build "$retire/env.ecs" -o "$retire/out" >"$retire/log" 2>&1
code=$?
if [ "$code" = 1 ] && grep -q 'error\[E0880\]: capacity provider "cp-shop-staging-cluster-mixed-spot" would be deleted while 2 services still run on it' "$retire/log"; then
  ok
else
  not_ok "retire: one build from before to after exits 1 with E0880 (exit $code)" "$(cat "$retire/log")"
fi
check "retire: the refused build leaves DIR as it was" diff -r "$retire/out.before" "$retire/out"
cp tests/build/retire/env.ecs "$retire/env.ecs"
check "retire: the build between" "$bin" build "$retire/env.ecs" -o "$retire/out"
check "retire: the build between is its golden tree" diff -r tests/build/retire/expected/staging "$retire/out/staging"
cp tests/build/retire/after.ecs "$retire/env.ecs"
check "retire: after, over the build between" "$bin" build "$retire/env.ecs" -o "$retire/out"
check "retire: after, into a new directory" "$bin" build "$retire/env.ecs" -o "$retire/new"
check "retire: both write the same tree" diff -r "$retire/new" "$retire/out"
validate "retire: after" "$retire/out"

# Usage errors.
"$bin" build examples/demo/env.ecs >/dev/null 2>&1
check "build without -o exits 2" test $? -eq 2

# Nothing to build: a project without an environment is an error for build
# (E0519), which writes nothing, not even its manifest; lint only warns
# (W0510, tests/errors).
"$bin" build tests/errors/W0510-project-without-environment.ecs -o "$tmp/nothing" >"$tmp/log" 2>&1
code=$?
if [ "$code" = 1 ] && grep -q 'error\[E0519\]: nothing to build' "$tmp/log" && [ ! -e "$tmp/nothing" ]; then
  ok
else
  not_ok "build of a project without an environment: exit 1 (got $code), E0519, nothing written" "$(cat "$tmp/log")"
fi

echo "build: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
