#!/usr/bin/env python3
"""
Regenerates baselines/conformance/*.json, the reference fixtures of the
conformance tier (runners/conformance/): what an independent implementation
(PyTorch; torchvision's ResNets for ImageNet, fb.resnet.torch's option-A CIFAR
ResNet, the authors' highway net) computes for given weights and inputs, under
the paper's recipe. Every suite run builds its models with the same weights
through its own training code path and compares, on every backend, without
Python.

Needs torch (and torchvision) only to regenerate:
  python3 -m venv .venv && .venv/bin/pip install torch torchvision numpy
  .venv/bin/python scripts/conformance.py            # every fixture
  .venv/bin/python scripts/conformance.py resnet20-w4 sgd pipeline

Weights and inputs are not stored: both sides compute them from a counter
hash (murmur3's finaliser), so a fixture holds only the reference's outputs.
Every tensor is filled in PyTorch's layout and order; our side transposes.
Gradients and updates are stored as sketches (the L2 norm and two projections
on hashed directions per tensor), so a 1202-layer net's fixture stays small.
The reference computes in float64; beside each value it stores how far its
own float32 computation of the same value is, the value's conditioning: our
float32 result is held to a multiple of it (deep nets at initialisation
amplify rounding, PyTorch's own float32 gradients of plain-56 included).

The paper's recipe, written here independently of the TypeScript code:
SGD in Caffe's form (v ← μv + η(g + λw), w ← w − v), μ 0.9, λ 1e-4 on kernels
only; rate 0.1, divided by 10 at the first milestone; CIFAR ResNets of 110
layers and more start at 0.01 (§4.2); BN moving averages 0.9·old + 0.1·batch
(PyTorch's momentum 0.1), ε 1e-5; evaluation with the moving averages.
"""
import base64
import json
import math
import os
import re
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

OUT = os.path.join(os.path.dirname(__file__), '..', 'baselines', 'conformance')
SCHEMA_VERSION = 2
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


# (scale, offset) of the hashed values; kernels are He-scaled by fan-in (runners/conformance/hash.ts
# derives the same from the name and shape). Non-trivial moving statistics, so inference and
# training differ.
FILL = {'bias': (0.1, 0.0), 'gamma': (0.3, 1.0), 'beta': (0.2, 0.0), 'moving_mean': (0.2, 0.0), 'moving_variance': (0.4, 1.0)}

# Per model, fills that replace FILL's (stored in the fixture): with moving variances near 1, the
# 600 residual blocks of a 1202-layer net double their signal each in inference mode (its float64
# logits reach 1e94); variances near 10 keep them near 45.
MODEL_FILL = {'resnet1202-w4': {'moving_variance': (4.0, 10.0)}}


def fill(model, names, model_name):
    """Every parameter and BN statistic from the hash, named by our layer; returns [name, kind, shape] in order."""
    listed = []
    rules = {**FILL, **MODEL_FILL.get(model_name, {})}
    for name, kind, param in our_tensors(model, names):
        suffix = name.rsplit('/', 1)[1]
        scale, offset = (math.sqrt(6.0 / param[0].numel()), 0.0) if suffix == 'kernel' else rules[suffix]
        with torch.no_grad():
            param.copy_(filled(f'{model_name}:{name}', tuple(param.shape), scale, offset))
        listed.append([name, kind, list(param.shape)])
    missing = [m for m, mod in model.named_modules() if isinstance(mod, (nn.Conv2d, nn.Linear, nn.BatchNorm2d)) and m not in names]
    if missing:
        raise SystemExit(f'{model_name}: modules without one of our names: {missing}')
    return listed


def images(name, n, side):
    """Inputs in NCHW for torch; our side reads them NHWC from the same hash."""
    nhwc = filled(name, (n, side, side, 3), 1.5)
    return nhwc.permute(0, 3, 1, 2).contiguous()


def labels(name, n, classes):
    return torch.from_numpy((((uniform(name, n) + 1) / 2 * classes).astype(np.int64)).clip(0, classes - 1))


SKETCH_DIRECTIONS = 2


def sketch(t):
    """[L2 norm, projections on hashed directions]: a tensor's fingerprint, in float64."""
    v = t.detach().double().reshape(-1).numpy()
    return [math.sqrt(float((v * v).sum()))] + [float((v * uniform(f'sketch:{k}', v.size)).sum()) for k in range(SKETCH_DIRECTIONS)]


