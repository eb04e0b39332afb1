export class SuiteProgressTracker {
    costs;
    total;
    done = 0;
    trainedHere = 0;
    last = new Map();
    started = performance.now();
    constructor(costs) {
        this.costs = costs;
        this.total = [...costs.values()].reduce((a, b) => a + b, 0);
    }
    /** Where the suite stands at this event of one unit. */
    update(unit, e) {
        this.last.set(unit.id, e);
        const cost = this.costs.get(unit.id) ?? 0;
        const before = (cost * e.startIteration) / e.iterations;
        const here = (cost * (e.iteration - e.startIteration)) / e.iterations;
        const elapsedSeconds = (performance.now() - this.started) / 1000;
        const fraction = this.total > 0 ? (this.done + before + here) / this.total : 1;
        const pace = (this.trainedHere + here) / elapsedSeconds;
        const left = this.total - this.done - before - here;
        return { fraction, elapsedSeconds, etaSeconds: pace > 0 ? left / pace : undefined };
    }
    /** A unit finished (trained, reused or stopped): its whole cost is done. */
    finish(unit) {
        const cost = this.costs.get(unit.id) ?? 0;
        const e = this.last.get(unit.id);
        this.done += cost;
        if (e)
            this.trainedHere += (cost * (e.iterations - e.startIteration)) / e.iterations;
    }
}
//# sourceMappingURL=progress.js.map