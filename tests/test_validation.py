"""Bad input gets a clear error naming the argument; it never returns a number."""
import numpy as np
import pytest

from advot_teach import adversarial_risk_curve, optimal_adversarial_risk, risk_breakpoints
from advot_teach.binary import binary_risk_matching, binary_risk_ot

X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
y = np.array([0, 1, 0, 1])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(eps=-0.1), ValueError, "eps must be >= 0"),
        (dict(eps=float("nan")), ValueError, "eps must be a number"),
        (dict(eps="0.5"), TypeError, "eps must be a real number"),
        (dict(eps=0.5, norm=3), ValueError, "norm must be"),
        (dict(eps=0.5, norm="l3"), ValueError, "norm must be"),
        (dict(eps=0.5, norm=None), TypeError, "norm must be"),
        (dict(eps=0.5, weights=[1, 1, 1]), ValueError, r"weights must have shape \(4,\)"),
        (dict(eps=0.5, weights=[1, -1, 1, 1]), ValueError, "weights must be nonnegative"),
        (dict(eps=0.5, weights=[1, np.nan, 1, 1]), ValueError, "weights must be finite"),
        (dict(eps=0.5, weights=[0, 0, 0, 0]), ValueError, "weights must have a positive sum"),
        (dict(eps=0.5, max_order=0), ValueError, "max_order must be >= 1"),
        (dict(eps=0.5, max_order=2.5), TypeError, "max_order must be an integer"),
        (dict(eps=0.5, method="simplex"), ValueError, "method must be"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        optimal_adversarial_risk(X, y, **kwargs)


@pytest.mark.parametrize(
    "Xbad, ybad, match",
    [
        (X[:, 0], y, "X must be 2-D"),
        (X[None], y, "X must be 2-D"),
        (np.where(X == 1, np.nan, X), y, "X must be finite"),
        (np.where(X == 1, np.inf, X), y, "X must be finite"),
        (X, y[:3], "one label per row of X"),
        (X, y[:, None], "y must be 1-D"),
        (np.zeros((0, 2)), np.zeros(0), "at least one point"),
        (X, np.array([0.0, 1.0, np.nan, 1.0]), "NaN labels"),
    ],
)
def test_bad_data(Xbad, ybad, match):
    with pytest.raises(ValueError, match=match):
        optimal_adversarial_risk(Xbad, ybad, 0.5)


def test_non_numeric_X():
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        optimal_adversarial_risk([["a", "b"]], [0], 0.5)


def test_curve_and_breakpoints_validate():
    with pytest.raises(ValueError, match="eps_values must be >= 0"):
        adversarial_risk_curve(X, y, [0.1, -0.2])
    with pytest.raises(ValueError, match="eps_values must not hold NaN"):
        adversarial_risk_curve(X, y, [0.1, np.nan])
    with pytest.raises(ValueError, match="eps_values must be 1-D"):
        adversarial_risk_curve(X, y, [[0.1]])
    with pytest.raises(ValueError, match="norm must be"):
        risk_breakpoints(X, y, norm="l7")
    with pytest.raises(ValueError, match="eps_max must be >= 0"):
        risk_breakpoints(X, y, eps_max=-1)


def test_binary_solvers_reject_three_classes():
    with pytest.raises(ValueError, match="at most two classes"):
        binary_risk_matching(X, [0, 1, 2, 0], 0.5)
    with pytest.raises(ValueError, match="at most two classes"):
        binary_risk_ot(X, [0, 1, 2, 0], 0.5)
    with pytest.raises(ValueError, match="needs uniform weights"):
        optimal_adversarial_risk(X, y, 0.5, weights=[1, 2, 3, 4], method="matching")
    three = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [5.0, 5.0]])
    with pytest.raises(ValueError, match="pairs only .* up to 3 points"):
        optimal_adversarial_risk(three, [0, 1, 2, 0], 0.5, method="matching")


