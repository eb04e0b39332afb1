#!/usr/bin/env python3
"""
Regenerates test/fixtures/conformance/*.json: what an independent
implementation (PyTorch; torchvision's ResNets for ImageNet, fb.resnet.torch's
option-A CIFAR ResNet, the authors' highway net) computes for given weights and
inputs. test/conformance.test.ts builds our models with the same weights and
compares, on every backend, without Python.

Needs torch (and torchvision) only to regenerate:
  python3 -m venv .venv && .venv/bin/pip install torch torchvision numpy
  .venv/bin/python scripts/conformance.py

Weights and inputs are not stored: both sides compute them from a counter
hash (murmur3's finaliser), so a fixture holds only the reference's outputs.
Every tensor is filled in PyTorch's layout and order; the test transposes.
"""
import base64
import json
import math
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import torchvision  # noqa: F401
except RuntimeError:
    # A CUDA torchvision wheel beside a CPU torch cannot register its C++
    # operators; the model definitions are pure Python and need none of them.
    sys.modules['torchvision._meta_registrations'] = types.ModuleType('torchvision._meta_registrations')
from torchvision.models import resnet as tv

from train_pytorch import caffe_sgd
from cifar_resnet import CifarResNet, ShortcutA

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'conformance')
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

# ── the counter hash, as test/helpers/conformance.ts computes it ──

M32 = np.uint64(0xFFFFFFFF)


def fmix32(h):
    h = np.asarray(h, dtype=np.uint64) & M32
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & M32
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & M32
    h ^= h >> np.uint64(16)
    return h


def salt_of(name):
    """FNV-1a of the name's UTF-8 bytes: a tensor's values depend on its name only."""
    h = 0x811C9DC5
    for b in name.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def uniform(name, n):
    """n values in [-1, 1), element i from fmix32(i xor fmix32(salt)): float64, exact on both sides."""
    i = np.arange(n, dtype=np.uint64)
    h = fmix32(i ^ fmix32(salt_of(name)))
    return h.astype(np.float64) / 4294967296.0 * 2.0 - 1.0


def filled(name, shape, scale, offset=0.0):
    return torch.from_numpy((offset + scale * uniform(name, int(np.prod(shape)))).astype(np.float32).reshape(shape))


def b64(t):
    return base64.b64encode(np.ascontiguousarray(t.detach().numpy().astype('<f4')).tobytes()).decode()


# ── reference models ─────────────────────────────────────────────────────────


class PlainBasicBlock(tv.BasicBlock):
    """torchvision's basic block without its shortcut: the paper's plain net."""

    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


