#!/usr/bin/env python3
"""Random-weight decoders of realistic small shapes for the generation benchmark (run.sh calls it).

--shape llama-134m (default): hidden 768, 12 layers, 12 attention heads (12 key/value heads, head dim 64), intermediate 2048,
vocab 32000, untied input/output embeddings, 2048 positions: 134M parameters (about 110M without the
output projection). Weights come from a fixed seed; nothing is downloaded. Exported to ONNX with KV cache
exactly like the test fixture (model-packs/src/test/fixtures/make_tiny_llama.py: its DecoderWithPast
wrapper and export_onnx are reused), float32, into --out (default model-packs/target/bench/llama-134m),
which is build output and never committed.

Also writes a word-level tokenizer.json covering all 32000 ids (tokens w0..w31999; ids 0-2 are <unk>, <s>,
</s>) so the Java generator can detokenize every id, and --gguf FILE, the same weights as a GGUF for
llama.cpp (needs the `gguf` Python package).

--shape qwen2.5-0.5b: Qwen2.5-0.5B's shape with random weights (Qwen2ForCausalLM: hidden 896, 24 layers, 14
heads, 2 key/value heads, intermediate 4864, vocab 151936, tied embeddings, q/k/v biases, rope theta 1e6): 494M
parameters. Its fp32 ONNX file is over 2 GB, so the weights go to external data files next to model.onnx.

--variants also writes DIR-int8 (ONNX Runtime dynamic quantization, int8 weights, per channel) and DIR-q4
(MatMulNBits, 4 bits, block 32, accuracy level 4: int8 activations at run time), each with the same config and
tokenizer; the matching GGUFs (Q8_0, Q4_0) are made from the F32 one by llama.cpp's llama-quantize (run.sh).

Run:  python make_bench_llama.py [--shape S] [--out DIR] [--gguf FILE] [--variants]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "fixtures"))
from make_tiny_llama import export_onnx, write_json  # noqa: E402

from transformers import (GenerationConfig, LlamaConfig, LlamaForCausalLM, Qwen2Config,  # noqa: E402
                          Qwen2ForCausalLM)

SEED = 20261124
SHAPES = {
    "llama-134m": dict(vocab_size=32000, hidden_size=768, intermediate_size=2048, num_hidden_layers=12,
                       num_attention_heads=12, num_key_value_heads=12, max_position_embeddings=2048,
                       rms_norm_eps=1e-5, tie_word_embeddings=False),
    "qwen2.5-0.5b": dict(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                         num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                         rms_norm_eps=1e-6, tie_word_embeddings=True, rope_theta=1000000.0),
}
VOCAB = 32000  # set from the shape in main()


def build_model(shape="llama-134m"):
    kind = (Qwen2Config, Qwen2ForCausalLM) if shape.startswith("qwen") else (LlamaConfig, LlamaForCausalLM)
    config = kind[0](initializer_range=0.02, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                     attn_implementation="eager", **SHAPES[shape])
    torch.manual_seed(SEED)
    model = kind[1](config).eval()
    model.generation_config = GenerationConfig(bos_token_id=1, eos_token_id=2, pad_token_id=0, do_sample=False)
    return model


def write_tokenizer(out_dir):
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for i in range(3, VOCAB):
        vocab[f"w{i}"] = i
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t, i in (("<unk>", 0), ("<s>", 1), ("</s>", 2))],
        "normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": None,
        "decoder": None, "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"},
    }
    write_json(os.path.join(out_dir, "tokenizer.json"), tokenizer)
    write_json(os.path.join(out_dir, "tokenizer_config.json"),
               {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>",
                "unk_token": "<unk>", "pad_token": "<unk>", "model_max_length": 2048})


def write_gguf(model, path):
    import gguf
    cfg = model.config
    qwen = cfg.model_type == "qwen2"
    w = gguf.GGUFWriter(path, "qwen2" if qwen else "llama")
    w.add_name("sovereign-bench-" + ("qwen2.5-0.5b" if qwen else "llama-134m") + "-random")
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_block_count(cfg.num_hidden_layers)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_rope_dimension_count(cfg.hidden_size // cfg.num_attention_heads)
    w.add_rope_freq_base(float(cfg.rope_parameters["rope_theta"]) if getattr(cfg, "rope_parameters", None)
                         else float(getattr(cfg, "rope_theta", 10000.0)))
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_vocab_size(VOCAB)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    # llama.cpp's SentencePiece-style vocab needs the 256 byte tokens (it looks up <0x0A> for newline), so ids
    # 3-258 are bytes here; the benchmark feeds token ids, never text, so the names do not matter.
    tokens = ([b"<unk>", b"<s>", b"</s>"] + [f"<0x{b:02X}>".encode() for b in range(256)]
              + [f"w{i}".encode() for i in range(259, VOCAB)])
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * VOCAB)
    w.add_token_types([2, 3, 3] + [6] * 256 + [1] * (VOCAB - 259))
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)

    heads, kv_heads = cfg.num_attention_heads, cfg.num_key_value_heads

    def unpermute(t, n_head):
        # transformers' q/k rows are in "rotate half" order; llama.cpp's llama architecture expects the interleaved
        # (original) order. Its qwen2 architecture uses the "rotate half" (NEOX) order as transformers does.
        if qwen:
            return t
        return (t.reshape(n_head, 2, t.shape[0] // n_head // 2, *t.shape[1:]).swapaxes(1, 2).reshape(t.shape))

    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    w.add_tensor("token_embd.weight", sd["model.embed_tokens.weight"])
    w.add_tensor("output_norm.weight", sd["model.norm.weight"])
    if not cfg.tie_word_embeddings:
        w.add_tensor("output.weight", sd["lm_head.weight"])  # tied: llama.cpp reuses token_embd
    for i in range(cfg.num_hidden_layers):
        p = f"model.layers.{i}."
        w.add_tensor(f"blk.{i}.attn_norm.weight", sd[p + "input_layernorm.weight"])
        w.add_tensor(f"blk.{i}.attn_q.weight", unpermute(sd[p + "self_attn.q_proj.weight"], heads))
        w.add_tensor(f"blk.{i}.attn_k.weight", unpermute(sd[p + "self_attn.k_proj.weight"], kv_heads))
        w.add_tensor(f"blk.{i}.attn_v.weight", sd[p + "self_attn.v_proj.weight"])
        if qwen:
            w.add_tensor(f"blk.{i}.attn_q.bias", sd[p + "self_attn.q_proj.bias"])
            w.add_tensor(f"blk.{i}.attn_k.bias", sd[p + "self_attn.k_proj.bias"])
            w.add_tensor(f"blk.{i}.attn_v.bias", sd[p + "self_attn.v_proj.bias"])
        w.add_tensor(f"blk.{i}.attn_output.weight", sd[p + "self_attn.o_proj.weight"])
        w.add_tensor(f"blk.{i}.ffn_norm.weight", sd[p + "post_attention_layernorm.weight"])
        w.add_tensor(f"blk.{i}.ffn_gate.weight", sd[p + "mlp.gate_proj.weight"])
        w.add_tensor(f"blk.{i}.ffn_up.weight", sd[p + "mlp.up_proj.weight"])
        w.add_tensor(f"blk.{i}.ffn_down.weight", sd[p + "mlp.down_proj.weight"])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_variants(out_dir):
    """int8 and 4-bit ONNX files of the same weights, in sibling folders sharing config and tokenizer."""
    import shutil
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    import onnx
    source = os.path.join(out_dir, "model.onnx")
    for suffix in ("int8", "q4"):
        target = out_dir.rstrip("/") + "-" + suffix
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(out_dir):
            if name.endswith(".json"):
                shutil.copy(os.path.join(out_dir, name), target)
        if suffix == "int8":
            quantize_dynamic(source, os.path.join(target, "model.onnx"), weight_type=QuantType.QInt8,
                             per_channel=True, op_types_to_quantize=["MatMul"],
                             use_external_data_format=False)
        else:
            quantizer = MatMulNBitsQuantizer(onnx.load(source), block_size=32, is_symmetric=True, accuracy_level=4)
            quantizer.process()
            quantizer.model.save_model_to_file(os.path.join(target, "model.onnx"), use_external_data_format=False)
        print(f"wrote {target}", file=sys.stderr)


def main():
    global VOCAB
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--shape", default="llama-134m", choices=sorted(SHAPES))
    parser.add_argument("--out", default=None)
    parser.add_argument("--gguf", default=None)
    parser.add_argument("--variants", action="store_true", help="also write DIR-int8 and DIR-q4 (see above)")
    parser.add_argument("--check", type=int, default=8, help="greedy tokens to compare transformers with the export")
    args = parser.parse_args()
    args.out = args.out or os.path.join(here, "..", "target", "bench", args.shape)
    VOCAB = SHAPES[args.shape]["vocab_size"]
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(SEED)
    model = build_model(args.shape)
    params = sum(p.numel() for p in model.parameters())
    model.config.to_json_file(os.path.join(args.out, "config.json"))
    model.generation_config.to_json_file(os.path.join(args.out, "generation_config.json"))
    write_tokenizer(args.out)
    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(model, onnx_path)
    if args.check:
        from make_tiny_llama import greedy_with_onnxruntime
        prompt = [1] + list(range(100, 131))
        with torch.no_grad():
            out = model.generate(torch.tensor([prompt]), attention_mask=torch.ones(1, len(prompt), dtype=torch.int64),
                                 max_new_tokens=args.check, do_sample=False)
        expected = out[0, len(prompt):].tolist()
        got, _ = greedy_with_onnxruntime(onnx_path, model.config, prompt, args.check, {2})
        if got != expected:
            raise SystemExit(f"ONNX export disagrees with transformers: {got} vs {expected}")
    if args.gguf:
        write_gguf(model, args.gguf)
    if args.variants:
        write_variants(args.out)
    print(f"wrote {args.out}: {params / 1e6:.1f}M parameters, model.onnx {os.path.getsize(onnx_path) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
