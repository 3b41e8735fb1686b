#!/usr/bin/env bash
# tests/firelens.sh: the FireLens request oracle (tests/firelens-oracle.js)
# on its fixtures (tests/firelens/gen.py writes them), by
# tests/oracle-fixtures.sh. The oracle runs on every build's output in
# tests/build.sh. Ends with "firelens: N passed, N failed".
exec "$(dirname "$0")/oracle-fixtures.sh" firelens tests/firelens-oracle.js tests/firelens
