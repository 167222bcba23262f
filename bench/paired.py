"""Paired comparisons over data seeds, shared by the benchmark summaries (yardstick.py, ablation.py)."""
import sys

try:
    from scipy import stats
except ImportError:
    sys.exit("the benchmark summaries need SciPy: apt-get install -y python3-scipy")


def paired(a, b):
    """Mean of a − b, its 95 % interval and the paired t-test's two-sided p-value (n ≥ 2)."""
    diffs = [x - y for x, y in zip(a, b)]
    n = len(diffs)
    mean = sum(diffs) / n
    se = stats.sem(diffs)
    if se == 0:
        return mean, (mean, mean), 0.0 if mean != 0 else 1.0
    half = stats.t.ppf(0.975, n - 1) * se
    return mean, (mean - half, mean + half), float(stats.ttest_rel(a, b).pvalue)
