"""Exercises of notebooks 04-06: every solution passes, typical mistakes get a hint."""
from pathlib import Path

import numpy as np
import pytest

from exercise_solutions import solution_answer as _solution_answer
from scipy.stats import norm

from advot_teach import datasets, optimal_adversarial_risk
from advot_teach.exercises import check

SOLUTIONS = Path(__file__).resolve().parents[1] / "advot_teach" / "exercises" / "solutions"
IDS = [f"0{n}.{k}" for n in (4, 5, 6) for k in range(1, 5)] + ["06.5"]













@pytest.mark.parametrize("id", IDS)
def test_a_failing_answer_gets_a_hint_not_a_traceback(id):
    def broken(*args):
        raise ZeroDivisionError("oops")

    verdict = check(id, broken)
    assert not verdict.correct
    assert "Traceback" not in verdict.message


@pytest.mark.parametrize("id", ["04.2", "05.3", "06.1", "06.3"])
def test_checkers_are_deterministic(id):
    answer = _solution_answer(id)
    assert check(id, answer).message == check(id, answer).message


# ---------------------------------------------------------------- wrong answers
def _pairs(X, y, radius, same_label=False):
    D = np.linalg.norm(X[:, None] - X[None], axis=2)
    keep = D <= radius
    if not same_label:
        keep &= y[:, None] != y[None, :]
    i, j = np.nonzero(np.triu(keep, 1))
    return list(zip(i, j))


def _ot_cost(X, y, eps):
    from advot_teach.binary import binary_risk_matching

    return 1 - 2 * binary_risk_matching(X, y, eps).risk


def _circumradius(P):
    a, b, c = (np.linalg.norm(P[i] - P[j]) for i, j in ((1, 2), (0, 2), (0, 1)))
    u, v = P[1] - P[0], P[2] - P[0]
    return a * b * c / (2 * abs(u[0] * v[1] - u[1] * v[0]))  # 4 * area = 2 |u x v|


def _lp_risk(weights, hyperedges):
    return 1 - _solution_answer("05.3")(weights, hyperedges)


def _normalised_classifier(Z, X, y, q, eps):
    F = _solution_answer("06.2")(Z, X, y, q, eps)
    return F + (1 - F.sum(axis=1, keepdims=True)) / F.shape[1]


def _error_mass(barycenter, codes, proba):
    return 1 - _solution_answer("06.4")(barycenter, codes, proba)


WRONG = [
    ("04.1", lambda X, y, eps: _pairs(X, y, eps), "2 * eps"),
    ("04.1", lambda X, y, eps: _pairs(X, y, 2 * eps, same_label=True), "different"),
    ("04.2", _ot_cost, "transport cost"),
    ("04.2", lambda X, y, eps: 1 - _ot_cost(X, y, eps), "halve"),
    ("04.3", lambda eps, a, s: norm.cdf((eps - a) / s), "1/2"),
    ("04.3", lambda eps, a, s: norm.cdf((a - eps) / s) if eps < a else 0.5, "sign"),
    ("04.4", lambda X, y, eps: _solution_answer("04.4")(X, y, eps) * len(X), "number of matched pairs"),
    ("04.4", lambda X, y, eps: _solution_answer("04.4")(X, y, eps) * len(X) / np.sum(y == 0), "n = n_0 + n_1"),
    ("04.4", lambda X, y, eps: _solution_answer("04.4")(X, y, eps / 2), "2 * eps"),
    ("04.4", lambda X, y, eps: len(_pairs(X, y, 2 * eps)) / len(X), "at most once"),
    ("05.1", lambda A: A.sum(), "largest"),
    ("05.1", lambda A: A.min(axis=0).sum(), "maximum"),
    ("05.2", _circumradius, "obtuse"),
    ("05.2", lambda P: max(np.linalg.norm(P[i] - P[j]) for i, j in ((0, 1), (0, 2), (1, 2))) / 2, "acute"),
    ("05.4", lambda X, y, eps, L: 1 - _solution_answer("05.4")(X, y, eps, L), "1 - B*_L"),
    ("05.4", lambda X, y, eps, L: _solution_answer("05.4")(X, y, eps, 2), "add the triples"),
    ("05.4", lambda X, y, eps, L: _solution_answer("05.4")(X, y, eps, 3), "keep only the pairs"),
    ("05.4", lambda X, y, eps, L: _solution_answer("05.4")(X, y, eps / 2, L), "2 * eps"),
    ("05.3", _lp_risk, "1 - B*"),
    ("05.3", lambda w, edges: 1.0, "no mass was merged"),
    ("06.1", lambda w, edges: np.ones(len(w)), "hyperedge constraint"),
    ("06.1", lambda w, edges: np.zeros(len(w)), "not optimal"),
    ("06.1", lambda w, edges: np.zeros(2), "shape"),
    ("06.2", _normalised_classifier, "without spreading"),
    ("06.2", lambda Z, X, y, q, eps: _solution_answer("06.2")(Z, X, y, q, 2 * eps), "not 2 eps"),
    ("06.3", lambda X, y, w, q, eps, Z: float(w @ (1 - q)), "not the sampled risk"),
    ("06.3", lambda X, y, w, q, eps, Z: _solution_answer("06.3")(X, y, np.full(len(w), 1 / len(w)), q, eps, Z),
     "weight each point"),
    ("06.3", lambda X, y, w, q, eps, Z: _solution_answer("06.3")(X, y, w, q, 2 * eps, Z), "not 2 eps"),
    ("06.3", lambda X, y, w, q, eps, Z: np.zeros(len(w)), "one number"),
    ("06.5", 0.5, "probabilistic"),
    ("06.5", 1 / 3, "third lens"),
    ("06.4", _error_mass, "error mass"),
    ("06.4", lambda b, codes, proba: float(np.sum(b.mass)), "correct mass should be"),
]


