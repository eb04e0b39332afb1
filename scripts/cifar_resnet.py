"""
The CIFAR-10 ResNet of §4.2 in PyTorch, as fb.resnet.torch builds it (option
A shortcuts: a strided 1×1 subsample with zero channels appended). One
definition for the conformance fixtures and the PyTorch benchmark.
"""
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
    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = (ShortcutA(stride, cout) if stride != 1 or cin != cout else nn.Identity()) if residual else None

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + self.shortcut(x) if self.shortcut is not None else y)


class CifarResNet(nn.Module):
    """§4.2's 6n+2 net with option A, as fb.resnet.torch's cifar10 model."""

    def __init__(self, n, width, residual=True, classes=10):
        super().__init__()
        widths = [width, 2 * width, 4 * width]
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for s, w in enumerate(widths):
            for b in range(n):
                blocks.append(CifarBlock(cin, w, 2 if s > 0 and b == 0 else 1, residual))
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
            for i in (1, 2):
                names[f'blocks.{k}.conv{i}'] = f'{block}.conv{i}'
                names[f'blocks.{k}.bn{i}'] = f'{block}.conv{i}.bn'
        return names
