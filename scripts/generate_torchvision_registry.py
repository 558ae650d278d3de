"""Writes src/engine/python/models/torchvision-registry.json: the parameter count of every
torchvision.models classification constructor, how it changes with num_classes, and the
multiply-accumulates of one forward pass for convolutional models.

Run with Debian's torchvision (never by the tests):
    /usr/bin/python3 scripts/generate_torchvision_registry.py

How the numbers are made:
- Each constructor is built twice, with num_classes=1 and num_classes=2. Every classifier head
  (and auxiliary head) is linear in num_classes, so parameters(n) = base + n * perClass exactly.
- weightParameters: the num_params each set of ImageNet weights declares (weights.meta), which is
  what the model has once those weights are loaded.
- MACs: forward hooks on Conv2d and Linear modules, one sample at the weights' input size (224x224,
  299x299 for inception_v3), default head. Models whose attention matmuls run outside modules (ViT,
  Swin, MaxViT) get no MAC figure rather than an undercount.
"""
import json
import sys

import torch
import torchvision
import torchvision.models as models

ATTENTION = ("vit_", "swin_", "maxvit")


def params(module):
    return sum(p.numel() for p in module.parameters())


def macs(model, shape):
    total = [0]

    def conv(mod, inp, out):
        k = mod.kernel_size[0] * mod.kernel_size[1]
        total[0] += out.numel() * (mod.in_channels // mod.groups) * k

    def linear(mod, inp, out):
        total[0] += out.numel() * mod.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(linear))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    for h in hooks:
        h.remove()
    return total[0]


def build(name, **kwargs):
    return models.get_model(name, **kwargs) if hasattr(models, "get_model") else getattr(models, name)(**kwargs)


def main():
    torch.manual_seed(0)
    out = {}
    for name in models.list_models(module=models):
        one = params(build(name, num_classes=1))
        two_model = build(name, num_classes=2)
        two = params(two_model)
        per_class = two - one
        base = one - per_class
        default = base + 1000 * per_class
        weights = models.get_model_weights(name)
        entry = {"parameters": default, "base": base, "perClass": per_class}
        if weights:
            # What each set of ImageNet weights builds, as the weights declare it. It differs from the
            # plain constructor for googlenet and inception_v3 (loading weights drops the auxiliary
            # heads) and for ViTs whose SWAG weights use a larger image size (longer position embeddings).
            entry["weightParameters"] = {w.name: w.meta["num_params"] for w in weights}
            entry["defaultWeights"] = weights.DEFAULT.name
        size = 299 if name == "inception_v3" else 224
        entry["inputShape"] = [3, size, size]
        if not name.startswith(ATTENTION):
            entry["macs"] = macs(build(name), [3, size, size])
        out[name] = entry
        print(name, entry.get("parameters"), entry.get("macs"), file=sys.stderr)
        del two_model
    doc = {
        "generator": "scripts/generate_torchvision_registry.py",
        "torchvision": torchvision.__version__,
        "torch": torch.__version__,
        "models": out,
    }
    with open("src/engine/python/models/torchvision-registry.json", "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
