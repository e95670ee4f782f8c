"""The barycenter explorer: McCann's displacement interpolation with a t-slider.

The W2-optimal plan is solved once; a slider move only moves the atoms.
"""
from __future__ import annotations

import numpy as np

from .. import plots
from .._validation import check_scalar
from ._base import Explorer, check_points, clean, segments, slider


class BarycenterExplorer(Explorer):
    """See :func:`barycenter_explorer`."""

    _slider_name = "t"
    _slider_label = "interpolation time t"

    def __init__(self, X, Y, *, a=None, b=None, t=0.5):
        from ..barycenters import mccann_interpolation

        X, Y = check_points(X, "X"), check_points(Y, "Y")
        t = check_scalar(t, "t", min_val=0, max_val=1)
        self.X, self.Y = X, Y
        self.interpolation = interp = mccann_interpolation(X, Y, t, a, b)
        self._unit_mass = float(np.median(interp.mass))
        #: W2(mu_0, mu_1) of the optimal plan: mu_t is at distance t * w2 from mu_0
        self.w2 = float(np.sqrt(interp.mass @ ((interp.source - interp.target) ** 2).sum(axis=1)))
        self.slider = slider("t", t, 1.0, fmt=".2f")
        self._draw_static()
        self._finish([self.slider])

    def _draw_static(self):
        with self._style():
            ax = self._static_ax = self._panels(map=1.0, height=0.68)[0]
            interp = self.interpolation
            self.extent = plots.data_extent(np.concatenate([self.X, self.Y]), margin=0.1)
            colors = plots.class_colors(2)
            ax.add_collection(segments(np.stack([interp.source, interp.target], axis=1), color="0.6",
                                       linewidth=0.8, linestyle=":", zorder=1))
            ax.scatter(*self.X.T, s=40, color=colors[0], alpha=0.45, marker="o", edgecolors="none",
                       label=r"$\mu_0$ (t = 0)")
            ax.scatter(*self.Y.T, s=40, color=colors[1], alpha=0.45, marker="s", edgecolors="none",
                       label=r"$\mu_1$ (t = 1)")
            ax.scatter([], [], s=60, color=0.5 * (colors[0] + colors[1]), edgecolors="black",
                       label=r"$\mu_t$ (area ~ mass)")
            ax.plot([], [], color="0.6", linestyle=":", label="optimal pairs")
            ax.legend(loc="upper left", framealpha=0.85, fontsize=10)
            self._frame_map(ax, self.extent)
            ax.set_title(r"McCann interpolation $\mu_t$: mass moves on straight lines")

    def _draw_live(self):
        ax = self.ax = self._live_axes(self._static_ax)
        sizes = plots.atom_sizes(self.interpolation.mass, self._unit_mass, 55.0)
        self.artists = {"atoms": ax.scatter(*self.interpolation.support.T, s=sizes, edgecolors="black",
                                            linewidths=0.8, zorder=5),
                        "title": ax.text(0.98, 0.02, "", transform=ax.transAxes, ha="right", va="bottom",
                                         fontsize=12, bbox=dict(facecolor="white", alpha=0.85, edgecolor="0.7"))}

    def _update(self):
        t = clean(self.slider.value)
        colors = plots.class_colors(2)
        atoms = self.artists["atoms"]
        atoms.set_offsets(self.interpolation.at(t))
        atoms.set_facecolor((1 - t) * colors[0] + t * colors[1])
        self.artists["title"].set_text(rf"$W_2(\mu_0, \mu_t) = t\,W_2(\mu_0, \mu_1)$ = {t * self.w2:.3f}")
        self.t = t
        self._set_readout(f"t = {t:.2f}", t=t)


def barycenter_explorer(X, Y, *, a=None, b=None, t=0.5):
    """McCann's displacement interpolation between two clouds, with a t-slider.

    The W2-optimal plan is solved once (:func:`advot_teach.barycenters.mccann_interpolation`);
    each piece of mass then moves on a straight line, ``(1 - t) x + t y``.
    At t = 1/2 this is the Wasserstein barycenter of the two clouds.

    Parameters
    ----------
    X : array_like, shape (n, 2)
    Y : array_like, shape (m, 2)
    a, b : array_like, optional
        Weights (default uniform).
    t : float in [0, 1]
        Initial time.

    Returns
    -------
    BarycenterExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``t = 0.50``), ``.interpolation``.
    """
    return BarycenterExplorer(X, Y, a=a, b=b, t=t)
