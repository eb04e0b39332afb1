"""The hand computation behind test/gate.test.ts's "pinned" cases, outside our code.

Each case sits where one plausible bug in the regression rule (runners/compare/stats.ts)
flips the verdict: a two-sided quantile, a detectable effect without the power term,
degrees of freedom other than Welch-Satterthwaite's, an unsplit family-wise alpha.
Run: python3 scripts/gate_margins.py (needs numpy and scipy).
"""
import numpy as np
from scipy import stats

TOLERANCE, POWER = 0.02, 0.8


def bounds(ours, baseline, alpha, dof=None, two_sided=False):
    a, b = np.array(ours), np.array(baseline)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    welch = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    d = dof or welch
    t_alpha = stats.t.ppf(1 - (alpha / 2 if two_sided else alpha), d)
    harm = a.mean() - b.mean()
    return dict(dof=d, lower=harm - t_alpha * se, upper=harm + t_alpha * se, detectable=(t_alpha + stats.t.ppf(POWER, d)) * se)


CASES = {
    'one-sided': ([0.0951, 0.0981, 0.0931, 0.0961], [0.08, 0.083, 0.078, 0.081, 0.079, 0.082, 0.08, 0.077], 0.01),
    'power term': ([0.075, 0.0852, 0.0648, 0.0801], [0.08, 0.0902, 0.0698, 0.0851, 0.0749, 0.0953, 0.0647, 0.08], 0.01),
    'welch dof': ([0.0915, 0.0945, 0.0895, 0.0925], [0.07, 0.09, 0.075, 0.085, 0.08, 0.072, 0.088, 0.08], 0.01),
    'power to pass': ([0.03, 0.06, 0, 0.04, 0.02], [0.08, 0.11, 0.05, 0.09, 0.07], 0.01),
    'bonferroni (2 rows)': ([0.404, 0.396, 0.4], [0.4, 0.408, 0.392], 0.05 / 2),
}

for name, (ours, baseline, alpha) in CASES.items():
    print(name, {k: float(v) for k, v in bounds(ours, baseline, alpha).items()})
    if name == 'one-sided':
        print('  two-sided upper', float(bounds(ours, baseline, alpha, two_sided=True)['upper']))
    if name == 'welch dof':
        for d in (3, 7, 10):
            print(f'  dof {d} upper', float(bounds(ours, baseline, alpha, dof=d)['upper']))
    if name.startswith('bonferroni'):
        print('  unsplit alpha 0.05', {k: float(v) for k, v in bounds(ours, baseline, 0.05).items()})

# `resnet-repro plan` (test/plan.test.ts): sigma 0.015 over 8 baseline seeds, 16 of ours, two gated rows (alpha 0.025 each).
def detectable(sigma, n_ours, n_base, alpha):
    va, vb = sigma**2 / n_ours, sigma**2 / n_base
    dof = (va + vb) ** 2 / (va**2 / (n_ours - 1) + vb**2 / (n_base - 1))
    return (stats.t.ppf(1 - alpha, dof) + stats.t.ppf(POWER, dof)) * np.sqrt(va + vb)


print('plan detectable', detectable(0.015, 16, 8, 0.025))
print('plan seeds a side for 1 point', next(n for n in range(2, 10000) if detectable(0.015, n, n, 0.025) <= 0.01))
print('plan our seeds against 8 for 2 points', next(n for n in range(2, 10000) if detectable(0.015, n, 8, 0.025) <= 0.02))
print('plan our seeds against 8 for 1 point', next((n for n in range(2, 10000) if detectable(0.015, n, 8, 0.025) <= 0.01), None))

# `resnet-repro noise` (test/noise.test.ts): seeds a side that detect 1 point, one gated row (alpha 0.05), at the sigma of 40 %, 43 %, 41 %.
sigma = np.std([0.40, 0.43, 0.41], ddof=1)
print('noise seeds a side for 1 point', next(n for n in range(2, 10000) if detectable(sigma, n, n, 0.05) <= 0.01))
