#!/usr/bin/env python3
"""Alternates two benchmark sides repetition by repetition (A B, B A, A B, ...) so that load from other
processes, which comes and goes, falls on both sides alike. Each side is either a command started once in serve
mode (it loads its model, warms up, prints {"ready": true}, then does one timed repetition per "run" line and
prints one JSON line), or, with the prefix "each:", a shell command run once per repetition and timed here
(used for sha256sum). Every result line is printed with "pair": i and "comparison": LABEL added; run.sh
collects them.

  interleave.py --pairs N --a 'CMD' --b 'CMD' [--c 'CMD'] [--label main] [--gap 0.5] [--each-json '{"side": ..., "bytes": ...}']

With --c, three sides take turns in rotating order (A B C, B C A, C A B, ...).
"""
import argparse
import json
import shlex
import subprocess
import sys
import time


class Served:
    def __init__(self, command):
        self.proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit(f"benchmark side exited before it was ready: {command}")
            if line.startswith('{"ready"'):
                break

    def run(self):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("benchmark side exited")
            if line.startswith("{"):
                return json.loads(line)

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


class Each:
    def __init__(self, command, template):
        self.command = command
        self.template = json.loads(template)
        self.rep = 0

    def run(self):
        t0 = time.perf_counter()
        subprocess.run(self.command, shell=True, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        record = dict(self.template, rep=self.rep, seconds=seconds)
        record["per_second"] = record["bytes"] / seconds / 1e6
        self.rep += 1
        return record

    def close(self):
        pass


def side(command, template):
    return Each(command[5:], template) if command.startswith("each:") else Served(command)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, required=True)
    parser.add_argument("--a", required=True)
    parser.add_argument("--b", required=True)
    parser.add_argument("--c", default=None, help="optional third side")
    parser.add_argument("--each-json", default="{}")
    parser.add_argument("--label", default="main")
    parser.add_argument("--gap", type=float, default=0.5,
                        help="seconds of quiet before each repetition (default 0.5): ONNX Runtime's intra-op "
                             "workers keep spinning for a while after a run, and on a small machine the side that "
                             "just finished would otherwise take a core from the start (the prompt step) of the next")
    args = parser.parse_args()
    a = side(args.a, args.each_json)
    b = side(args.b, args.each_json)
    c = side(args.c, args.each_json) if args.c else None
    try:
        for i in range(args.pairs):
            if c is None:
                order = (a, b) if i % 2 == 0 else (b, a)
            else:
                order = ((a, b, c), (b, c, a), (c, a, b))[i % 3]
            for s in order:
                time.sleep(args.gap)
                record = s.run()
                print(json.dumps({"comparison": args.label, "pair": i, **record}), flush=True)
    finally:
        a.close()
        b.close()
        if c is not None:
            c.close()


if __name__ == "__main__":
    sys.exit(main())
