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
    with pytest.raises(ValueError, match="needs two classes, uniform weights"):
        optimal_adversarial_risk(X, y, 0.5, weights=[1, 2, 3, 4], method="matching")


def test_accepted_spellings_agree():
    values = {optimal_adversarial_risk(X, y, 0.5, norm=n).risk for n in (2, "l2", "L2", 2.0)}
    assert len(values) == 1
    assert optimal_adversarial_risk(X, y, 0.5, norm="linf").risk == optimal_adversarial_risk(X, y, 0.5, norm=np.inf).risk
    # an exact breakpoint: points 1 apart merge at eps = 1/2 in every norm
    for n in (1, 2, np.inf):
        assert optimal_adversarial_risk(X, y, 0.5, norm=n).risk == pytest.approx(0.5)