def sketches(rows):
    return base64.b64encode(np.asarray(rows, dtype='<f4').reshape(-1).tobytes()).decode()


# Which steps are taken, by their place in the schedule: the first iteration, and the first after the
# rate's first division (32k of 64k on CIFAR-10). Each starts from the same weights and statistics
# with no velocity: a step taken after another one amplifies float32 rounding of the first (ten to
# a hundred times in 56-layer nets, in PyTorch itself between float32 and float64), and momentum is
# checked on its own (sgd_fixture).
STEP_ROLES = ['start', 'first-drop']


def learning_rate(role, warmup):
    """The paper's rate at a step role: 0.1 (0.01 while a 110-layer ResNet warms up), ÷10 after the first drop."""
    if role == 'first-drop':
        return 0.01
    return 0.01 if warmup else 0.1


def sketch_error(ours, truth):
    """What runners/conformance/hash.ts sketchError computes: an L2 relative error estimated from two sketches."""
    scale = truth[0]
    diff = max([abs(ours[0] - scale)] + [abs(a - b) * math.sqrt(3) for a, b in zip(ours[1:], truth[1:])])
    return diff / scale if scale else diff


def relative_error(ours, truth):
    scale = float(truth.abs().max())
    diff = float((ours.double() - truth.double()).abs().max())
    return diff / scale if scale else diff


def floats(values):
    return base64.b64encode(np.asarray(values, dtype='<f4').tobytes()).decode()


def measure(model, names, model_name, side, batch, training_steps, warmup, dtype):
    """Everything a fixture compares, computed in one precision from the same hashed weights and inputs."""
    model = model.to(dtype)
    x = images(f'{model_name}:input', batch, side).to(dtype)
    out = {}
    with torch.no_grad():
        model.eval()
        out['inference'] = model(x)
        if not isinstance(model, Highway19):
            # Training mode: batch statistics (dropout would make the highway net random).
            model.train()
            saved = {k: v.clone() for k, v in model.state_dict().items()}
            out['training'] = model(x)
            model.load_state_dict(saved)
    if training_steps:
        model.train()
        decayed = {n for n, p in model.named_parameters() if p.dim() > 1}
        initial = {k: v.clone() for k, v in model.state_dict().items()}
        before = {name: t.detach().clone() for name, _, t in our_tensors(model, names)}
        out['steps'] = []
        for k, role in enumerate(STEP_ROLES):
            model.load_state_dict(initial)
            lr = learning_rate(role, warmup)
            xs = images(f'{model_name}:step{k}', batch, side).to(dtype)
            ys = labels(f'{model_name}:labels{k}', batch, model.fc.out_features)
            model.zero_grad()
            loss = F.cross_entropy(model(xs), ys)
            loss.backward()
            gradients = [sketch(t.grad) if isinstance(t, nn.Parameter) else [0.0] * (1 + SKETCH_DIRECTIONS) for _, _, t in our_tensors(model, names)]
            caffe_sgd(model, decayed, {}, lr)
            # What the step changed (w − w₀): the weights themselves barely move in one step.
            state = [sketch(t.detach() - before[name]) for name, _, t in our_tensors(model, names)]
            out['steps'].append({'role': role, 'learningRate': lr, 'labels': ys.tolist(), 'loss': loss.item(), 'gradients': gradients, 'state': state})
        model.load_state_dict(initial)
    return out


def fixture(model_name, model, names, side, batch, training_steps, warmup):
    """The reference in float64; beside each value, how far PyTorch's own float32 computation of it is
    (its conditioning: a deep plain net's gradients at initialisation move by 10 % in float32)."""
    weights = fill(model, names, model_name)
    f32 = measure(model, names, model_name, side, batch, training_steps, warmup, torch.float32)
    f64 = measure(model, names, model_name, side, batch, training_steps, warmup, torch.float64)
    result = {'schemaVersion': SCHEMA_VERSION, 'model': model_name, 'side': side, 'batch': batch, 'classes': model.fc.out_features, 'weights': weights}
    if model_name in MODEL_FILL:
        result['fill'] = {k: list(v) for k, v in MODEL_FILL[model_name].items()}
    for mode in ('inference', 'training'):
        if mode in f64:
            result[mode] = b64(f64[mode].float())
            result[f'{mode}Float32Error'] = relative_error(f32[mode], f64[mode])
    if training_steps:
        result['steps'] = [
            {
                'role': a['role'],
                'learningRate': a['learningRate'],
                'labels': a['labels'],
                'loss': a['loss'],
                'lossFloat32Error': abs(b['loss'] - a['loss']) / abs(a['loss']),
                'gradients': sketches(a['gradients']),
                'gradientsFloat32Error': floats([sketch_error(g32, g64) for g32, g64 in zip(b['gradients'], a['gradients'])]),
                'state': sketches(a['state']),
                'stateFloat32Error': floats([sketch_error(s32, s64) for s32, s64 in zip(b['state'], a['state'])]),
            }
            for a, b in zip(f64['steps'], f32['steps'])
        ]
    return result