class PaperBottleneck(tv.Bottleneck):
    """The paper's (Caffe) bottleneck: the stride on the first 1×1, not on the 3×3 as torchvision's v1.5."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stride = self.conv2.stride
        self.conv1.stride, self.conv2.stride = stride, (1, 1)


def imagenet_net(block, layers, width, shortcut, classes=10):
    """torchvision's ResNet with stage widths width·(1, 2, 4, 8) and the paper's shortcut options."""

    class Net(tv.ResNet):
        def __init__(self):
            nn.Module.__init__(self)
            self._norm_layer = nn.BatchNorm2d
            self.inplanes, self.dilation, self.groups, self.base_width = width, 1, 1, 64
            self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(width)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            self.layer1 = self._make_layer(block, width, layers[0])
            self.layer2 = self._make_layer(block, 2 * width, layers[1], stride=2)
            self.layer3 = self._make_layer(block, 4 * width, layers[2], stride=2)
            self.layer4 = self._make_layer(block, 8 * width, layers[3], stride=2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(8 * width * block.expansion, classes)

        def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
            # torchvision's own, then the paper's options: A swaps projections for zero padding,
            # C adds a projection to every block.
            seq = super()._make_layer(block, planes, blocks, stride, dilate)
            for b in seq:
                out = planes * block.expansion
                if shortcut == 'A' and b.downsample is not None:
                    b.downsample = ShortcutA(b.stride, out)
                if shortcut == 'plain':
                    b.downsample = None
                if shortcut == 'C' and b.downsample is None:
                    b.downsample = nn.Sequential(nn.Conv2d(out, out, 1, bias=False), nn.BatchNorm2d(out))
            return seq

    # base_width 64 keeps torchvision's bottleneck inner width equal to `planes`.
    return Net()


def imagenet_names(net):
    names = {'conv1': 'conv1', 'bn1': 'conv1.bn', 'fc': 'fc'}
    for s in range(1, 5):
        for b, block in enumerate(getattr(net, f'layer{s}')):
            ours = f'conv{s + 1}_{b + 1}'
            for i in (1, 2, 3):
                if hasattr(block, f'conv{i}'):
                    names[f'layer{s}.{b}.conv{i}'] = f'{ours}.conv{i}'
                    names[f'layer{s}.{b}.bn{i}'] = f'{ours}.conv{i}.bn'
            if isinstance(block.downsample, nn.Sequential):
                names[f'layer{s}.{b}.downsample.0'] = f'{ours}.proj'
                names[f'layer{s}.{b}.downsample.1'] = f'{ours}.proj.bn'
    return names


class Highway19(nn.Module):
    """The authors' public 19-layer CIFAR-10 highway net (runners/models/spec.ts HIGHWAY19), written from its description."""

    STAGES = [(32, 4), (80, 5), (128, 5)]

    def __init__(self, classes=10):
        super().__init__()
        self.entry = nn.ModuleList()
        self.h = nn.ModuleList()
        self.t = nn.ModuleList()
        cin = 3
        for width, layers in self.STAGES:
            self.entry.append(nn.Conv2d(cin, width, 3, 1, 1))
            self.h.append(nn.ModuleList([nn.Conv2d(width, width, 3, 1, 1) for _ in range(layers)]))
            self.t.append(nn.ModuleList([nn.Conv2d(width, width, 3, 1, 1) for _ in range(layers)]))
            cin = width
        self.head = nn.Conv2d(cin, 100, 1)
        self.fc = nn.Linear(100, classes)

    def forward(self, x):  # inference: dropout is the identity
        for s in range(len(self.STAGES)):
            if s > 0:
                x = F.max_pool2d(x, 2, 2)
            x = F.relu(self.entry[s](x))
            for h, t in zip(self.h[s], self.t[s]):
                gate = torch.sigmoid(t(x))
                x = gate * F.relu(h(x)) + (1 - gate) * x
        return self.fc(F.relu(self.head(x)).mean((2, 3)))

    def ours(self):
        names = {'head': 'conv_head', 'fc': 'fc'}
        for s, (_, layers) in enumerate(self.STAGES):
            names[f'entry.{s}'] = f'conv{s + 1}'
            for l in range(layers):
                names[f'h.{s}.{l}'] = f'highway{s + 1}_{l + 1}.h'
                names[f't.{s}.{l}'] = f'highway{s + 1}_{l + 1}.t'
        return names


# ── weights from the counter hash ──────────────────────────────────────────


def our_tensors(model, names):
    """(our name, layout, tensor) for every parameter and BN statistic of the modules we name, in module order."""
    for module_name, module in model.named_modules():
        if module_name not in names:
            continue
        ours = names[module_name]
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            yield f'{ours}/kernel', 'conv' if isinstance(module, nn.Conv2d) else 'dense', module.weight
            if module.bias is not None:
                yield f'{ours}/bias', 'vector', module.bias
        elif isinstance(module, nn.BatchNorm2d):
            for suffix, t in (('gamma', module.weight), ('beta', module.bias), ('moving_mean', module.running_mean), ('moving_variance', module.running_var)):
                yield f'{ours}/{suffix}', 'vector', t


# (scale, offset) of the hashed values; kernels are He-scaled by fan-in. Non-trivial moving
# statistics, so inference and training differ.
FILL = {'bias': (0.1, 0.0), 'gamma': (0.3, 1.0), 'beta': (0.2, 0.0), 'moving_mean': (0.2, 0.0), 'moving_variance': (0.4, 1.0)}


