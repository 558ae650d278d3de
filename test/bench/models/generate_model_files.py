"""Writes the model files the benchmark reads, with Debian's python3-torch (1.13), into OUT_DIR:

  checkpoint-100mb.pt     a language model's state_dict (token and position embeddings, 12 transformer
                          encoder layers, LM head), float32, about 100 MB, saved by torch.save (zip)
  moe-10k.pt              one shard of a mixture-of-experts model's layers: exactly 10,000 tensors (bfloat16)
  moe-10k.safetensors     the same tensors in the safetensors layout
  expected.json           what torch counts in each file: tensors and elements

    /usr/bin/python3 test/bench/models/generate_model_files.py OUT_DIR

The files are generated, never committed (.bench/ is ignored). The safetensors writer is the one
the test fixtures use (Debian ships no safetensors package).
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "models"))
from generate_safetensors import save as save_safetensors  # noqa: E402

# A GPT-style encoder sized so float32 weights come to about 100 MB.
VOCAB, CONTEXT, WIDTH, LAYERS, HEADS, FFN = 5000, 1024, 384, 12, 6, 1536

# 40 layers x (4 attention projections + 2 norms + router + 81 experts x 3 matrices) = 10,000 tensors.
MOE_LAYERS, EXPERTS, MOE_WIDTH, MOE_HIDDEN = 40, 81, 8, 16


class LanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Embedding(CONTEXT, WIDTH)
        layer = nn.TransformerEncoderLayer(WIDTH, HEADS, FFN, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB, bias=False)


def moe_state_dict():
    state = {}
    for i in range(MOE_LAYERS):
        p = f"layers.{i}."
        for name in ("wq", "wk", "wv", "wo"):
            state[f"{p}attention.{name}.weight"] = torch.randn(MOE_WIDTH, MOE_WIDTH)
        state[f"{p}attention_norm.weight"] = torch.ones(MOE_WIDTH)
        state[f"{p}ffn_norm.weight"] = torch.ones(MOE_WIDTH)
        state[f"{p}feed_forward.gate.weight"] = torch.randn(EXPERTS, MOE_WIDTH)
        for j in range(EXPERTS):
            e = f"{p}feed_forward.experts.{j}."
            state[f"{e}w1.weight"] = torch.randn(MOE_HIDDEN, MOE_WIDTH)
            state[f"{e}w2.weight"] = torch.randn(MOE_WIDTH, MOE_HIDDEN)
            state[f"{e}w3.weight"] = torch.randn(MOE_HIDDEN, MOE_WIDTH)
    return {k: v.to(torch.bfloat16) for k, v in state.items()}


def facts(state):
    return {"tensors": len(state), "elements": sum(t.numel() for t in state.values())}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    expected = {}

    state = LanguageModel().state_dict()
    torch.save(state, os.path.join(out, "checkpoint-100mb.pt"))
    expected["checkpoint-100mb.pt"] = facts(state)

    moe = moe_state_dict()
    assert len(moe) == 10_000, len(moe)
    torch.save(moe, os.path.join(out, "moe-10k.pt"))
    save_safetensors(moe, os.path.join(out, "moe-10k.safetensors"), {"format": "pt"})
    expected["moe-10k.pt"] = expected["moe-10k.safetensors"] = facts(moe)

    # Written last: its presence means every file above is complete.
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
