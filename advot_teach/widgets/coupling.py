"""The coupling explorer: which pairs of two clouds are within eps, and a
coupling that moves no mass farther (it exists exactly when W_inf <= eps).

The couplings come from :func:`advot_teach.transport.eps_couplings` (one
plan per pairwise distance reached, solved on demand and cached).
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .. import plots
from .._validation import check_eps, check_weights, parse_norm
from ..transport import eps_couplings
from ._base import Explorer, check_flag, check_points, check_positive, checkbox, nice_floor, segments, slider


class CouplingExplorer(Explorer):
    """See :func:`coupling_explorer`."""

    def __init__(self, X, Y, *, norm=2, eps_max=None, a=None, b=None, snap=False, eps=None):
        X, Y = check_points(X, "X"), check_points(Y, "Y")
        norm = parse_norm(norm)
        self.couplings = eps_couplings(X, Y, check_weights(a, len(X)), check_weights(b, len(Y)), norm)
        self.X, self.Y, self.norm = X, Y, norm
        self.a, self.b, self.D, self.w_inf = self.couplings.a, self.couplings.b, self.couplings.D, self.couplings.w_inf
        if eps_max is None:
            eps_max = nice_floor(1.5 * self.w_inf) if self.w_inf > 0 else float(self.D.max() or 1.0)
        self.eps_max = check_positive(eps_max, "eps_max")
        eps = round(min(self.w_inf, self.eps_max) * 0.7, 3) if eps is None else check_eps(eps, allow_inf=False)
        self.slider = slider("ε", eps, self.eps_max)
        self.snap = checkbox(check_flag(snap, "snap"), "snap to distances")
        self._draw_static()
        self._finish([self.slider, self.snap], observed=[self.snap])

    def _snap_stops(self):
        # the allowed pairs change only at the pairwise distances
        return self.couplings.stops(self.eps_max)

    def coupling(self, eps):
        """The plan drawn at eps: see :meth:`advot_teach.transport.EpsCouplings.coupling`."""
        return self.couplings.coupling(eps)

    def curve(self):
        """Mass that must move farther than eps, an exact step function on
        [0, eps_max]: see :meth:`advot_teach.transport.EpsCouplings.curve`."""
        return self.couplings.curve(self.eps_max)

    def _draw_static(self):
        with self._style():
            ax, _, cax = self._panels(map=6.0, curve=4.6, height=0.78)
            self._static_ax, self._static_curve_ax = ax, cax
            both = np.concatenate([self.X, self.Y])
            self.extent = plots.data_extent(both, margin=0.1, pad=0.35 * self.eps_max)
            colors = plots.class_colors(2)
            ax.scatter(*self.X.T, s=46, color=colors[0], marker="o", edgecolors="white", zorder=6,
                       label=r"$\mu$ (points $x_i$)")
            ax.scatter(*self.Y.T, s=46, color=colors[1], marker="s", edgecolors="white", zorder=6,
                       label=r"$\nu$ (points $y_j$)")
            handles, _ = ax.get_legend_handles_labels()
            handles += [Line2D([], [], color="0.55", linewidth=1, label=r"pair within $\varepsilon$"),
                        Line2D([], [], color="black", linewidth=2.2, label="coupling"),
                        Line2D([], [], color="#D55E00", linewidth=2, linestyle="--",
                               label=r"moves farther than $\varepsilon$"),
                        plots.ball_legend_handle(self.norm, color=plots.PALETTE[0],
                                                 label=r"$\varepsilon$-ball of $x_i$")]
            ax.legend(handles=handles, loc="upper left", framealpha=0.85, fontsize=10)
            self._frame_map(ax, self.extent)
            ax.set_title(r"couplings that move mass at most $\varepsilon$")
            eps, unmatched = self.curve()
            cax.step(eps, unmatched, where="post", color="#D55E00", linewidth=2)
            cax.axvline(self.w_inf, color="black", linestyle=":", linewidth=1.2)
            cax.text(self.w_inf, 0.97, rf" $W_\infty$ = {self.w_inf:.3f}", transform=cax.get_xaxis_transform(),
                     va="top", ha="left")
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(-0.02, max(float(unmatched.max()), 0.05) * 1.08 + 0.02)
            cax.set_xlabel(r"budget $\varepsilon$")
            cax.set_ylabel(r"mass moved farther than $\varepsilon$")
            cax.grid(alpha=0.3)
            cax.set_title(r"zero exactly when $\varepsilon \geq W_\infty$")

    def _draw_live(self):
        ax = self.ax = self._live_axes(self._static_ax)
        self.curve_ax = cax = self._live_axes(self._static_curve_ax)
        eps = self.slider.value
        self.artists = {
            "balls": plots.draw_balls(ax, self.X, eps, self.norm, color=plots.PALETTE[0], alpha=0.02,
                                      edge_alpha=0.3),
            "allowed": ax.add_collection(segments([], color="0.55", linewidth=0.8, alpha=0.7, zorder=2)),
            "plan": ax.add_collection(segments([], color="black", zorder=4)),
            "far": ax.add_collection(segments([], color="#D55E00", linestyle="--", zorder=4)),
        }
        self.artists["curve"] = self._curve_marker(cax, eps, "#D55E00")

    def _update(self):
        eps = self._snapped_value()
        plan, feasible, unmatched = self.coupling(eps)
        allowed = self.couplings.allowed(eps)
        a = self.artists
        plots.update_balls(a["balls"], eps, self.norm)
        i, j = np.nonzero(allowed)
        a["allowed"].set_segments(np.stack([self.X[i], self.Y[j]], axis=1))
        used = plan > 1e-12
        scale = 2.5 / max(float(plan.max()), 1e-12)
        for name, mask in (("plan", used & allowed), ("far", used & ~allowed)):
            i, j = np.nonzero(mask)
            a[name].set_segments(np.stack([self.X[i], self.Y[j]], axis=1))
            a[name].set_linewidths(0.6 + scale * plan[i, j])
        self._move_curve_marker(eps, unmatched)
        self.eps, self.feasible = eps, feasible
        self._set_readout(f"eps = {eps:.3f} | W_inf <= eps: {'yes' if feasible else 'no'}", eps=eps,
                          feasible=feasible, unmatched=unmatched)


def coupling_explorer(X, Y, *, norm=2, eps_max=None, a=None, b=None, snap=False):
    """Which mass can the adversary move within eps?  W_inf with a slider.

    Shows two point clouds mu (``X``) and nu (``Y``), every pair within eps
    (where the 0/inf cost ``c_eps`` is 0), and a coupling that uses only such
    pairs if one exists -- i.e. exactly when ``W_inf(mu, nu) <= eps``.
    Otherwise it shows an optimal plan for the 0/1 cost, with the mass that
    must move farther than eps dashed; the right panel plots that mass
    against eps (an exact step function, zero from ``W_inf`` on).

    Parameters
    ----------
    X : array_like, shape (n, 2)
    Y : array_like, shape (m, 2)
    norm : {2, np.inf, 1, "l2", "linf", "l1"}
    eps_max : float, optional
        Right end of the slider (default 1.5 W_inf, rounded down).
    a, b : array_like, shapes (n,) and (m,), optional
        Weights of the two clouds (default uniform).
    snap : bool
        Start with "snap to distances" on: the slider jumps to the nearest
        pairwise distance, where the picture changes.

    Returns
    -------
    CouplingExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``eps = 0.350 | W_inf <= eps: yes``), ``.snap``, ``.w_inf``,
        ``.coupling(eps)``, ``.curve()``.
    """
    return CouplingExplorer(X, Y, norm=norm, eps_max=eps_max, a=a, b=b, snap=snap)
