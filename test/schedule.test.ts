import test from 'ava';
import { CIFAR_SCHEDULE, learningRate, scaleSchedule } from '../runners/train/schedule.js';
import { recipeFor } from '../runners/train/plan.js';
import { parseModelName } from '../runners/models/names.js';

test('CIFAR-10: 0.1, divided by 10 at 32k and 48k, stopping at 64k', (t) => {
  t.is(learningRate(CIFAR_SCHEDULE, 0, false), 0.1);
  t.is(learningRate(CIFAR_SCHEDULE, 31_999, false), 0.1);
  t.is(learningRate(CIFAR_SCHEDULE, 32_000, false), 0.01);
  t.is(learningRate(CIFAR_SCHEDULE, 48_000, false), 0.001);
  t.is(CIFAR_SCHEDULE.iterations, 64_000);
});

test('scaling keeps the shape: 1/64 of the schedule drops at 500 and 750 of 1,000', (t) => {
  const s = scaleSchedule(CIFAR_SCHEDULE, 1 / 64);
  t.deepEqual(s.milestones, [500, 750]);
  t.is(s.iterations, 1000);
});

test('ResNet-110 and deeper warm up at 0.01 until training error < 80 %; shallower nets do not', (t) => {
  const deep = recipeFor(parseModelName('resnet110'), 64_000);
  t.deepEqual(deep.warmup && { lr: deep.warmup.learningRate, below: deep.warmup.untilTrainErrorBelow }, { lr: 0.01, below: 0.8 });
  t.is(learningRate(deep, 10, true), 0.01);
  t.is(learningRate(deep, 10, false), 0.1);
  t.is(recipeFor(parseModelName('resnet56'), 64_000).warmup, undefined);
  t.is(recipeFor(parseModelName('plain110'), 64_000).warmup, undefined);
});

test('ImageNet\'s fixed-step variant divides by 10 at 1/4, 1/2 and 3/4 of the run (150k, 300k, 450k of 600k)', (t) => {
  const full = recipeFor(parseModelName('resnet18'), 600_000, 'step');
  t.deepEqual(full.milestones, [150_000, 300_000, 450_000]);
  const short = recipeFor(parseModelName('resnet18'), 1_000, 'step');
  t.deepEqual(short.milestones, [250, 500, 750]);
  t.deepEqual([0, 249, 250, 499, 500, 750].map((i) => learningRate(short, i, false)), [0.1, 0.1, 0.01, 0.01, 0.001, 0.0001]);
  t.deepEqual(recipeFor(parseModelName('resnet18'), 1_000).milestones, [], 'the default divides on plateaus instead');
});
