#!/usr/bin/env python3
"""The reference for `cifar10-depth --preset reduced`: the same recipe in PyTorch.

The paper's CIFAR-10 training (§4.2) as this project runs it, written out
independently, so that "our training equals a reference implementation's
under the same recipe" is a measurement:
- data: the official binary batches (50k training, 10k test images), the
  per-pixel mean of the training images subtracted (0–255 scale), 4 pixels
  of zero padding on each side, a random 32×32 crop and a random horizontal
  flip per training image; test images only mean-subtracted;
- order: a fresh random permutation every epoch, batches running across
  epoch boundaries;
- model: CifarResNet (option A, BN ε 1e-5, moving averages with momentum 0.9
  in Caffe's sense), convolutions He-normal (fan in), the classifier
  U(±1/√fan_in) with zero bias;
- SGD in Caffe's form (v ← μv + η(g + λw), w ← w − v; μ 0.9, λ 1e-4 on
  kernels only), batch 128, rate 0.1 divided by 10 at 50 % and 75 % of the
  iterations (the paper's 32k/48k of 64k, scaled);
- loss: softmax cross-entropy, the batch mean; test error on all 10k test
  images, BN in inference mode.

Writes run.json (curves, final errors, recipe, versions) in --out, with a
checkpoint every --checkpoint-every iterations; --resume continues from it.
Needs torch and numpy only.

    python3 scripts/train_pytorch.py --data ../shared/datasets/cifar10 --out runs/pytorch-reduced --iterations 8000
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from cifar_resnet import CifarResNet

RECORD = 3073  # one label byte, then 3×32×32 pixel bytes (channel-major)


def read_batches(folder, names):
    raw = b''.join(open(os.path.join(folder, n), 'rb').read() for n in names)
    if len(raw) % RECORD:
        raise SystemExit(f'{folder}: {names} is not whole CIFAR-10 records of {RECORD} bytes')
    records = np.frombuffer(raw, np.uint8).reshape(-1, RECORD)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(records[:, 1:].reshape(-1, 3, 32, 32).copy())
    return images, labels


def caffe_sgd(model, decayed, velocity, lr, momentum=0.9, weight_decay=1e-4):
    """Caffe's SGD (the paper's framework): v ← μv + η(g + λw), w ← w − v; λ on kernels only."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            g = p.grad + (weight_decay * p if name in decayed else 0)
            v = velocity.setdefault(name, torch.zeros_like(p))
            v.mul_(momentum).add_(lr * g)
            p.sub_(v)


