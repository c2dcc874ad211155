#!/usr/bin/env bash
# Known vulnerabilities: pip-audit on the locked requirements (uv export) and each service's requirements.txt,
# npm audit (high and critical) on web/. Exits 1 on a finding not in .audit/pip-audit-ignore.txt.
# Both need the advisory databases (PyPI / OSV, the npm registry). Unreachable: a failure when
# AUDIT_REQUIRED=1 (CI), else a warning, so an offline `make test` still runs the rest.
set -uo pipefail
cd "$(dirname "$0")/.."
PIP_AUDIT=${PIP_AUDIT:-.venv/bin/pip-audit}
UV=${UV:-.tools/bin/uv}
NPM=${NPM:-npm}
REQUIREMENTS=${AUDIT_REQUIREMENTS:-}
mkdir -p build/audit
if [ -z "$REQUIREMENTS" ]; then
  "$UV" export --frozen --all-groups --no-hashes --no-emit-workspace --no-emit-project --quiet \
    -o build/audit/locked.txt || exit 1
  REQUIREMENTS="build/audit/locked.txt $(ls services/*/requirements.txt)"
fi
ignores=()
while read -r id _; do
  case "$id" in ''|'#'*) ;; *) ignores+=(--ignore-vuln "$id") ;; esac
done < .audit/pip-audit-ignore.txt

status=0
unreachable() {  # $1: what, $2: output
  if grep -qE 'ConnectionError|NameResolution|Max retries|could not be audited|audit endpoint returned an error|ENOTFOUND|EAI_AGAIN' <<<"$2"; then
    if [ "${AUDIT_REQUIRED:-}" = 1 ]; then echo "audit: $1: advisory database unreachable" >&2; status=1
    else echo "audit: WARNING $1 not checked: advisory database unreachable (AUDIT_REQUIRED=1 makes this fail)" >&2; fi
    return 0
  fi
  return 1
}
for req in $REQUIREMENTS; do
  out=$("$PIP_AUDIT" --progress-spinner off --disable-pip --no-deps --strict -r "$req" ${ignores[@]+"${ignores[@]}"} 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    unreachable "$req" "$out" || { echo "$out"; echo "audit: known vulnerabilities in $req" >&2; status=1; }
  fi
done
if [ -z "${AUDIT_SKIP_NPM:-}" ]; then
  out=$(cd web && "$NPM" audit --audit-level=high 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    unreachable "web/ (npm)" "$out" || { echo "$out"; echo "audit: high or critical advisories in web/" >&2; status=1; }
  fi
fi
exit $status
