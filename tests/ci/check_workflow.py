#!/usr/bin/env python3
"""tests/ci/check_workflow.py FILE...: structure checks of GitHub Actions
workflows (actionlint is not in Debian): each FILE parses as YAML (PyYAML,
libyaml's parser), has the keys GitHub reads, jobs whose `needs` exist and form
no cycle, steps with one of `uses`/`run`, and every ${{ needs.J.outputs.O }} /
${{ steps.S.outputs.O }} / ${{ matrix.K }} naming something declared. Then
what examples/ci/ecsc.yml promises: lint with --format=github, SARIF upload
with security-events: write, build --check, a plan job per changed state from
`build --changed=json` as a matrix, VPC states planned before service states,
service states told whether their VPC state changes too (after_vpc), and
reading only keys that ecsc's --changed=json states have (a real document
of it is CHANGED, made by tests/ci.sh with the ecsc under test; GitHub reads
a missing key as an empty string, so a wrong one plans nothing and passes).
Writes each `run:` script to DIR (argv[1]) for tests/ci.sh to shellcheck.

    check_workflow.py DIR CHANGED FILE...
Prints one line per problem; exits 1 if any."""
import json
import os
import re
import sys

import yaml

problems = []


def problem(path, msg):
    problems.append(f"{path}: {msg}")


EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def exprs(value):
    """Every ${{ ... }} expression anywhere in a parsed value."""
    if isinstance(value, str):
        yield from (m.strip() for m in EXPR.findall(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from exprs(k)
            yield from exprs(v)
    elif isinstance(value, list):
        for v in value:
            yield from exprs(v)


def needs_of(job):
    n = job.get("needs", [])
    return [n] if isinstance(n, str) else list(n)


def check_job(path, name, job, jobs, scripts):
    where = f"{path}: jobs.{name}"
    if not isinstance(job, dict):
        problem(where, "not a mapping")
        return
    unknown = set(job) - {"name", "needs", "if", "runs-on", "permissions", "environment", "outputs",
                          "strategy", "steps", "env", "defaults", "timeout-minutes", "continue-on-error",
                          "concurrency", "container", "services", "uses", "with", "secrets"}
    for k in sorted(unknown):
        problem(where, f"unknown job key {k!r}")
    if "runs-on" not in job and "uses" not in job:
        problem(where, "no runs-on")
    for n in needs_of(job):
        if n not in jobs:
            problem(where, f"needs {n!r}, which is no job")
    steps = job.get("steps", [])
    if not isinstance(steps, list) or not steps:
        problem(where, "no steps")
        steps = []
    step_ids = set()
    for i, step in enumerate(steps):
        s_where = f"{where}.steps[{i}]"
        if not isinstance(step, dict):
            problem(s_where, "not a mapping")
            continue
        if ("uses" in step) == ("run" in step):
            problem(s_where, "needs exactly one of uses and run")
        unknown = set(step) - {"id", "name", "if", "uses", "run", "with", "env", "shell",
                               "working-directory", "continue-on-error", "timeout-minutes"}
        for k in sorted(unknown):
            problem(s_where, f"unknown step key {k!r}")
        if "uses" in step and not re.fullmatch(r"[\w.-]+/[\w./-]+@[\w.-]+", step["uses"]):
            problem(s_where, f"uses {step['uses']!r} is not OWNER/REPO@REF")
        if "id" in step:
            step_ids.add(step["id"])
        if "run" in step:
            scripts.append((f"{name}.{i}", step["run"]))
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    # An `if:` is an expression whole, with or without ${{ }}.
    conds = [job.get("if")] + [s.get("if") for s in steps if isinstance(s, dict)]
    for e in list(exprs(job)) + [str(c) for c in conds if c is not None and "${{" not in str(c)]:
        for j, o in re.findall(r"needs\.([\w-]+)\.outputs\.([\w-]+)", e):
            if j not in needs_of(job):
                problem(where, f"${{{{ {e} }}}} reads job {j!r}, which it does not need")
            elif o not in (jobs.get(j) or {}).get("outputs", {}):
                problem(where, f"${{{{ {e} }}}}: job {j!r} has no output {o!r}")
        for s in re.findall(r"steps\.([\w-]+)\.outputs", e):
            if s not in step_ids:
                problem(where, f"${{{{ {e} }}}}: no step with id {s!r}")
        for k in re.findall(r"matrix\.([\w-]+)", e):
            if k not in matrix:
                problem(where, f"${{{{ {e} }}}}: the matrix has no {k!r}")


def acyclic(path, jobs):
    state = {}

    def visit(n, trail):
        if state.get(n) == 1:
            problem(path, f"jobs depend on each other in a cycle: {' -> '.join(trail + [n])}")
            return
        if state.get(n) == 2 or n not in jobs:
            return
        state[n] = 1
        for m in needs_of(jobs[n]):
            visit(m, trail + [n])
        state[n] = 2

    for n in jobs:
        visit(n, [])


def after(jobs, late, early):
    """Whether job `late` runs after job `early` (through needs)."""
    seen, todo = set(), list(needs_of(jobs[late]))
    while todo:
        n = todo.pop()
        if n == early:
            return True
        if n not in seen and n in jobs:
            seen.add(n)
            todo += needs_of(jobs[n])
    return False


def matrix_keys_read(path, jobs, plans, runs, changes, changed):
    """Each plan job reads matrix.state.K: K must be a key of a --changed=json
    state or one the changes job's jq adds (`. + {base: $base, ...}`)."""
    have = set()
    for state in changed.get("states", []):
        have |= set(state)
    if not have:
        problem(path, "the --changed=json document has no states to compare keys with")
        return
    for added in re.findall(r"\. \+ \{([^{}]*)\}", runs[changes]):
        have |= set(re.findall(r"(\w+):", added))
    for n in sorted(set(plans.values())):
        read = {k for e in exprs(jobs[n]) for k in re.findall(r"\bmatrix\.state\.([\w-]+)", e)}
        for key in sorted(read - have):
            problem(path, f"job {n} reads matrix.state.{key}, which ecsc build --changed=json "
                          f"does not write (its states have: {', '.join(sorted(have))})")


def check_ecsc_workflow(path, wf, changed):
    jobs = wf["jobs"]
    runs = {name: "\n".join(s.get("run", "") for s in job.get("steps", []) if isinstance(s, dict))
            for name, job in jobs.items()}
    uses = {name: [s.get("uses", "") for s in job.get("steps", []) if isinstance(s, dict)]
            for name, job in jobs.items()}

    def job_running(pattern):
        return [n for n, r in runs.items() if re.search(pattern, r)]

    lint = job_running(r"ecsc lint --format=github\b")
    if not lint:
        problem(path, "no job runs ecsc lint --format=github (annotations)")
    sarif = job_running(r"ecsc lint --format=sarif\b")
    if not sarif:
        problem(path, "no job runs ecsc lint --format=sarif")
    for n in sarif:
        if not any(u.startswith("github/codeql-action/upload-sarif@") for u in uses[n]):
            problem(path, f"job {n} makes SARIF but does not upload it (github/codeql-action/upload-sarif)")
        if (jobs[n].get("permissions") or {}).get("security-events") != "write":
            problem(path, f"job {n} uploads SARIF without permissions: security-events: write")
    if not job_running(r"ecsc build --check\b"):
        problem(path, "no job runs ecsc build --check")
    changes = job_running(r"ecsc build --changed=json\b")
    if len(changes) != 1:
        problem(path, f"want one job running ecsc build --changed=json, found {changes}")
        return
    changes = changes[0]
    plans = {}
    for n, job in jobs.items():
        m = (job.get("strategy") or {}).get("matrix") or {}
        for k, v in m.items():
            found = re.search(r"fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)", str(v))
            if found and found.group(1) == changes and re.search(r"terraform .*plan", runs[n]):
                plans[found.group(2)] = n
    for kind in ("vpc", "service"):
        if kind not in plans:
            problem(path, f"no plan job with a matrix of the changed {kind} states")
    if "vpc" in plans and "service" in plans and not after(jobs, plans["service"], plans["vpc"]):
        problem(path, f"{plans['service']} does not run after {plans['vpc']}: VPC states must come first")
    matrix_keys_read(path, jobs, plans, runs, changes, changed)
    # A plan applies nothing: a service state's plan reads its VPC state as
    # applied, so one whose VPC state the same change alters (an output it
    # adds: Unsupported attribute) must be told apart (review6 A7).
    if "service" in plans and not any(
            re.search(r"\bmatrix\.state\.after_vpc\b", e) for e in exprs(jobs[plans["service"]])):
        problem(path, f"{plans['service']} plans every service state against its VPC state "
                      "as applied: it must read matrix.state.after_vpc (the changes job's: "
                      "its VPC state changes too)")
    for kind, n in plans.items():
        if "id-token" not in (jobs[n].get("permissions") or {}):
            problem(path, f"job {n} plans with AWS credentials but has no id-token permission (OIDC)")


def main():
    outdir, files = sys.argv[1], sys.argv[3:]
    with open(sys.argv[2], encoding="utf-8") as f:
        changed = json.load(f)
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                wf = yaml.safe_load(f)
        except yaml.YAMLError as e:
            problem(path, f"not YAML: {e}")
            continue
        if not isinstance(wf, dict):
            problem(path, "not a mapping")
            continue
        # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
        on = wf.get("on", wf.get(True))
        if not on:
            problem(path, "no on: (the events)")
        if not wf.get("name"):
            problem(path, "no name")
        jobs = wf.get("jobs")
        if not isinstance(jobs, dict) or not jobs:
            problem(path, "no jobs")
            continue
        scripts = []
        for name, job in jobs.items():
            if not re.fullmatch(r"[A-Za-z_][\w-]*", name):
                problem(path, f"job id {name!r}: letters, digits, - and _, not starting with a digit")
            check_job(path, name, job, jobs, scripts)
        acyclic(path, jobs)
        if os.path.basename(path) == "ecsc.yml":
            check_ecsc_workflow(path, wf, changed)
        base = os.path.splitext(os.path.basename(path))[0]
        for sid, text in scripts:
            # Expressions are replaced before the shell sees the script.
            text = EXPR.sub("EXPR", text)
            with open(os.path.join(outdir, f"{base}.{sid}.sh"), "w", encoding="utf-8") as f:
                f.write("#!/usr/bin/env bash\nset -eo pipefail\n" + text)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