def test_accepted_spellings_agree():
    values = {optimal_adversarial_risk(X, y, 0.5, norm=n).risk for n in (2, "l2", "L2", 2.0)}
    assert len(values) == 1
    assert optimal_adversarial_risk(X, y, 0.5, norm="linf").risk == optimal_adversarial_risk(X, y, 0.5, norm=np.inf).risk
    # an exact breakpoint: points 1 apart merge at eps = 1/2 in every norm
    for n in (1, 2, np.inf):
        assert optimal_adversarial_risk(X, y, 0.5, norm=n).risk == pytest.approx(0.5)


# --- One decision for the whole package: norm="2" and eps=inf ------------------------------

def _three_classes():
    rng = np.random.default_rng(5)
    return rng.normal(size=(12, 2)), np.arange(12) % 3


def _model_and_data():
    from advot_teach.datasets import two_class_toy
    from advot_teach.models import SoftmaxRegression

    Xm, ym = two_class_toy(20, seed=0)
    return SoftmaxRegression().fit(Xm, ym, epochs=3), Xm, ym


def _calls():
    """(name, call(eps, norm) -> comparable value) for every public function taking both."""
    from advot_teach import sinkhorn_adversarial_risk
    from advot_teach import attacks, transport

    X3, y3 = _three_classes()
    model, Xm, ym = _model_and_data()
    Y = X3 + 0.3
    return [
        ("optimal_adversarial_risk", lambda e, n: optimal_adversarial_risk(X3, y3, e, norm=n).risk),
        ("adversarial_risk_curve", lambda e, n: adversarial_risk_curve(X3, y3, [0.2, e], norm=n)),
        ("sinkhorn_adversarial_risk", lambda e, n: sinkhorn_adversarial_risk(X3, y3, e, norm=n).risk),
        ("binary_risk_matching", lambda e, n: binary_risk_matching(X3, y3 % 2, e, norm=n).risk),
        ("binary_risk_ot", lambda e, n: binary_risk_ot(X3, y3 % 2, e, norm=n)),
        ("transport.eps_cost", lambda e, n: transport.eps_cost(X3, Y, e, norm=n)),
        ("transport.eps_coupling", lambda e, n: transport.eps_coupling(X3, Y, e, norm=n)),
        ("transport.within_w_inf_ball", lambda e, n: transport.within_w_inf_ball(X3, Y, e, norm=n)),
        ("attacks.fgsm", lambda e, n: attacks.fgsm(model, Xm, ym, e, n)),
        ("attacks.pgd", lambda e, n: attacks.pgd(model, Xm, ym, e, n, steps=2)),
        ("attacks.project", lambda e, n: attacks.project(Xm, e, n)),
        ("attacks.robust_accuracy", lambda e, n: attacks.robust_accuracy(model, Xm, ym, e, n, steps=2)),
    ]


ATTACKS = {"attacks.fgsm", "attacks.pgd", "attacks.project", "attacks.robust_accuracy"}


@pytest.mark.parametrize("name, call", _calls(), ids=[name for name, _ in _calls()])
def test_norm_spelled_as_a_string_is_the_same_norm_everywhere(name, call):
    for spelling, value in (("2", 2), ("l2", 2), ("inf", np.inf), ("LINF", np.inf)):
        np.testing.assert_array_equal(call(0.3, spelling), call(0.3, value))


@pytest.mark.parametrize("name, call", _calls(), ids=[name for name, _ in _calls()])
def test_infinite_eps_is_one_decision(name, call):
    if name in ATTACKS:
        # an attack moves points by eps: no finite adversarial example exists
        with pytest.raises(ValueError, match="eps must be a finite number"):
            call(np.inf, 2)
        return
    got = call(np.inf, 2)
    X3, y3 = _three_classes()
    if name in ("optimal_adversarial_risk", "adversarial_risk_curve"):
        # every multi-class set conflicts: predicting the heaviest class is optimal
        assert np.ravel(got)[-1] == pytest.approx(2 / 3, abs=1e-12)
    elif name.startswith("binary"):
        labels = y3 % 2
        assert got == pytest.approx(1 - np.bincount(labels).max() / len(labels), abs=1e-12)
    elif name == "sinkhorn_adversarial_risk":
        assert 0 <= got <= 2 / 3 + 1e-9  # a lower bound of R*_2(inf) <= R*(inf)
    elif name == "transport.eps_coupling":
        assert got is not None
    else:
        assert np.all(got)
