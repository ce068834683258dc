#!/usr/bin/env python3
"""Prints the results table of run.sh from its JSON lines.

For each benchmark and thread count: the median over all timed repetitions of each side, and the ratio taken
round by round (Java median / baseline median within the same round, the two having run back to back), then
the median of those per-round ratios. Pairing within a round keeps load from other processes, which changes
between rounds, from landing on one side only.
"""
import json
import statistics
import sys
from collections import defaultdict

BASELINE_EMBED = "batch32-input-basic"
TARGETS = {"embed": 1.2, "generate": 0.95, "verify": 0.8}
UNITS = {"embed": "texts/s", "generate": "tokens/s", "verify": "MB/s"}


def main(path):
    runs = defaultdict(list)          # (bench, model, threads, side, variant) -> records
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                model = {"embed": "all-MiniLM-L6-v2-q", "verify": "-"}.get(r["bench"], r.get("model"))
                variant = r.get("variant", "") if r["side"] == "python" and r["bench"] == "embed" else ""
                runs[(r["bench"], model, r.get("threads", 0), r["side"], variant)].append(r)

    def median(records, field="per_second"):
        values = [r[field] for r in records]
        return statistics.median(values) if values else None

    def by_round(records):
        rounds = defaultdict(list)
        for r in records:
            rounds[r.get("round", 0)].append(r)
        return rounds

    print("| benchmark | threads | Java (median, n) | baseline (median, n) | ratio: median of per-round ratios "
          "(each round's) | target | verdict |")
    print("|---|---|---|---|---|---|---|")
    notes = []
    for key in sorted(k for k in runs if k[3] == "java"):
        bench, model, threads, _, _ = key
        java = runs[key]
        if bench == "embed":
            base_key = (bench, model, threads, "python", BASELINE_EMBED)
            what = f"embed {model}, {java[0]['texts']} texts (Java default: {java[0]['variant']}; Python {BASELINE_EMBED})"
        elif bench == "generate":
            base_key = (bench, model, threads, "python", "")
            what = f"generate {model}, greedy, {java[0]['tokens']} new tokens (tokens/s over the whole call)"
        else:
            base_key = (bench, model, threads, "sha256sum", "")
            what = f"pack re-verify vs sha256sum, {java[0]['bytes'] / 1e6:.0f} MB file"
        base = runs.get(base_key, [])
        jr, br = by_round(java), by_round(base)
        ratios = [median(jr[r]) / median(br[r]) for r in sorted(jr) if r in br]
        unit = UNITS[bench]
        target = TARGETS[bench]
        if not ratios:
            print(f"| {what} | {threads or '-'} | {median(java):.1f} {unit}, {len(java)} | (none) | | {target}x | |")
            continue
        ratio = statistics.median(ratios)
        verdict = "met" if ratio >= target else "**missed**"
        each = ", ".join(f"{x:.2f}" for x in ratios)
        print(f"| {what} | {threads or '-'} | {median(java):.1f} {unit}, {len(java)} | {median(base):.1f} {unit}, "
              f"{len(base)} | **{ratio:.2f}x** ({each}) | >= {target}x | {verdict} |")
        if bench == "embed":
            for other in sorted(k for k in runs if k[:3] == key[:3] and k[3] == "python" and k != base_key):
                rounds = sorted(by_round(runs[other]))
                same = [median(jr[r]) / median(by_round(runs[other])[r]) for r in rounds if r in jr]
                notes.append(f"embed, {threads} thread(s): Python {other[4]} {median(runs[other]):.1f} texts/s "
                             f"(n={len(runs[other])}); Java / that, same round: "
                             + ", ".join(f"{x:.2f}" for x in same))
        if bench == "generate":
            notes.append(f"generate {model}, {threads} thread(s): decode only (after the first token) Java "
                         f"{median(java, 'decode_per_second'):.1f}, Python {median(base, 'decode_per_second'):.1f} "
                         f"tokens/s; first token Java {median(java, 'first_token_ms'):.1f} ms, Python "
                         f"{median(base, 'first_token_ms'):.1f} ms; same first ids: "
                         f"{java[0]['ids_head'] == base[0]['ids_head']} ({java[0]['ids_head']})")
    for key in sorted(k for k in runs if k[3] == "llama.cpp"):
        rs = runs[key]
        notes.append(f"llama.cpp (node-llama-cpp prebuilt) {key[1]}, {key[2]} thread(s): {median(rs):.1f} tokens/s "
                     f"whole call, {median(rs, 'decode_per_second'):.1f} decode (n={len(rs)}); first ids "
                     f"{rs[0]['ids_head']}")
    print()
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main(sys.argv[1])