def initialise(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
        elif isinstance(m, nn.Linear):
            bound = 1 / m.in_features ** 0.5
            nn.init.uniform_(m.weight, -bound, bound)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1  # PyTorch's 0.1 is Caffe's and ours 0.9: new = 0.9·old + 0.1·batch


def augment(images, mean, generator):
    """Pad 4 with zeros (after the mean is subtracted), crop 32×32 at a random offset, flip half."""
    n = images.shape[0]
    padded = F.pad(images.float() - mean, (4, 4, 4, 4))
    dx = torch.randint(0, 9, (n,), generator=generator)
    dy = torch.randint(0, 9, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    rows = (dy[:, None] + torch.arange(32))[:, None, :, None]
    cols = (dx[:, None] + torch.arange(32))[:, None, None, :]
    out = padded[torch.arange(n)[:, None, None, None], torch.arange(3)[None, :, None, None], rows, cols]
    return torch.where(flip[:, None, None, None], out.flip(3), out)


def test_error(model, images, labels, mean, batch=500):
    model.eval()
    wrong, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(labels), batch):
            logits = model(images[i:i + batch].float() - mean)
            wrong += (logits.argmax(1) != labels[i:i + batch]).sum().item()
            loss += F.cross_entropy(logits, labels[i:i + batch], reduction='sum').item()
    model.train()
    return wrong / len(labels), loss / len(labels)


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            return next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', required=True, help='folder with the CIFAR-10 binary batches')
    parser.add_argument('--out', required=True)
    parser.add_argument('--depth', type=int, default=20, help='6n+2 (20, 32, 44, 56, 110)')
    parser.add_argument('--iterations', type=int, default=8000)
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--log-every', type=int, default=50)
    parser.add_argument('--eval-every', type=int, default=500)
    parser.add_argument('--checkpoint-every', type=int, default=500)
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--resume', action='store_true')
    args = parser.parse_args()
    if (args.depth - 2) % 6:
        raise SystemExit(f'--depth must be 6n+2, not {args.depth}')
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, 'checkpoint.pt')
    if os.path.exists(checkpoint_path) and not args.resume:
        raise SystemExit(f'{args.out} holds a checkpoint: --resume to continue it, or choose another --out')

    train_images, train_labels = read_batches(args.data, [f'data_batch_{i}.bin' for i in range(1, 6)])
    test_images, test_labels = read_batches(args.data, ['test_batch.bin'])
    mean = train_images.double().mean(0).float()  # per pixel and channel
    milestones = [round(args.iterations * 0.5), round(args.iterations * 0.75)]

    torch.manual_seed(args.seed)
    model = CifarResNet((args.depth - 2) // 6, 16)
    initialise(model)
    decayed = {n for n, p in model.named_parameters() if p.dim() > 1}  # conv and fc kernels
    velocity = {}
    generator = torch.Generator().manual_seed(args.seed)
    state = {'iteration': 0, 'train': [], 'test': [], 'seconds': 0.0}
    if args.resume and os.path.exists(checkpoint_path):
        saved = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(saved['model'])
        velocity = saved['velocity']
        generator.set_state(saved['generator'])
        state = saved['state']
        print(f'resumed at iteration {state["iteration"]}', file=sys.stderr)

    count = len(train_labels)
    order_epoch, order = None, None
    window = {'wrong': 0, 'loss': 0.0, 'steps': 0}
    start = time.perf_counter()
    model.train()
    for it in range(state['iteration'], args.iterations):
        first = it * args.batch_size
        # The permutation of each epoch comes from the seed and the epoch alone, so a resumed run sees the same order.
        index = []
        for k in range(first, first + args.batch_size):
            epoch = k // count
            if epoch != order_epoch:
                order_epoch, order = epoch, torch.randperm(count, generator=torch.Generator().manual_seed(args.seed * 100_003 + epoch))
            index.append(order[k % count])
        index = torch.stack(index)
        x = augment(train_images[index], mean, generator)
        y = train_labels[index]
        lr = 0.1 / 10 ** sum(it >= m for m in milestones)
        model.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        if not torch.isfinite(loss):
            raise SystemExit(f'loss is {loss.item()} at iteration {it}: the run diverged')
        caffe_sgd(model, decayed, velocity, lr)
        window['wrong'] += (logits.argmax(1) != y).sum().item()
        window['loss'] += loss.item()
        window['steps'] += 1
        done = it + 1
        if done % args.log_every == 0 or done == args.iterations:
            point = {'iteration': done, 'trainError': window['wrong'] / (window['steps'] * args.batch_size), 'loss': window['loss'] / window['steps'], 'learningRate': lr}
            state['train'].append(point)
            window = {'wrong': 0, 'loss': 0.0, 'steps': 0}
            print(json.dumps(point), file=sys.stderr, flush=True)
        if done % args.eval_every == 0 or done == args.iterations:
            error, test_loss = test_error(model, test_images, test_labels, mean)
            state['test'].append({'iteration': done, 'testError': error, 'loss': test_loss})
            print(json.dumps(state['test'][-1]), file=sys.stderr, flush=True)
        state['iteration'] = done
        if done % args.checkpoint_every == 0 and done < args.iterations:
            state['seconds'] += time.perf_counter() - start
            start = time.perf_counter()
            torch.save({'model': model.state_dict(), 'velocity': velocity, 'generator': generator.get_state(), 'state': state}, checkpoint_path + '.tmp')
            os.replace(checkpoint_path + '.tmp', checkpoint_path)
    state['seconds'] += time.perf_counter() - start

    record = {
        'schemaVersion': 1,
        'createdAt': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'command': ' '.join(['python3', 'scripts/train_pytorch.py', *sys.argv[1:]]),
        'framework': f'pytorch {torch.__version__}',
        'threads': args.threads,
        'cpu': cpu_model(),
        'model': f'resnet{args.depth}',
        'seed': args.seed,
        'recipe': {'iterations': args.iterations, 'batchSize': args.batch_size, 'baseLearningRate': 0.1, 'milestones': milestones, 'momentum': 0.9, 'weightDecay': 1e-4, 'sgd': 'caffe'},
        'testError': state['test'][-1]['testError'],
        'trainError': state['train'][-1]['trainError'],
        'wallSeconds': state['seconds'],
        'imagesPerSecond': args.batch_size * args.iterations / state['seconds'] if state['seconds'] > 0 else None,
        'curves': {'train': state['train'], 'test': state['test']},
    }
    with open(os.path.join(args.out, 'run.json.tmp'), 'w') as f:
        json.dump(record, f, indent=1)
    os.replace(os.path.join(args.out, 'run.json.tmp'), os.path.join(args.out, 'run.json'))
    print(f"resnet{args.depth} seed {args.seed}: test error {100 * record['testError']:.2f} % after {args.iterations} iterations, {state['seconds']:.0f} s", file=sys.stderr)


if __name__ == '__main__':
    main()