@pytest.mark.parametrize("id, answer, hint", WRONG)
def test_typical_mistakes_get_a_hint(id, answer, hint):
    verdict = check(id, answer)
    assert not verdict.correct
    assert hint in verdict.message, verdict.message


# ---------------------------------------------------------------- ground truths the lessons rely on
def test_triangle_deterministic_optimum_exceeds_R_star():
    # 06.5's answer 2/3 against the LP: R* = 1/2 at eps = 0.55, with q = 1/2 everywhere.
    X, y = datasets.triangle()
    result = optimal_adversarial_risk(X, y, 0.55)
    assert result.risk == pytest.approx(0.5, abs=1e-9)
    assert np.allclose(result.q, 0.5, atol=1e-9)
    assert _solution_answer("06.5") == pytest.approx(2 / 3)


def test_barycenter_attack_holds_optimal_classifier_to_one_minus_R_star():
    from advot_teach.exercises.nb06 import attack_case

    X, y, eps = attack_case()
    result = optimal_adversarial_risk(X, y, eps)
    mass = _solution_answer("06.4")(result.barycenter, result.codes, result.predict_proba)
    assert mass == pytest.approx(1 - result.risk, abs=1e-8)


def test_dual_solution_matches_primal_value():
    X, y = datasets.three_blobs(8, seed=1)
    result = optimal_adversarial_risk(X, y, 0.5)
    q = _solution_answer("06.1")(result.weights, result.hyperedges)
    assert result.weights @ q == pytest.approx(1 - result.risk, abs=1e-8)


def test_sampled_certificate_against_the_package():
    # 06.3 on the data of 06.4: random samples never beat R* (the classifier gives
    # y_j at least q_j in the whole ball), and the barycenter atoms reach it exactly.
    from advot_teach.exercises.nb06 import _disc_samples, attack_case

    X, y, eps = attack_case()
    result = optimal_adversarial_risk(X, y, eps)
    codes, w, q = result.codes, result.weights, result.q
    sampled_risk = _solution_answer("06.3")
    Z = _disc_samples(X, eps, 100, np.random.default_rng(0))
    assert sampled_risk(X, codes, w, q, eps, Z) <= result.risk + 1e-9
    bary = result.barycenter
    atoms = [[a for a, members in enumerate(bary.members) if j in members] for j in range(len(X))]
    width = max(len(a) for a in atoms)
    Z_atoms = np.stack([bary.support[a + [a[0]] * (width - len(a))] for a in atoms])
    assert sampled_risk(X, codes, w, q, eps, Z_atoms) == pytest.approx(result.risk, abs=1e-7)
