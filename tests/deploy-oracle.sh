#!/usr/bin/env bash
# tests/deploy-oracle.sh: the load balancer role's request oracle
# (tests/deploy-oracle.js) on its fixtures (tests/deploy-oracle/gen.py
# writes them), by tests/oracle-fixtures.sh. The oracle runs on every
# build's output in tests/build.sh. Ends with "deploy-oracle: N passed, N
# failed".
exec "$(dirname "$0")/oracle-fixtures.sh" deploy-oracle tests/deploy-oracle.js tests/deploy-oracle
