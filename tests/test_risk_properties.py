"""Property-based checks of the exact solver (hypothesis)."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from advot_teach import optimal_adversarial_risk

problems = st.builds(
    lambda seed, n, K, d: (seed, n, K, d),
    st.integers(0, 10**6), st.integers(2, 10), st.integers(2, 4), st.integers(1, 3),
)


def _make(seed, n, K, d):
    rng = np.random.default_rng(seed)
    # Points on a coarse grid: exact ties and coincident points are common.
    X = rng.integers(-3, 4, size=(n, d)) * 0.5
    y = rng.integers(0, K, size=n)
    w = rng.uniform(0.1, 1.0, size=n)
    return X, y, w / w.sum(), float(rng.choice([0.0, 0.25, 0.5, 0.75, 1.0, 1.5]))


def _brute_force_linf(X, y, w, eps):
    # Boxes meet iff they meet pairwise: enumerate every multi-class subset.
    n, cols = len(X), [(j,) for j in range(len(X))]
    for k in range(2, len(set(y.tolist())) + 1):
        for S in itertools.combinations(range(n), k):
            if len({y[i] for i in S}) == k and all(
                    np.abs(X[a] - X[b]).max() <= 2 * eps + 1e-12 for a, b in itertools.combinations(S, 2)):
                cols.append(S)
    A = np.zeros((n, len(cols)))
    for c, S in enumerate(cols):
        A[list(S), c] = 1
    return 1 - linprog(np.ones(len(cols)), A_eq=A, b_eq=w, bounds=(0, None), method="highs").fun


@settings(max_examples=40, deadline=None)
@given(problems)
def test_linf_equals_brute_force_enumeration(problem):
    X, y, w, eps = _make(*problem)
    assert optimal_adversarial_risk(X, y, eps, norm=np.inf, weights=w).risk == pytest.approx(
        _brute_force_linf(X, y, w, eps), abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(problems, st.floats(0.1, 10.0), st.integers(0, 10**6))
def test_invariant_under_scaling_translation_and_relabelling(problem, scale, seed):
    X, y, w, eps = _make(*problem)
    rng = np.random.default_rng(seed)
    base = optimal_adversarial_risk(X, y, eps, weights=w)
    perm = rng.permutation(len(X))
    shift = rng.normal(size=X.shape[1])
    moved = optimal_adversarial_risk(scale * X[perm] + shift, np.array(["abcd"[c] for c in y[perm]]), scale * eps,
                                     weights=w[perm])
    assert moved.risk == pytest.approx(base.risk, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(problems)
def test_risk_bounds_and_certificates(problem):
    X, y, w, eps = _make(*problem)
    res = optimal_adversarial_risk(X, y, eps, weights=w)
    class_mass = np.bincount(res.codes, weights=res.weights)
    # The adversary can at best leave the largest class to be right.
    assert -1e-12 <= res.risk <= 1 - class_mass.max() + 1e-9
    assert res.dual_value == pytest.approx(1 - res.risk, abs=1e-8)
    assert res.barycenter.mass.sum() == pytest.approx(1 - res.risk, abs=1e-8)
    proba = res.predict_proba(X)
    assert np.allclose(proba.sum(1), 1) and np.all(proba[np.arange(len(X)), res.codes] >= res.q - 1e-12)
