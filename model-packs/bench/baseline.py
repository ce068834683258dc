#!/usr/bin/env python3
"""Python side of the model-packs inference benchmark (run by run.sh; see docs/benchmarks.md).

Subcommands (each prints one JSON line per timed repetition on stdout, nothing else):

  texts    --out FILE [--count N]           writes the benchmark texts, one per line (fixed seed)
  embed    --model M --tokenizer T --texts FILE --threads N [--batch B] [--order input|length]
                                            onnxruntime + tokenizers sentence embeddings, the way a Python
                                            developer writes them: encode_batch with padding and truncation,
                                            numpy, one session.run per batch, mean pooling, L2 normalisation
  generate --dir D --threads N --prompt-ids 1,2,3 --new-tokens K
                                            greedy decoding with onnxruntime: session.run in a loop, the
                                            previous step's present.* outputs fed back as past_key_values.*,
                                            argmax of the last position's logits

Model loading and warm-up are outside the timed region.
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import onnxruntime as ort

WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at which but have "
         "an they you were her she there been one all we their has would when if so no will what up out about "
         "who into them can only other time new some could these two may first then do any like my now over "
         "such our man me even most made after also did many before must through back years where much your "
         "way well down should because each just those people how too little state good very make world still "
         "own see men work long get here between both life being under never day same another know while last "
         "might us great old year off come since against go came right used take three workstation model pack "
         "signature vault consent document search river mill letter window keyboard offline encrypted local "
         "embedding vector sentence meeting invoice contract quarterly revenue holiday garden kitchen station "
         "caf\u00e9 na\u00efve \u00fcber 2026 42 3.14 e-mail U.S.A. don't it's").split()


def session_options(threads, opt):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = {
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }[opt]
    return options


def emit(record):
    print(json.dumps(record), flush=True)


def drive(args, one_rep):
    """--reps N timed repetitions, or with --serve one per "run" line on stdin (see interleave.py)."""
    if not args.serve:
        for rep in range(args.reps):
            emit(one_rep(rep))
        return
    emit({"ready": True})
    rep = 0
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        emit(one_rep(rep))
        rep += 1


def cmd_texts(args):
    rng = random.Random(20261124)
    texts = []
    for i in range(args.count):
        # A mix like a document index sees: short queries/titles, sentences and paragraph chunks.
        kind = i % 4
        n = rng.randint(3, 12) if kind == 0 else rng.randint(12, 40) if kind in (1, 2) else rng.randint(60, 180)
        words = [rng.choice(WORDS) for _ in range(n)]
        words[0] = words[0].capitalize()
        texts.append(" ".join(words) + ".")
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for t in texts:
            f.write(t + "\n")


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def cmd_embed(args):
    from tokenizers import Tokenizer
    texts = read_texts(args.texts)
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.enable_truncation(max_length=args.max_tokens)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    session = ort.InferenceSession(args.model, session_options(args.threads, args.opt),
                                   providers=["CPUExecutionProvider"])
    wants_types = any(i.name == "token_type_ids" for i in session.get_inputs())

    order = list(range(len(texts)))
    if args.order == "length":
        lengths = [sum(e.attention_mask) for e in tokenizer.encode_batch(texts)]
        order.sort(key=lambda i: lengths[i])

    def embed_all():
        out = [None] * len(texts)
        for start in range(0, len(order), args.batch):
            idx = order[start:start + args.batch]
            encodings = tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if wants_types:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(["last_hidden_state"], feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for row, i in enumerate(idx):
                out[i] = pooled[row]
        return np.stack(out)

    for _ in range(args.warmup):
        embed_all()
    def one_rep(rep):
        t0 = time.perf_counter()
        vectors = embed_all()
        elapsed = time.perf_counter() - t0
        return {"side": "python", "bench": "embed", "variant": f"batch{args.batch}-{args.order}-{args.opt}",
                "threads": args.threads, "rep": rep, "texts": len(texts), "seconds": elapsed,
                "per_second": len(texts) / elapsed, "checksum": float(np.abs(vectors).sum())}

    drive(args, one_rep)


def cmd_generate(args):
    with open(os.path.join(args.dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(args.dir, "generation_config.json"), encoding="utf-8") as f:
        gen = json.load(f)
    eos = gen.get("eos_token_id", config.get("eos_token_id"))
    eos = set(eos if isinstance(eos, list) else [eos])
    layers = config["num_hidden_layers"]
    kv_heads = config.get("num_key_value_heads", config["num_attention_heads"])
    head_dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
    session = ort.InferenceSession(os.path.join(args.dir, "model.onnx"), session_options(args.threads, args.opt),
                                   providers=["CPUExecutionProvider"])
    output_names = [o.name for o in session.get_outputs()]
    present_names = [n for n in output_names if n != "logits"]
    past_names = [n.replace("present", "past_key_values") for n in present_names]
    prompt = [int(x) for x in args.prompt_ids.split(",")]
    empty = np.zeros((1, kv_heads, 0, head_dim), dtype=np.float32)

    def generate():
        past = {name: empty for name in past_names}
        step_ids = prompt
        length = 0
        generated = []
        first_at = None
        t0 = time.perf_counter()
        while True:
            total = length + len(step_ids)
            feeds = {
                "input_ids": np.array([step_ids], dtype=np.int64),
                "attention_mask": np.ones((1, total), dtype=np.int64),
                "position_ids": np.arange(length, total, dtype=np.int64)[None, :],
                **past,
            }
            outputs = session.run(output_names, feeds)
            token = int(np.argmax(outputs[0][0, -1]))
            if first_at is None:
                first_at = time.perf_counter()
            generated.append(token)
            if token in eos or len(generated) >= args.new_tokens:
                break
            past = dict(zip(past_names, outputs[1:]))
            length = total
            step_ids = [token]
        end = time.perf_counter()
        return generated, end - t0, first_at - t0

    for _ in range(args.warmup):
        generate()
    def one_rep(rep):
        tokens, seconds, first = generate()
        decode = (len(tokens) - 1) / (seconds - first) if len(tokens) > 1 else 0.0
        return {"side": "python", "bench": "generate", "model": os.path.basename(os.path.normpath(args.dir)),
              "threads": args.threads, "rep": rep, "tokens": len(tokens), "seconds": seconds,
              "first_token_ms": first * 1000, "per_second": len(tokens) / seconds, "decode_per_second": decode,
              "ids_head": tokens[:8]}

    drive(args, one_rep)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("texts")
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=512)
    for name in ("embed", "generate"):
        p = sub.add_parser(name)
        p.add_argument("--threads", type=int, required=True)
        p.add_argument("--warmup", type=int, default=1)
        p.add_argument("--reps", type=int, default=3)
        p.add_argument("--opt", choices=["basic", "all"], default="all")
        p.add_argument("--serve", action="store_true")
        if name == "embed":
            p.add_argument("--model", required=True)
            p.add_argument("--tokenizer", required=True)
            p.add_argument("--texts", required=True)
            p.add_argument("--batch", type=int, default=32)
            p.add_argument("--order", choices=["input", "length"], default="input")
            p.add_argument("--max-tokens", type=int, default=256)
        else:
            p.add_argument("--dir", required=True)
            p.add_argument("--prompt-ids", required=True)
            p.add_argument("--new-tokens", type=int, default=128)
    args = parser.parse_args()
    {"texts": cmd_texts, "embed": cmd_embed, "generate": cmd_generate}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
