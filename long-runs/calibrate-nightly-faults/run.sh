#!/bin/bash
# Issue 21: planted faults at the nightly's recipe, by statistics alone; two 1-thread processes side by side.
cd /work/frozen-f773958
export TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
OUT=/work/main/long-runs/calibrate-nightly-faults
mkdir -p $OUT
run() { node dist/runners/cli.js calibrate cifar10-depth --preset nightly --no-conformance --reruns 0 --seeds 2 --faults "$2" --data /work/shared/datasets/cifar10 --out $OUT/$1 >> $OUT/$1.log 2>&1; echo "exit $?" >> $OUT/$1.log; }
run a no-augmentation,weight-decay-x10,lr-x0.3,bn-momentum,no-shortcuts &
run b label-noise-20,weight-decay-x2,classifier-init-x10,eval-train-mode &
wait
