#!/usr/bin/env python3
"""Prints the results table of run.sh from its JSON lines (results.jsonl).

For each comparison (benchmark, model, threads, baseline variant): the median over the timed repetitions of
each side, and the ratio taken pair by pair (Java / baseline for the two repetitions that ran back to back, see
interleave.py), summarised as the median of those per-pair ratios with their min-max. Pairing keeps load from
other processes, which comes and goes, from landing on one side only.
"""
import json
import statistics
import sys
from collections import defaultdict

TARGETS = {"embed": 1.2, "generate": 0.95, "verify": 0.8}
UNITS = {"embed": "texts/s", "generate": "tokens/s", "verify": "MB/s"}


def med(records, field="per_second"):
    return statistics.median(r[field] for r in records)


def main(path):
    # Each interleave.py run writes a contiguous block of lines whose pair numbers count up from 0; a block is one
    # comparison: its Java side and its baseline side (Python variant or sha256sum).
    table = defaultdict(lambda: defaultdict(list))   # (label, bench, model, threads, variant) -> side -> records
    llama = defaultdict(list)
    block, block_key, last_pair = [], None, -1

    def flush():
        if not block:
            return
        base = [r for r in block if r["side"] != "java"]
        variant = base[0].get("variant", "") if base else ""
        label, bench, model, threads = block_key
        table[(label, bench, model, threads, variant)]["java"] += [r for r in block if r["side"] == "java"]
        table[(label, bench, model, threads, variant)]["base"] += base

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if r["side"] == "llama.cpp":
                llama[(r["model"], r["threads"])].append(r)
                continue
            model = {"embed": "all-MiniLM-L6-v2-q", "verify": "-"}.get(r["bench"], r.get("model"))
            key = (r["comparison"], r["bench"], model, r.get("threads", 0))
            if key != block_key or r["pair"] < last_pair:
                flush()
                block, block_key = [], key
            block.append(r)
            last_pair = r["pair"]
    flush()

    print("| benchmark | threads | Java median (n) | baseline median (n) | Java / baseline: median of per-pair "
          "ratios [min-max] | target | verdict |")
    print("|---|---|---|---|---|---|---|")
    notes = []
    for key in sorted(table, key=lambda k: (k[1], k[2], -k[3], k[0] != "main", k[4])):
        label, bench, model, threads, variant = key
        java, base = table[key]["java"], table[key]["base"]
        if not java or not base:
            continue
        # Pairs are matched within a block; blocks of one key (repeated runs) are matched in order.
        ratios = sorted(j["per_second"] / b["per_second"] for j, b in zip(
            sorted(java, key=lambda r: r["pair"]), sorted(base, key=lambda r: r["pair"])))
        ratio = statistics.median(ratios)
        unit, target = UNITS[bench], TARGETS[bench]
        if bench == "embed":
            what = f"embed {model}, {java[0]['texts']} texts: Java {java[0]['variant']} vs Python {variant}"
        elif bench == "generate":
            what = f"generate {model}, greedy, {java[0]['tokens']} new tokens"
        else:
            what = f"pack re-verify vs sha256sum, {java[0]['bytes'] / 1e6:.0f} MB file"
        verdict = ("met" if ratio >= target else "**missed**") if label == "main" else "(information)"
        print(f"| {what} | {threads or '-'} | {med(java):.1f} {unit} ({len(java)}) | {med(base):.1f} {unit} "
              f"({len(base)}) | **{ratio:.2f}x** [{ratios[0]:.2f}-{ratios[-1]:.2f}] | "
              f"{'>= ' + str(target) + 'x' if label == 'main' else ''} | {verdict} |")
        if bench == "generate":
            notes.append(f"generate {model}, {threads} thread(s): decode only (after the first token) Java "
                         f"{med(java, 'decode_per_second'):.1f}, Python {med(base, 'decode_per_second'):.1f} "
                         f"tokens/s; first token Java {med(java, 'first_token_ms'):.1f} ms, Python "
                         f"{med(base, 'first_token_ms'):.1f} ms; same tokens: "
                         f"{java[0]['tokens'] == base[0]['tokens'] and java[0]['ids_head'] == base[0]['ids_head']}"
                         f" (first ids {java[0]['ids_head'][:4]})")
        if bench == "embed":
            notes.append(f"embed, {threads} thread(s), Python {variant}: sum |v| over all vectors "
                         f"{base[0]['checksum']:.2f} (Java {java[0]['checksum']:.2f})")
    for (model, threads), rs in sorted(llama.items(), key=lambda kv: -kv[0][1]):
        notes.append(f"llama.cpp (node-llama-cpp prebuilt, CPU) {model}, {threads} thread(s): {med(rs):.1f} "
                     f"tokens/s over the whole call, {med(rs, 'decode_per_second'):.1f} decode only (n={len(rs)}); "
                     f"first ids {rs[0]['ids_head'][:4]}")
    print()
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main(sys.argv[1])
