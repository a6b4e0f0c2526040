#!/usr/bin/env bash
# Runs every Threadbook test: core, extension (in-process kernel), every notebook in the workbook runner,
# in real Jupyter (nbclient) and as HTML in Chromium. Installs what a fresh Debian machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: CPython with the notes' coroutine libraries (#!python cells), a real Jupyter
# client and a real browser.
debian_packages=(python3 python3-greenlet python3-gevent python3-nbclient jupyter-client jupyter-core chromium)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
fi

export DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

# plotly.js for the chart browser tests, served on loopback in place of the CDN (pinned in its package-lock.json).
if [[ ! -d tests/Notebooks.Tests/browser/node_modules ]]; then
  (cd tests/Notebooks.Tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

results=artifacts/test-results
rm -rf "$results" artifacts/test-runs
status=0
dotnet test Notebooks.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

# One closing line over all test assemblies.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [[ -e $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + t - e))
done
# Name every failed test with the start of its message last, where a truncated CI log still shows them.
if ((failed)); then
  python3 - "$results"/*.trx <<'PY'
import sys, xml.etree.ElementTree as tree
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for result in tree.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") != "Failed":
            continue
        message = result.findtext(".//t:Message", default="", namespaces=ns).strip()
        print(f"FAILED {result.get('testName')}\n  " + "\n  ".join(message.splitlines()[:12]))
PY
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
