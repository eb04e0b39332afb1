/** JUnit XML: one test case per model × metric and per claim, as CI systems display them. */
import { create } from 'xmlbuilder2';
import { FAILING, formatDelta, formatDetectable, formatSummary } from './reporter.js';
export const junitReporter = {
    name: 'junit',
    render(c) {
        const cases = [
            ...c.rows.map((r) => ({
                name: `${r.model} ${r.metric}`,
                failed: FAILING.has(r.verdict),
                // The data could not decide: not a regression, but not a pass either.
                error: r.verdict === 'inconclusive',
                skipped: r.verdict === 'not-gated',
                message: `${r.verdict}: ours ${formatSummary(r.metric, r.ours)}, baseline ${formatSummary(r.metric, r.baseline)}${r.delta !== undefined ? `, Δ ${formatDelta(r.metric, r.delta)}` : ''}, detectable ${formatDetectable(r)}. ${r.why}`,
            })),
            ...c.claims.map((claim) => ({
                name: `claim ${claim.id}`,
                failed: claim.gated && claim.verdict === 'fails',
                error: false,
                skipped: claim.verdict === 'inconclusive' || !claim.gated,
                message: `${claim.verdict}: ${claim.text}. ${claim.why}`,
            })),
            ...c.problems.map((p, i) => ({ name: `input ${i + 1}`, failed: true, error: false, skipped: false, message: p })),
        ];
        const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'resnet-repro' });
        const suite = root.ele('testsuite', {
            name: `${c.suite.name}.${c.preset}.${c.backend.name}`,
            tests: cases.length,
            failures: cases.filter((k) => k.failed).length,
            skipped: cases.filter((k) => k.skipped && !k.failed && !k.error).length,
            errors: cases.filter((k) => k.error).length,
        });
        for (const k of cases) {
            const tc = suite.ele('testcase', { classname: `${c.suite.name}.${c.preset}`, name: k.name });
            if (k.failed)
                tc.ele('failure', { message: k.message }).txt(k.message);
            else if (k.error)
                tc.ele('error', { message: k.message, type: 'inconclusive' }).txt(k.message);
            else if (k.skipped)
                tc.ele('skipped', { message: k.message });
            else
                tc.ele('system-out').txt(k.message);
        }
        return root.end({ prettyPrint: true });
    },
};
//# sourceMappingURL=junit.js.map