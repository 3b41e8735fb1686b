#!/usr/bin/env bash
# tests/exec-oracle.sh: the ECS Exec session's request oracle
# (tests/exec-oracle.js) on its fixtures (tests/exec-oracle/gen.py writes
# them), by tests/oracle-fixtures.sh. The oracle runs on every build's
# output in tests/build.sh. Ends with "exec-oracle: N passed, N failed".
exec "$(dirname "$0")/oracle-fixtures.sh" exec-oracle tests/exec-oracle.js tests/exec-oracle
