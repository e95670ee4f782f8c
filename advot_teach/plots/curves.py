"""R*(eps) as the right-continuous step function it is."""
from __future__ import annotations

import numpy as np


def draw_risk_curve(ax, eps, risk, *, current_eps=None, label=r"$R^*(\varepsilon)$", color="#D55E00",
                    linewidth=2.0, breakpoints=True, **kwargs):
    """Draw R*(eps) as the right-continuous step function it is.

    Parameters
    ----------
    ax : matplotlib Axes
    eps : array_like, shape (m,)
        Increasing eps values (e.g. the breakpoints and the ends of the range).
    risk : array_like, shape (m,)
        R* at each eps; constant until the next eps.
    current_eps : float, optional
        Also draw a marker at (current_eps, R*(current_eps)) and a vertical line.
    breakpoints : bool
        Mark the jumps with small dots.

    Returns
    -------
    dict
        ``"curve"``: Line2D; ``"marker"``, ``"vline"``: Line2D or None
        (update with ``set_data``); ``"jumps"``: Line2D or None.
    """
    eps = np.asarray(eps, dtype=float)
    risk = np.asarray(risk, dtype=float)
    if eps.shape != risk.shape or eps.ndim != 1:
        raise ValueError(f"eps and risk must be 1-D of the same length; got {eps.shape} and {risk.shape}")
    (curve,) = ax.step(eps, risk, where="post", color=color, linewidth=linewidth, label=label, **kwargs)
    jumps = None
    if breakpoints and len(eps) > 1:
        up = np.nonzero(np.diff(risk) > 1e-12)[0] + 1
        (jumps,) = ax.plot(eps[up], risk[up], "o", color=color, markersize=3.5, zorder=3)
    marker = vline = None
    if current_eps is not None:
        value = step_value(eps, risk, current_eps)
        vline = ax.axvline(current_eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        (marker,) = ax.plot([current_eps], [value], "o", color="black", markersize=8, zorder=4,
                            markerfacecolor=color, markeredgewidth=1.5)
    ax.set_xlabel(r"budget $\varepsilon$")
    ax.set_ylabel(r"optimal adversarial risk $R^*$")
    return {"curve": curve, "marker": marker, "vline": vline, "jumps": jumps}


def step_value(eps, risk, x):
    """Value at ``x`` of the right-continuous step function through (eps, risk)."""
    i = np.searchsorted(np.asarray(eps), x, side="right") - 1
    return float(np.asarray(risk)[max(int(i), 0)])