# ── which models: our names, parsed here independently ─────────────────────

IMAGENET_LAYERS = {18: ([2, 2, 2, 2], 'basic'), 34: ([3, 4, 6, 3], 'basic'), 50: ([3, 4, 6, 3], 'bottleneck'), 101: ([3, 4, 23, 3], 'bottleneck'), 152: ([3, 8, 36, 3], 'bottleneck')}


def reference_model(name):
    """(model, input side, batch, SGD steps?, warm-up?, uses torchvision) for one of our model names."""
    if name == 'highway19':
        return Highway19(), 32, 4, False, False, False
    m = re.fullmatch(r'(cifar-)?(resnet|plain|highway)(\d+)((?:-[a-z0-9.]+)*)', name)
    if not m:
        raise SystemExit(f'not a model name: {name}')
    cifar_prefix, family, depth, mods = m.group(1), m.group(2), int(m.group(3)), m.group(4).split('-')[1:]
    width = next((int(x[1:]) for x in mods if re.fullmatch(r'w\d+', x)), None)
    skip = next((int(x[4:]) for x in mods if x.startswith('skip')), 2)
    option = next((x.upper() for x in mods if x in ('a', 'b', 'c')), None)
    if depth in IMAGENET_LAYERS and not cifar_prefix and family != 'highway':
        layers, block = IMAGENET_LAYERS[depth]
        if family == 'plain':
            net = imagenet_net(PlainBasicBlock if block == 'basic' else PlainBottleneck, layers, width or 64, 'plain')
        else:
            bottleneck = tv.Bottleneck if 'v1.5' in mods else PaperBottleneck
            net = imagenet_net(tv.BasicBlock if block == 'basic' else bottleneck, layers, width or 64, option or 'B')
        return net, 64, 4, True, False, True
    n, rest = divmod(depth - 2, 3 * skip)
    if rest:
        raise SystemExit(f'{name}: depth is not 3·{skip}·n + 2')
    net = CifarResNet(n, width or 16, residual=family == 'resnet', skip=skip, gated=family == 'highway')
    return net, 32, 8, True, family == 'resnet' and depth >= 110, False


class PlainBottleneck(PaperBottleneck):
    """The paper's bottleneck without its shortcut."""

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)))


# Every model a suite trains, at the width (and ImageNet image size) its conformance twin has
# (runners/conformance/fixtures.ts twinOf; a test checks that every suite model has one), and
# two the tests use.
MODELS = [
    'resnet8-w4', 'plain8-w4', 'resnet20-w4', 'resnet32-w4', 'resnet44-w4', 'resnet56-w4', 'resnet110-w4', 'resnet1202-w4',
    'plain20-w4', 'plain32-w4', 'plain44-w4', 'plain56-w4', 'plain110-w4',
    'highway20-w4', 'highway56-w4', 'highway19',
    'resnet38-skip1-w4', 'resnet38-w4', 'resnet38-skip3-w4', 'resnet38-skip4-w4',
    'resnet110-skip1-w4', 'resnet110-skip3-w4', 'resnet110-skip4-w4',
    'plain18-w4', 'plain34-w4', 'resnet18-a-w4', 'resnet34-a-w4', 'resnet18-w4', 'resnet34-w4', 'resnet34-c-w4',
    'resnet50-w4', 'resnet50-v1.5-w4', 'resnet101-w4', 'resnet152-w4',
]


# ── the optimiser and the input pipeline on their own ──────────────────────


