#!/usr/bin/env python3
"""Issue 22, item 4: has a CIFAR-10 copy been through JPEG, and at what quality?

A decoded JPEG re-encoded at its own quality and chroma subsampling changes
least (the "JPEG ghost"): the mean squared change dips at that setting and
rises on both sides. An image that never went through JPEG has no dip: the
change only falls as the quality rises. Also prints two signs of the codec
that need no re-encoding: luma steps larger across the 8-pixel block
boundaries than inside blocks, and chroma smoother within 2-pixel pairs than
across them (4:2:0 subsampling keeps one chroma sample per 2×2 pixels).

    python3 scripts/jpeg_quality.py --data ../shared/datasets/cifar10 [--images 300]
"""
import argparse
import io
import os

import numpy as np
from PIL import Image

SUBSAMPLING = {'4:4:4': 0, '4:2:0': 2}


def test_images(folder: str, count: int) -> np.ndarray:
    raw = np.fromfile(os.path.join(folder, 'test_batch.bin'), dtype=np.uint8).reshape(-1, 3073)
    return raw[:count, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)


def reencoding_change(images: np.ndarray, quality: int, subsampling: int) -> float:
    total = 0.0
    for image in images:
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, 'JPEG', quality=quality, subsampling=subsampling)
        again = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert('RGB')).astype(np.float64)
        total += ((again - image) ** 2).mean()
    return total / len(images)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data', required=True, help='folder with test_batch.bin (CIFAR-10 binary layout)')
    parser.add_argument('--images', type=int, default=300, help='test images to re-encode (default 300)')
    args = parser.parse_args()
    images = test_images(args.data, args.images)
    qualities = list(range(50, 101, 5))
    print('mean squared change of a JPEG re-encoding, by quality (a dip marks the quality the images went through)')
    for name, code in SUBSAMPLING.items():
        changes = [reencoding_change(images, q, code) for q in qualities]
        print(f'  {name}: ' + '  '.join(f'q{q} {c:.2f}' for q, c in zip(qualities, changes)))
    many = test_images(args.data, 2000).astype(np.float64)
    luma = many.mean(axis=3)
    steps = np.abs(np.diff(luma, axis=2))
    boundary = np.arange(31) % 8 == 7
    print(f'luma steps across 8-pixel block boundaries {steps[:, :, boundary].mean():.2f}, inside blocks {steps[:, :, ~boundary].mean():.2f}')
    ycc = np.stack([np.asarray(Image.fromarray(im.astype(np.uint8)).convert('YCbCr')).astype(np.float64) for im in many])
    for channel, name in enumerate(('Y', 'Cb', 'Cr')):
        plane = ycc[..., channel]
        within = np.abs(plane[:, :, 0::2] - plane[:, :, 1::2]).mean()
        across = np.abs(plane[:, :, 1:-1:2] - plane[:, :, 2::2]).mean()
        print(f'{name}: mean |step| within 2-pixel pairs {within:.2f}, across pairs {across:.2f}')


if __name__ == '__main__':
    main()
