/** §3.4 and §4.2: SGD with momentum 0.9 and weight decay 0.0001, for every recipe. */
export const SGD_RECIPE = { momentum: 0.9, weightDecay: 1e-4 };
/** §4.2: 0.1, ÷10 at 32k and 48k, stop at 64k. */
export const CIFAR_SCHEDULE = { baseLearningRate: 0.1, milestones: [32_000, 48_000], iterations: 64_000 };
/** §4.2: ResNet-110 starts at 0.01 until training error < 80 % (about 400 iterations). */
export const CIFAR_WARMUP = { learningRate: 0.01, untilTrainErrorBelow: 0.8, maxIterations: 2_000 };
/**
 * §3.4, ImageNet: 0.1 ÷10 on plateau, up to 600k iterations. For bounded runs
 * the fixed-step variant drops at 1/4, 1/2 and 3/4 (150k, 300k, 450k).
 */
export const IMAGENET_PLATEAU_SCHEDULE = { baseLearningRate: 0.1, milestones: [], iterations: 600_000, plateau: { patience: 3, minDelta: 0.001 } };
export const IMAGENET_STEP_SCHEDULE = { baseLearningRate: 0.1, milestones: [150_000, 300_000, 450_000], iterations: 600_000 };
/** Same shape over a fraction of the iterations: scale(CIFAR_SCHEDULE, 1/64) stops at 1,000. */
export function scaleSchedule(schedule, factor) {
    const scale = (n) => Math.max(1, Math.round(n * factor));
    return {
        ...schedule,
        milestones: schedule.milestones.map(scale),
        iterations: scale(schedule.iterations),
        ...(schedule.warmup ? { warmup: { ...schedule.warmup, maxIterations: scale(schedule.warmup.maxIterations) } } : {}),
    };
}
/** Stops at `iterations`, keeping the milestones at the same fractions. */
export function scheduleFor(schedule, iterations) {
    return scaleSchedule(schedule, iterations / schedule.iterations);
}
/**
 * The rate for an iteration (0-based); `warming` says whether warm-up is still
 * on, `plateauDrops` how often a plateau schedule has divided so far.
 */
export function learningRate(schedule, iteration, warming, plateauDrops = 0) {
    if (warming && schedule.warmup)
        return schedule.warmup.learningRate;
    const drops = schedule.plateau ? plateauDrops : schedule.milestones.filter((m) => iteration >= m).length;
    return schedule.baseLearningRate / 10 ** drops;
}
/** Whether a plateau schedule should divide now, given the held-out errors so far (oldest first). */
export function onPlateau(schedule, errorsSinceLastDrop) {
    if (!schedule.plateau)
        return false;
    const { patience, minDelta } = schedule.plateau;
    if (errorsSinceLastDrop.length <= patience)
        return false;
    const best = Math.min(...errorsSinceLastDrop.slice(0, -patience));
    return errorsSinceLastDrop.slice(-patience).every((e) => e > best - minDelta);
}
//# sourceMappingURL=schedule.js.map