def fill(model, names, model_name):
    """Every parameter and BN statistic from the hash, named by our layer; returns the list the test replays."""
    filled_list = []
    for name, kind, param in our_tensors(model, names):
        suffix = name.rsplit('/', 1)[1]
        scale, offset = (math.sqrt(6.0 / param[0].numel()), 0.0) if suffix == 'kernel' else FILL[suffix]
        with torch.no_grad():
            param.copy_(filled(f'{model_name}:{name}', tuple(param.shape), scale, offset))
        filled_list.append({'name': name, 'kind': kind, 'shape': list(param.shape), 'scale': scale, 'offset': offset})
    missing = [m for m, mod in model.named_modules() if isinstance(mod, (nn.Conv2d, nn.Linear, nn.BatchNorm2d)) and m not in names]
    if missing:
        raise SystemExit(f'{model_name}: modules without one of our names: {missing}')
    return filled_list


def images(name, n, side):
    """Inputs in NCHW for torch; the test reads them NHWC from the same hash (fixture field `input`)."""
    nhwc = filled(name, (n, side, side, 3), 1.5)
    return nhwc.permute(0, 3, 1, 2).contiguous()


def labels(name, n, classes):
    return torch.from_numpy((((uniform(name, n) + 1) / 2 * classes).astype(np.int64)).clip(0, classes - 1))


def state_of(model, names):
    """Every trained tensor and BN statistic, by our name."""
    return {name: b64(t) for name, _, t in our_tensors(model, names)}


def grads_of(model, names):
    """The gradient of every parameter (not the BN statistics), by our name."""
    return {name: b64(t.grad) for name, _, t in our_tensors(model, names) if isinstance(t, nn.Parameter)}


LEARNING_RATES = [0.1, 0.1, 0.01]  # three steps, the rate cut by 10 before the third, as at 32k iterations


def fixture(model_name, model, names, side, batch, training_steps):
    weights = fill(model, names, model_name)
    x = images(f'{model_name}:input', batch, side)
    result = {'model': model_name, 'side': side, 'batch': batch, 'classes': model.fc.out_features, 'weights': weights}
    with torch.no_grad():
        model.eval()
        result['inference'] = b64(model(x))
        if not isinstance(model, Highway19):
            # Training mode: batch statistics (dropout would make the highway net random).
            model.train()
            saved = {k: v.clone() for k, v in model.state_dict().items()}
            result['training'] = b64(model(x))
            model.load_state_dict(saved)
    if training_steps:
        model.train()
        decayed = {n for n, p in model.named_parameters() if p.dim() > 1}
        velocity = {}
        steps = []
        for k, lr in enumerate(LEARNING_RATES):
            xs = images(f'{model_name}:step{k}', batch, side)
            ys = labels(f'{model_name}:labels{k}', batch, model.fc.out_features)
            model.zero_grad()
            loss = F.cross_entropy(model(xs), ys)
            loss.backward()
            step = {'learningRate': lr, 'labels': ys.tolist(), 'loss': loss.item()}
            if k == 0:
                step['gradients'] = grads_of(model, names)
            caffe_sgd(model, decayed, velocity, lr)
            if k in (0, len(LEARNING_RATES) - 1):
                step['state'] = state_of(model, names)
            steps.append(step)
        result['steps'] = steps
    return result


MODELS = {
    # name: (builder, our model name, input side, batch, with SGD steps)
    'resnet20-w4': (lambda: CifarResNet(3, 4), 32, 8, True),
    'plain20-w4': (lambda: CifarResNet(3, 4, residual=False), 32, 8, False),
    'resnet18-w4': (lambda: imagenet_net(tv.BasicBlock, [2, 2, 2, 2], 4, 'B'), 64, 4, True),
    'resnet34-w4': (lambda: imagenet_net(tv.BasicBlock, [3, 4, 6, 3], 4, 'B'), 64, 4, False),
    'resnet34-a-w4': (lambda: imagenet_net(tv.BasicBlock, [3, 4, 6, 3], 4, 'A'), 64, 4, False),
    'resnet34-c-w4': (lambda: imagenet_net(tv.BasicBlock, [3, 4, 6, 3], 4, 'C'), 64, 4, False),
    'plain34-w4': (lambda: imagenet_net(PlainBasicBlock, [3, 4, 6, 3], 4, 'plain'), 64, 4, False),
    'resnet50-w4': (lambda: imagenet_net(PaperBottleneck, [3, 4, 6, 3], 4, 'B'), 64, 4, False),
    'resnet50-v1.5-w4': (lambda: imagenet_net(tv.Bottleneck, [3, 4, 6, 3], 4, 'B'), 64, 4, False),
    'highway19': (Highway19, 32, 4, False),
}


