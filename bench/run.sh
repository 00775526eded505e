#!/usr/bin/env bash
# `make bench`: install wrk if missing, then run bench/bench.py in the project's venv.
# Extra arguments go to bench.py (e.g. `bash bench/run.sh --seconds 3 --no-doc`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's wrk, the same way `make browser` installs Debian's chromium.
command -v wrk >/dev/null 2>&1 || {
  echo "Installing Debian's wrk for the benchmark"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}

# The project's venv (make builds it); BENCH_PYTHON points elsewhere to try another.
PYTHON="${BENCH_PYTHON:-${VENV:-.venv}/bin/python}"

# Both servers need a key; one made for this run keeps instance/ untouched.
export SECRET_KEY="${SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}"

# Written into docs/benchmarks.md as "the exact command" (make exports MAKELEVEL).
if [[ -n "${MAKELEVEL:-}" ]]; then
  export BENCH_COMMAND="make bench"
else
  export BENCH_COMMAND="bash bench/run.sh${*:+ $*}"
fi

# Debian's nginx: bench.py measures its page cache against a static file, and the
# two scripts after it run it in front of the app.
command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || {
  echo "Installing Debian's nginx for the benchmark"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
}

"$PYTHON" bench/bench.py "$@"

# The slow-client comparison (gunicorn alone, then behind nginx) appends its own
# section to docs/benchmarks.md, which bench.py has just rewritten.
# Then the bounded load test: 200 simulated people for 60 s through nginx to two
# instances on PostgreSQL and Redis (Debian's packages, as `make test` installs them).
NO_DOC=""
[[ " $* " == *" --no-doc "* ]] && NO_DOC="--no-doc"
"$PYTHON" bench/slow_clients.py $NO_DOC
# The outcome page with "Did this solve your problem?" against the same page without it and a bare view.
"$PYTHON" bench/feedback.py $NO_DOC
exec "$PYTHON" bench/load.py $NO_DOC
