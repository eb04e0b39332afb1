#!/usr/bin/env python3
"""PyTorch reference for `resnet-repro bench --pytorch`: the same CIFAR-10
ResNets (6n+2 layers, option-A shortcuts, BN, He initialisation), the same
SGD (momentum 0.9, weight decay 1e-4) and batch, on the same machine, so the
tfjs/PyTorch ratio is measured in one run. Not a dependency of the project:
it needs only torch (the CPU wheel or Debian's python3-torch).

One-shot (standalone): prints one JSON object per line and task: model,
backend, task, batchSize, imagesPerSecond, meanMs, p99Ms, samples.

--serve (what `bench` uses): first prints {"backend": ...}, then answers
each request line {"model", "task", "samples", "warmup"} with
{"times": [ms, ...]}, and {"model", "task": "profile", "pass": "forward" or
"train-step"} with that pass's {"wallMs", "kernels": [{"name", "calls",
"totalMs"}, ...]} (self CPU time per operator, torch.profiler), keeping models
built between requests. The bench
alternates these blocks with its own, so both sides see the same machine.
"""
import argparse
import json
import os
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from cifar_resnet import CifarResNet


def timed(fn, samples, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


class Bench:
    """One model's forward and training-step closures, built once."""

    def __init__(self, name, batch):
        match = re.fullmatch(r"resnet(\d+)", name)
        if not match or (int(match.group(1)) - 2) % 6:
            raise SystemExit(f"bench_pytorch.py builds CIFAR ResNets resnet<6n+2>, not {name}")
        torch.manual_seed(1)
        self.model = CifarResNet((int(match.group(1)) - 2) // 6, 16)
        for m in self.model.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')
        self.x = torch.randn(batch, 3, 32, 32)
        self.y = torch.arange(batch) % 10
        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def forward(self):
        self.model.eval()
        with torch.no_grad():
            self.model(self.x)

    def step(self):
        self.model.train()
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        loss.item()

    def task(self, name):
        return {"forward": self.forward, "train-step": self.step}[name]


def profile(bench, task):
    """One warm forward pass or training step under torch.profiler: self CPU time per operator, heaviest first."""
    from torch.profiler import ProfilerActivity, profile as torch_profile
    run = bench.task(task)
    run()
    start = time.perf_counter()
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        run()
    wall_ms = (time.perf_counter() - start) * 1000
    kernels = [{"name": e.key, "calls": e.count, "totalMs": e.self_cpu_time_total / 1000}
               for e in prof.key_averages() if e.self_cpu_time_total > 0]
    kernels.sort(key=lambda k: -k["totalMs"])
    return {"wallMs": wall_ms, "kernels": kernels}


def serve(batch):
    benches = {}
    print(json.dumps({"backend": f"pytorch {torch.__version__}"}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            model = request["model"]
            if model not in benches:
                benches[model] = Bench(model, batch)
            if request["task"] == "profile":
                reply = profile(benches[model], request.get("pass", "train-step"))
            else:
                reply = {"times": timed(benches[model].task(request["task"]), request["samples"], request["warmup"])}
        except (Exception, SystemExit) as error:  # answer, so the caller can say what failed
            reply = {"error": str(error)}
        print(json.dumps(reply), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="resnet20,resnet56,resnet110")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--serve", action="store_true", help="answer timing requests on stdin (used by resnet-repro bench)")
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    if args.serve:
        serve(args.batch)
        return
    backend = f"pytorch {torch.__version__}"
    for name in args.models.split(","):
        bench = Bench(name, args.batch)
        for task in ("forward", "train-step"):
            times = sorted(timed(bench.task(task), args.samples, 2))
            mean = sum(times) / len(times)
            print(json.dumps({"model": name, "backend": backend, "task": task, "batchSize": args.batch,
                              "imagesPerSecond": 1000 * args.batch / mean, "meanMs": mean,
                              "p99Ms": times[min(len(times) - 1, int(0.99 * len(times)))], "samples": len(times)}), flush=True)


if __name__ == "__main__":
    main()
