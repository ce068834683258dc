#!/usr/bin/env bash
# The local API's overhead (issue 13): greedy streaming on the tiny Llama fixture over HTTP vs in process, alternated
# pair by pair, then N concurrent streaming clients. Results go in docs/benchmarks.md ("Local API").
#   docs/bench/serve.sh                 # 10 pairs, 200 tokens, 8 clients
#   PAIRS=20 CLIENTS=8 docs/bench/serve.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p server/target/tmp
./mvnw -B -q -o -pl server -am -Pserve-bench process-test-classes \
  -Dbench.props="-Dbench.pairs=${PAIRS:-10} -Dbench.tokens=${TOKENS:-200} -Dbench.clients=${CLIENTS:-8}"
