#!/usr/bin/env bash
# What the nightly Pages workflow (README, "Publishing the pages") does, runnable
# anywhere: run a suite, append its results to a history kept on a git branch
# (as github-action-benchmark keeps its data branch), push the branch, and build
# the site from the whole history.
#
#   scripts/nightly-pages.sh <remote> <site-dir> <suite> [run options...]
#
#   <remote>    git remote holding the history branch (in CI: the repository itself)
#   <site-dir>  where the site is written (in CI: uploaded to GitHub Pages)
#   RESNET_REPRO_HISTORY_BRANCH  the branch (default results-history), created on first use
#   RESNET_REPRO_CLI             the command to run (default: runners/resnet-repro of this checkout)
#
# Exits with the gate's code (0 pass, 1 regression, 2 incomplete, 4 inconclusive)
# after the history is pushed and the site written: a failing night is still
# recorded and published.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '8,13p' "$0" >&2
  exit 2
fi
remote=$1 site=$2
shift 2
branch=${RESNET_REPRO_HISTORY_BRANCH:-results-history}
# The CLI to call (the tests run it from source).
read -ra cli <<< "${RESNET_REPRO_CLI:-$(cd "$(dirname "$0")/.." && pwd)/runners/resnet-repro}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if git clone --quiet --single-branch --branch "$branch" "$remote" "$work/history" 2>/dev/null; then
  echo "history: $branch of $remote, $(find "$work/history" -name '*.json' -not -path '*/.git/*' | wc -l) result sets"
else
  echo "history: no branch $branch in $remote yet; starting it"
  git init --quiet "$work/history"
  git -C "$work/history" checkout --quiet -b "$branch"
fi

status=0
"${cli[@]}" run "$@" --out "$work/results" --history "$work/history" || status=$?

git -C "$work/history" add -A
if ! git -C "$work/history" diff --cached --quiet; then
  git -C "$work/history" -c user.name="${GIT_AUTHOR_NAME:-resnet-repro}" -c user.email="${GIT_AUTHOR_EMAIL:-resnet-repro@localhost}" commit --quiet -m "results: $* ($(date -u +%Y-%m-%dT%H:%MZ))"
  git -C "$work/history" push --quiet "$remote" "HEAD:refs/heads/$branch"
fi

"${cli[@]}" report --history "$work/history" --out "$site"
echo "gate exit code: $status"
exit "$status"
