#!/usr/bin/env python3
"""Table of run.sh's "native" part (native.jsonl): Java decode against native llama.cpp's llama-bench.

For each comparison (model, precision, depth): the median and range of each side's decode tokens/s over the timed
repetitions, and the median [min-max] of the per-pair ratios Java / llama.cpp (pairs ran back to back, see
interleave.py). Java's figure is decode only: new tokens after the first, over the time after the first.
"""
import json
import statistics
import sys
from collections import defaultdict


def main(path):
    sides = defaultdict(lambda: defaultdict(dict))  # label -> side -> pair -> record
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            label = r["comparison"]
            if label not in order:
                order.append(label)
            side = r["side"] + ("-nospin" if r.get("spin") is False else "")
            sides[label][side][r["pair"]] = r
    print("| model | precision | depth | threads | llama.cpp tokens/s median [range] | Java tokens/s median [range] "
          "| Java / llama.cpp per pair: median [min-max] |")
    print("|---|---|---|---|---|---|---|")
    notes = set()
    for label, java_side in [(x, j) for x in order for j in ("java", "java-nospin")]:
        java, native = sides[label][java_side], sides[label]["llama.cpp"]
        pairs = sorted(set(java) & set(native))
        if not pairs:
            continue
        field = "first_token_ms" if label.startswith("ttft") else "decode_per_second"
        j = [java[p][field] for p in pairs]
        n = [native[p]["first_token_ms" if field == "first_token_ms" else "per_second"] for p in pairs]
        ratios = sorted((b / a) if field == "first_token_ms" else (a / b) for a, b in zip(j, n))
        _, model, precision, depth = label.split(":")
        if java_side != "java":
            precision += " (Java: workers sleep)"
        unit = " ms" if field == "first_token_ms" else ""
        print(f"| {model} | {precision} | {depth} | {native[pairs[0]]['threads']} "
              f"| {statistics.median(n):.1f}{unit} [{min(n):.1f}-{max(n):.1f}] "
              f"| {statistics.median(j):.1f}{unit} [{min(j):.1f}-{max(j):.1f}] "
              f"| **{statistics.median(ratios):.2f}x** [{ratios[0]:.2f}-{ratios[-1]:.2f}] ({len(pairs)} pairs) |")
        first = native[pairs[0]]
        notes.add(f"llama.cpp build {first['build_commit']}, flash attention {first['flash_attn']}, "
                  f"K cache {first['type_k']}; CPU: {first['cpu_info']}")
    print()
    for n in sorted(notes):
        print(f"- {n}")
    print("- (ttft rows: time to first token for the prompt, ms; ratio = llama.cpp time / Java time, so >= 1 is "
          "Java as fast or faster)")


if __name__ == "__main__":
    main(sys.argv[1])
