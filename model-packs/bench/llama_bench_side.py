#!/usr/bin/env python3
"""One side of an interleaved comparison (see interleave.py) that runs native llama.cpp's own benchmark tool.

Prints {"ready": true}, then for each "run" line on standard input starts `llama-bench` once (-r 1: its own
untimed warm-up, the depth filled untimed, then one timed decode of --gen tokens) and prints one JSON line with
its tokens/s. A fresh process per repetition keeps llama.cpp's thread pool from spinning while the other side runs;
the model file stays in the page cache, and loading it is outside llama-bench's timing.

  llama_bench_side.py --bin build/bin/llama-bench --model M.gguf --threads 2 --depth 32 --gen 64 [--prompt 0]
"""
import argparse
import json
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--depth", type=int, default=0)
    parser.add_argument("--gen", type=int, default=64)
    parser.add_argument("--prompt", type=int, default=0, help="prompt-processing test instead (tokens)")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    print(json.dumps({"ready": True}), flush=True)
    rep = 0
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        command = [args.bin, "-m", args.model, "-t", str(args.threads), "-r", "1", "-o", "jsonl",
                   "-d", str(args.depth)]
        command += ["-p", str(args.prompt), "-n", "0"] if args.prompt else ["-p", "0", "-n", str(args.gen)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = [json.loads(x) for x in out.splitlines() if x.startswith("{")][-1]
        print(json.dumps({"side": "llama.cpp", "bench": "pp" if args.prompt else "decode", "label": args.label,
                          "threads": args.threads, "rep": rep, "depth": args.depth,
                          "tokens": args.prompt or args.gen, "per_second": result["avg_ts"],
                          "first_token_ms": 1000 * args.prompt / result["avg_ts"] if args.prompt else None,
                          "build_commit": result.get("build_commit"), "cpu_info": result.get("cpu_info"),
                          "flash_attn": result.get("flash_attn"), "type_k": result.get("type_k"),
                          "model_type": result.get("model_type")}), flush=True)
        rep += 1


if __name__ == "__main__":
    sys.exit(main())
