#!/bin/bash
# Issue 21: clean nightlies on new seeds, from a frozen build (6031f6e: the fused evaluation), each shard a 1-thread process.
# Usage: run.sh <first-seed> <shard i> — writes long-runs/clean-reruns/clean-<first-seed>/shard<i>; running again resumes it.
cd /work/frozen-6031f6e
export TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
OUT=/work/main/long-runs/clean-reruns/clean-$1
mkdir -p $OUT
# clean-29 began on glibc's allocator (node directly); later reruns run the launcher, which preloads tcmalloc
# (the same numbers, a little faster; a shard keeps one allocator throughout, so merge sees one identity).
if [ "$1" = 29 ]; then CLI="node dist/runners/cli.js"; else CLI="runners/resnet-repro"; fi
$CLI run cifar10-depth --preset nightly --first-seed $1 --shard $2/2 --data /work/shared/datasets/cifar10 --out $OUT/shard$2 >> $OUT/shard$2.log 2>&1
echo "exit $?" >> $OUT/shard$2.log
