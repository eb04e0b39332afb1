#!/usr/bin/env python3
"""Issue 13, part 3: why a 56-layer CIFAR ResNet sits at chance early at rate 0.1.

Trains the reference CIFAR ResNet (train_pytorch.py's data, initialisation
and Caffe SGD) for the first --iterations of the paper's schedule, once per
seed and start variant, and prints how long each run stalls:
- paper: the recipe as the suite runs it (§4.2: rate 0.1 from the start);
- warmup: §4.2's ResNet-110 start, rate 0.01 until the training error of the
  last 20 iterations is below 80 %, then 0.1;
- two-gpus: BN statistics over each half of the batch (64 images), as the
  paper's "mini-batch size of 128 on two GPUs" computes them in Caffe;
- fan-out: convolutions N(0, 2/(k²·out)), fb.resnet.torch's initialisation;
- zero-gamma: the last BN of each residual branch starts at γ = 0 (Goyal et
  al. 2017, torchvision's zero_init_residual; not the paper's);
- fc-gaussian: the classifier N(0, 0.01²), the customary Caffe classifier
  filler (the paper does not say which it used);
- plain: the same net without shortcuts (the paper's plain net).

`firstLoss` is the loss of the first batch at initialisation (training-mode
BN), before any update (`--iterations 1` prints only that, for any depth).
A stall is the iterations until the loss, averaged over 20 iterations, first
falls below 2.0 (chance is ln 10 = 2.30). Writes one JSON line per run to
stdout (per-iteration losses included) and a table to stderr.

    python3 scripts/early_stall.py --data ../shared/datasets/cifar10 --depth 56 --seeds 1 2 3 --iterations 150
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from cifar_resnet import CifarResNet
from train_pytorch import augment, caffe_sgd, initialise, read_batches

VARIANTS = ('paper', 'warmup', 'two-gpus', 'fan-out', 'zero-gamma', 'fc-gaussian', 'plain')
WINDOW = 20


def build(depth, variant):
    model = CifarResNet((depth - 2) // 6, 16, residual=variant != 'plain')
    initialise(model)
    if variant == 'fan-out':
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
    if variant == 'fc-gaussian':
        nn.init.normal_(model.fc.weight, 0, 0.01)
    if variant == 'zero-gamma':
        for b in model.blocks:
            nn.init.zeros_(b.bn2.weight)
    return model


def run(args, images, labels, mean, seed, variant):
    torch.manual_seed(seed)
    model = build(args.depth, variant)
    decayed = {n for n, p in model.named_parameters() if p.dim() > 1}
    velocity = {}
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed * 100_003))
    losses, wrong, warming = [], [], variant == 'warmup'
    model.train()
    for it in range(args.iterations):
        index = order[it * 128:(it + 1) * 128]
        x, y = augment(images[index], mean, generator), labels[index]
        lr = 0.01 if warming else 0.1
        model.zero_grad(set_to_none=True)
        if variant == 'two-gpus':
            # Each GPU normalises its own 64 images; Caffe averages the two gradients.
            logits = torch.cat([model(x[:64]), model(x[64:])])
        else:
            logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        caffe_sgd(model, decayed, velocity, lr)
        losses.append(loss.item() if torch.isfinite(loss) else float('nan'))
        wrong.append((logits.argmax(1) != y).float().mean().item())
        if warming and len(wrong) >= WINDOW and sum(wrong[-WINDOW:]) / WINDOW < 0.8:
            warming = False
    smoothed = [sum(losses[i - WINDOW:i]) / WINDOW for i in range(WINDOW, len(losses) + 1)]
    stall = next((i + WINDOW for i, l in enumerate(smoothed) if l < 2.0), None)
    last = losses[-WINDOW:]
    return {'variant': variant, 'seed': seed, 'depth': args.depth, 'stall': stall, 'firstLoss': losses[0], 'peakLoss': max(losses[:WINDOW]),
            'lossLast20': sum(last) / len(last), 'errorLast20': sum(wrong[-WINDOW:]) / len(last), 'losses': losses}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', required=True)
    parser.add_argument('--depth', type=int, default=56)
    parser.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    parser.add_argument('--variants', nargs='+', choices=VARIANTS, default=[v for v in VARIANTS if v != 'plain'])
    parser.add_argument('--iterations', type=int, default=120)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    images, labels = read_batches(args.data, [f'data_batch_{i}.bin' for i in range(1, 6)])
    if not 1 <= args.iterations <= len(labels) // 128:
        raise SystemExit(f'--iterations must be 1 to {len(labels) // 128}: the start of training fits in the first epoch, which is all this script orders')
    mean = images.double().mean(0).float()
    print(f'{"variant":<11} seed  stall  loss(last {WINDOW})  train error(last {WINDOW})', file=sys.stderr)
    for seed in args.seeds:
        for variant in args.variants:
            start = time.perf_counter()
            r = run(args, images, labels, mean, seed, variant)
            r['seconds'] = time.perf_counter() - start
            print(json.dumps(r), flush=True)
            stall = '—' if r['stall'] is None else r['stall']
            print(f'{variant:<11} {seed:>4}  {stall!s:>5}  {r["lossLast20"]:.3f}  {100 * r["errorLast20"]:.1f} %', file=sys.stderr, flush=True)


if __name__ == '__main__':
    main()
