#!/usr/bin/env bash
# tests/ebs-oracle.sh: the EBS request oracle (tests/ebs-oracle.js) on its
# fixtures (tests/ebs-oracle/gen.py writes them), by
# tests/oracle-fixtures.sh. The oracle runs on every build's output in
# tests/build.sh. Ends with "ebs-oracle: N passed, N failed".
exec "$(dirname "$0")/oracle-fixtures.sh" ebs-oracle tests/ebs-oracle.js tests/ebs-oracle
