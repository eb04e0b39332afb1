"""
The CIFAR-10 ResNet of §4.2 in PyTorch, as fb.resnet.torch builds it (option
A shortcuts: a strided 1×1 subsample with zero channels appended). One
definition for the conformance fixtures and the PyTorch benchmark.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ShortcutA(nn.Module):
    """fb.resnet.torch's shortcutType 'A': 1×1 average pool with the stride, zeros appended as channels."""

    def __init__(self, stride, out_channels):
        super().__init__()
        self.stride, self.out_channels = stride, out_channels

    def forward(self, x):
        if self.stride > 1:
            x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.out_channels - x.shape[1]))


class CifarBlock(nn.Module):
    """k 3×3 convolutions with BN (ReLU between them), then the shortcut: identity or option A,
    none (plain), or gated (y = T·F(x) + (1 − T)·shortcut(x), T = σ(1×1 conv of x + b))."""

    def __init__(self, cin, cout, stride, residual, skip=2, gated=False):
        super().__init__()
        self.skip = skip
        for i in range(1, skip + 1):
            setattr(self, f'conv{i}', nn.Conv2d(cin if i == 1 else cout, cout, 3, stride if i == 1 else 1, 1, bias=False))
            setattr(self, f'bn{i}', nn.BatchNorm2d(cout))
        self.shortcut = (ShortcutA(stride, cout) if stride != 1 or cin != cout else nn.Identity()) if residual or gated else None
        self.gate = nn.Conv2d(cin, cout, 1, stride, 0, bias=True) if gated else None

    def forward(self, x):
        y = x
        for i in range(1, self.skip + 1):
            y = getattr(self, f'bn{i}')(getattr(self, f'conv{i}')(y))
            if i < self.skip:
                y = F.relu(y)
        if self.shortcut is None:
            return F.relu(y)
        if self.gate is not None:
            t = torch.sigmoid(self.gate(x))
            return F.relu(t * y + (1 - t) * self.shortcut(x))
        return F.relu(y + self.shortcut(x))


class CifarResNet(nn.Module):
    """§4.2's 6n+2 net with option A, as fb.resnet.torch's cifar10 model."""

    def __init__(self, n, width, residual=True, classes=10, skip=2, gated=False):
        super().__init__()
        widths = [width, 2 * width, 4 * width]
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for s, w in enumerate(widths):
            for b in range(n):
                blocks.append(CifarBlock(cin, w, 2 if s > 0 and b == 0 else 1, residual, skip, gated))
                cin = w
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(cin, classes)
        self.n = n

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for b in self.blocks:
            x = b(x)
        return self.fc(x.mean((2, 3)))

    def ours(self):
        """Our layer name for each of this model's modules."""
        names = {'conv1': 'conv1', 'bn1': 'conv1.bn', 'fc': 'fc'}
        for k in range(len(self.blocks)):
            block = f'conv{k // self.n + 2}_{k % self.n + 1}'
            for i in range(1, self.blocks[k].skip + 1):
                names[f'blocks.{k}.conv{i}'] = f'{block}.conv{i}'
                names[f'blocks.{k}.bn{i}'] = f'{block}.conv{i}.bn'
            if self.blocks[k].gate is not None:
                names[f'blocks.{k}.gate'] = f'{block}.gate'
        return names
