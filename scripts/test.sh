#!/usr/bin/env bash
# Installs the test requirements and runs the whole test suite.
#
# Browser tests need Chromium and chromedriver. When this runs as root and
# they are missing, they are installed from Debian's packages. With CI=true
# a missing browser fails the run (tests/conftest.py); elsewhere the browser
# tests skip with a loud message.
set -uo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt || exit 1

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing chromium and chromium-driver from Debian's packages"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "test.sh: WARNING: no chromium/chromedriver and not root: browser tests will skip" >&2
    fi
fi

# torch is an optional reference; in CI we want the comparison tests to run.
if [ "${CI:-}" = "true" ] && ! python -c "import torch" >/dev/null 2>&1; then
    python -m pip install --quiet --disable-pip-version-check torch==2.13.0 \
        || echo "test.sh: WARNING: torch could not be installed: reference tests will skip" >&2
fi

# One worker per core (pytest-xdist), each with its own Chromium and servers; a group of tests that
# must share one process (xdist_group) stays on one worker. GRADSCAPE_TEST_WORKERS=0 runs in this process.
python -m pytest -n "${GRADSCAPE_TEST_WORKERS:-auto}" --dist loadgroup "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests: failing" >&2
    exit 1
fi
exit "$status"