def sgd_fixture():
    """Caffe's SGD on hashed tensors, at the rate of each step role: a kernel (decayed) and a BN scale (not).
    The gradient is small beside the weight so weight decay's share of the update is large enough to see."""
    out = {'schemaVersion': SCHEMA_VERSION, 'recipe': {'momentum': 0.9, 'weightDecay': 1e-4, 'decayed': 'kernels'}, 'steps': []}
    tensors = {'kernel': (3, 3, 4, 8), 'gamma': (8,)}
    out['tensors'] = {k: list(v) for k, v in tensors.items()}
    for role, warmup in (('start', False), ('start', True), ('first-drop', False)):
        lr = learning_rate(role, warmup)
        step = {'role': role, 'warmup': warmup, 'learningRate': lr, 'after': {}}
        for name, shape in tensors.items():
            w = filled(f'sgd:{name}:w', shape, 1.0).double()
            g = filled(f'sgd:{name}:g', shape, 1e-3).double()
            v = filled(f'sgd:{name}:v', shape, 1e-3).double()
            decay = 1e-4 if name == 'kernel' else 0.0
            v = 0.9 * v + lr * (g + decay * w)
            step['after'][name] = {'velocity': b64(v.float()), 'weight': b64((w - v).float())}
        out['steps'].append(step)
    return out


def pipeline_fixture():
    """The CIFAR input pipeline on fixed bytes: per-pixel mean, pad 4, crop, flip and labels (offsets from our seeded stream, replayed here)."""
    n, side, batch = 80, 32, 64
    raw = ((uniform('pipeline:bytes', n * side * side * 3) + 1) * 128).astype(np.int64).clip(0, 255).astype(np.uint8).reshape(n, side, side, 3)
    label = ((uniform('pipeline:labels', n) + 1) / 2 * 10).astype(np.int64).clip(0, 9)
    mean = raw.astype(np.float64).mean(0).astype(np.float32)
    indices = [int(i) for i in np.argsort(uniform('pipeline:order', n))[:batch]]
    out = []
    seed, iteration = 7, 3
    rnd = Alea(f'{seed}/augment/{iteration}')  # rng(seed, 'augment', iteration) in runners/data/rng.ts
    for index in indices:
        dx = math.floor(rnd() * 9) - 4
        dy = math.floor(rnd() * 9) - 4
        flip = rnd() < 0.5
        padded = np.zeros((side + 8, side + 8, 3), np.float32)
        padded[4:-4, 4:-4] = raw[index].astype(np.float32) - mean
        crop = padded[4 + dy : 4 + dy + side, 4 + dx : 4 + dx + side]
        view = np.ascontiguousarray(crop[:, ::-1] if flip else crop)
        out.append({'index': index, 'dx': dx, 'dy': dy, 'flip': bool(flip), 'label': int(label[index]), 'sketch': sketch(torch.from_numpy(view))})
    # Evaluation: the first images of the held-out set (here the same bytes) in their original view, mean subtracted.
    evaluation = [{'index': i, 'label': int(label[i]), 'sketch': sketch(torch.from_numpy(np.ascontiguousarray(raw[i].astype(np.float32) - mean)))} for i in range(EVAL_IMAGES)]
    return {'schemaVersion': SCHEMA_VERSION, 'count': n, 'side': side, 'seed': seed, 'iteration': iteration, 'mean': base64.b64encode(mean.astype('<f4').tobytes()).decode(), 'images': out, 'evaluation': evaluation}


EVAL_IMAGES = 16


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


def write(name, data):
    path = os.path.join(OUT, f'{name}.json')
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    print(name, os.path.getsize(path), 'bytes')


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for name in MODELS:
        if only and name not in only:
            continue
        torch.manual_seed(0)
        model, side, batch, steps, warmup, torchvision_model = reference_model(name)
        names = model.ours() if hasattr(model, 'ours') else imagenet_names(model)
        data = fixture(name, model, names, side, batch, steps, warmup)
        data['reference'] = f'torch {torch.__version__}, float64' + (', torchvision.models.resnet' if torchvision_model else '')
        write(name, data)
    if not only or 'sgd' in only:
        write('sgd', {**sgd_fixture(), 'reference': f'torch {torch.__version__}'})
    if not only or 'pipeline' in only:
        write('cifar-pipeline', {**pipeline_fixture(), 'reference': 'numpy ' + np.__version__})


if __name__ == '__main__':
    main()
