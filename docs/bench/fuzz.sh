#!/usr/bin/env sh
# Fuzzes every parser of untrusted input for a bounded time (issue 15; not part of ./mvnw verify, which replays the
# committed findings). Each target runs in its own JVM, as Jazzer fuzzes one test per run, for the @FuzzTest's
# maxDuration (60 s). A finding is written by Jazzer into src/test/resources/<package>/<Class>Inputs/<method>/ of its
# module and fails that run; commit it with the fix, so the default tests replay it from then on.
#   docs/bench/fuzz.sh                 all targets
#   docs/bench/fuzz.sh chatTemplate    the targets whose name contains the word
set -u
cd "$(dirname "$0")/../.."
targets="
local-store org.sovereign.store.fuzz.ParsersFuzzTest#signedNote
local-store org.sovereign.store.fuzz.ParsersFuzzTest#checkpoint
local-store org.sovereign.store.fuzz.ParsersFuzzTest#tlogProof
local-store org.sovereign.store.fuzz.ParsersFuzzTest#consentReceipt
model-packs org.sovereign.packs.pack.PackInputsFuzzTest#manifest
model-packs org.sovereign.packs.pack.PackInputsFuzzTest#omsBundle
model-packs org.sovereign.packs.pack.PackInputsFuzzTest#mpackArchive
model-packs org.sovereign.packs.pack.PackInputsFuzzTest#chatTemplate
core org.sovereign.core.library.DocumentsFuzzTest#extract
mesh org.sovereign.mesh.log.MeshInputsFuzzTest#logRecord
mesh org.sovereign.mesh.log.MeshInputsFuzzTest#syncMessage
mesh org.sovereign.mesh.bundle.MeshBundleFuzzTest#bundle
mesh org.sovereign.mesh.membership.MembershipInputsFuzzTest#inviteFile
mesh org.sovereign.mesh.membership.MembershipInputsFuzzTest#shortCode
mesh org.sovereign.mesh.membership.MembershipInputsFuzzTest#joinMessage
"
status=0
echo "$targets" | while read -r module test; do
    [ -z "$module" ] && continue
    case "$test" in *"${1:-}"*) ;; *) continue ;; esac
    echo "== $test"
    if JAZZER_FUZZ=1 ./mvnw -B -q -o test -pl "$module" -am -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
        > "target/fuzz-$(echo "$test" | tr '#' '-').log" 2>&1; then
        grep -h 'stat::number_of_executed_units\|#[0-9]*.*DONE' "target/fuzz-$(echo "$test" | tr '#' '-').log" | tail -n 1
    else
        echo "FINDING or failure: see target/fuzz-$(echo "$test" | tr '#' '-').log"
        status=1
    fi
done
exit $status
