#!/usr/bin/env bash
# Builds the current commit twice, each in a fresh clone, and lists every jar (and the bundled .mpack) whose bytes
# differ between the two builds. Exit 0 when all are identical.
#   installer/compare-builds.sh [--offline]
set -euo pipefail
cd "$(dirname "$0")/.."
offline=""
[ "${1:-}" = "--offline" ] && offline="-o"
commit=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for side in a b; do
    echo "Building $commit in clone $side ..."
    git clone -q . "$work/$side"
    git -C "$work/$side" checkout -q "$commit"
    (cd "$work/$side" && ./mvnw -B -q $offline -DskipTests package >"$work/$side.log" 2>&1) || {
        echo "Build $side failed; the last lines of its log:" >&2
        tail -n 20 "$work/$side.log" >&2
        exit 2
    }
done

differ=0
same=0
while IFS= read -r rel; do
    if cmp -s "$work/a/$rel" "$work/b/$rel"; then
        same=$((same + 1))
    else
        echo "differs: $rel"
        differ=$((differ + 1))
    fi
done < <(cd "$work/a" && find . -path '*/target/*' \( -name '*.jar' -o -name '*.mpack' \) -not -path '*/target/lib/*' | sort)

echo "$same identical, $differ different."
[ "$differ" -eq 0 ]