def pipeline_fixture():
    """The CIFAR input pipeline on fixed bytes: per-pixel mean, pad 4, crop, flip (offsets from our seeded stream, replayed here)."""
    n, side = 6, 32
    raw = ((uniform('pipeline:bytes', n * side * side * 3) + 1) * 128).astype(np.int64).clip(0, 255).astype(np.uint8).reshape(n, side, side, 3)
    mean = raw.astype(np.float64).mean(0).astype(np.float32)
    indices = [4, 1, 5]
    out = []
    rnd = Alea('7/augment/3')  # rng(seed 7, 'augment', iteration 3) in runners/data/rng.ts
    for index in indices:
        dx = math.floor(rnd() * 9) - 4
        dy = math.floor(rnd() * 9) - 4
        flip = rnd() < 0.5
        padded = np.zeros((side + 8, side + 8, 3), np.float32)
        padded[4:-4, 4:-4] = raw[index].astype(np.float32) - mean
        crop = padded[4 + dy : 4 + dy + side, 4 + dx : 4 + dx + side]
        view = crop[:, ::-1] if flip else crop
        out.append({'dx': dx, 'dy': dy, 'flip': flip, 'image': base64.b64encode(np.ascontiguousarray(view).astype('<f4').tobytes()).decode()})
    return {'count': n, 'side': side, 'seed': 7, 'iteration': 3, 'indices': indices, 'mean': base64.b64encode(mean.astype('<f4').tobytes()).decode(), 'crops': out}


class Alea:
    """Johannes Baagøe's Alea PRNG with its Mash seeding, as the seedrandom package implements it."""

    def __init__(self, seed):
        mash = Mash()
        self.c = 1
        self.s0, self.s1, self.s2 = mash(' '), mash(' '), mash(' ')
        for s in ('s0', 's1', 's2'):
            v = getattr(self, s) - mash(seed)
            setattr(self, s, v + 1 if v < 0 else v)

    def __call__(self):
        t = 2091639 * self.s0 + self.c * 2.3283064365386963e-10
        self.s0, self.s1 = self.s1, self.s2
        self.c = int(t)  # t | 0 for 0 ≤ t < 2^31
        self.s2 = t - self.c
        return self.s2


class Mash:
    def __init__(self):
        self.n = 0xEFC8249D

    def __call__(self, data):
        for ch in str(data):
            self.n += ord(ch)
            h = 0.02519603282416938 * self.n
            self.n = int(h) & 0xFFFFFFFF
            h -= self.n
            h *= self.n
            self.n = int(h) & 0xFFFFFFFF
            h -= self.n
            self.n += h * 0x100000000
        return (int(self.n) & 0xFFFFFFFF) * 2.3283064365386963e-10


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for name, (build, side, batch, steps) in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(0)
        model = build()
        names = model.ours() if hasattr(model, 'ours') else imagenet_names(model)
        data = fixture(name, model, names, side, batch, steps)
        data['reference'] = f'torch {torch.__version__}' + ('' if isinstance(model, (CifarResNet, Highway19)) else ', torchvision.models.resnet')
        with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
            json.dump(data, f, separators=(',', ':'))
        print(name, os.path.getsize(os.path.join(OUT, f'{name}.json')), 'bytes')
    if not only or 'pipeline' in only:
        with open(os.path.join(OUT, 'cifar-pipeline.json'), 'w') as f:
            json.dump(pipeline_fixture(), f, separators=(',', ':'))


if __name__ == '__main__':
    main()
