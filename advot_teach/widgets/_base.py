"""The shared explorer base class, its input checks and small widget factories.

An explorer is a static figure (laid out once, drawn as a backdrop), a live
figure of artists whose data change with the controls, the controls and a
readout; see :class:`Explorer`.
"""
from __future__ import annotations

import base64
import html
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import check_array, check_bool, check_scalar
from ._canvas import DPI, Backdrop, attach_canvas, render_rgba

#: CSS class of every explorer's readout (browser tests look for it).
READOUT_CLASS = "advot-risk-readout"
#: Shown with the static PNG where widgets cannot run.
STATIC_HINT = "Run this notebook in JupyterLab for the live {name}-slider"

_FONT = {"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12.5, "legend.fontsize": 11,
         "legend.title_fontsize": 11.5, "xtick.labelsize": 11, "ytick.labelsize": 11}


class Explorer:
    """Static figure + live figure + controls + readout; static PNG fallback.

    A subclass builds its static content in ``self.static_fig`` (laid out
    once by constrained layout), then calls :meth:`_finish`, which freezes
    that layout, calls the subclass's ``_draw_live()`` (live artists on axes
    made with :meth:`_live_axes`) and wires the controls.  ``_update()``
    changes the live artists' data for the current control values and sets
    the readout.
    """

    _slider_name = "eps"

    def _new_figures(self, figsize):
        import ipywidgets as widgets

        self._rc = dict(_FONT)
        self.static_fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.static_fig)
        self.fig = Figure(figsize=figsize, dpi=DPI)
        self.readout = widgets.HTML(value="").add_class(READOUT_CLASS)
        self._readout_text = ""
        self._updating = False
        self.widget = None
        return self.static_fig

    def _style(self):
        import matplotlib

        return matplotlib.rc_context(self._rc)

    def _live_axes(self, static_ax, *, frame=False):
        """An axes of the live figure exactly over ``static_ax``.

        Same position (after aspect adjustment) and limits; no decorations
        unless ``frame`` (then only the spines, drawn live above images).
        """
        ax = self.fig.add_axes(static_ax.get_position(original=False))
        ax.set_xlim(static_ax.get_xlim())
        ax.set_ylim(static_ax.get_ylim())
        ax.set_xticks([])
        ax.set_yticks([])
        if not frame:
            ax.axis("off")
        return ax

    def _finish(self, controls, observed=()):
        """Lay out, build the live layer, attach the canvas, wire controls."""
        import ipywidgets as widgets

        with self._style():
            self.static_fig.canvas.draw()  # one constrained-layout pass
            self.static_fig.set_layout_engine("none")
            self._draw_live()
        self._backdrop = Backdrop(self.static_fig, self._rc)
        self.fig.add_artist(self._backdrop)
        w, h = (int(round(v * DPI)) for v in self.fig.get_size_inches())
        self.view, self.live = attach_canvas(self.fig, w, h)
        bar = widgets.HBox(list(controls), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = widgets.VBox([bar, self.readout, self.view])
        self._controls = list(controls)
        for control in [self.slider, *observed]:
            control.observe(self._on_change, names="value")
        self._refresh()

    # -- pieces several explorers draw -----------------------------------
    @staticmethod
    def _frame_map(ax, extent):
        """Limits ``extent`` = (x0, x1, y0, y1), equal aspect, no ticks."""
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])

    @staticmethod
    def _curve_marker(cax, eps, color):
        """A marker (filled with ``color``) and a dashed vertical line at eps
        on the curve axes; move them with :meth:`_move_curve_marker`."""
        (marker,) = cax.plot([eps], [0.0], "o", color="black", markersize=9, markerfacecolor=color,
                             markeredgewidth=1.5, zorder=4)
        vline = cax.axvline(eps, color="0.3", linewidth=1.0, linestyle="--", zorder=1)
        return {"marker": marker, "vline": vline}

    def _move_curve_marker(self, eps, value):
        self.artists["curve"]["marker"].set_data([eps], [value])
        self.artists["curve"]["vline"].set_xdata([eps, eps])

    # -- updates ---------------------------------------------------------
    def _on_change(self, change):
        # Changes made by _update itself (snapping the slider) arrive while
        # _updating is set and are ignored.
        if not self._updating:
            self._refresh()

    def _refresh(self):
        """Update artists and readout for the current controls, then redraw."""
        self._updating = True
        try:
            with self._style():
                self._update()
        finally:
            self._updating = False
        if self.live:
            self.fig.canvas.draw_idle()
        else:
            self.view.value = self.to_png()

    def _snapped_value(self):
        """The slider value, moved to a stop of ``_snap_stops()`` when the
        snap checkbox is ticked (the slider follows; the change it triggers
        arrives while ``_updating`` is set and is ignored).

        A one-step move (an arrow key) goes to the next stop in its direction,
        so the arrow keys walk through the stops one by one; a larger move (a
        drag, or a value set from code) goes to the nearest stop.  (The
        slider's own number shows the stop rounded to the slider's step; the
        readout shows the stop.)
        """
        value = float(self.slider.value)
        snap = getattr(self, "snap", None)
        if snap is not None and snap.value:
            stops = np.sort(self._snap_stops())
            last = getattr(self, "_last_snapped", None)
            # A user's move is at least one step; the front end may echo a
            # stop rounded to its step grid, which must not count as a move.
            tiny = 0.5 * self.slider.step
            step = np.inf if last is None else value - last
            if tiny < step <= 1.5 * self.slider.step:  # one step up: next stop above
                i = min(np.searchsorted(stops, last + tiny), len(stops) - 1)
            elif -1.5 * self.slider.step <= step < -tiny:  # one step down: previous stop
                i = max(np.searchsorted(stops, last - tiny, side="right") - 1, 0)
            else:
                i = int(np.argmin(np.abs(stops - value)))
            value = float(stops[i])
            if value != self.slider.value:
                self.slider.value = value
        self._last_snapped = value
        return value

    def _draw_live(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _set_readout(self, text):
        self._readout_text = text
        self.readout.value = (
            '<span style="font-family: monospace; font-size: 1.3em; font-weight: 600">'
            f"{html.escape(text)}</span>"
        )

    @property
    def readout_text(self) -> str:
        """The readout as plain text, e.g. ``"eps = 0.350 | R* = 0.4167"``."""
        return self._readout_text

    # -- display ---------------------------------------------------------
    @property
    def hint(self) -> str:
        """One line shown with the static picture."""
        return STATIC_HINT.format(name=self._slider_name)

    def to_png(self, dpi=None, *, hint=False) -> bytes:
        """The figure as it is now, as PNG bytes.

        ``hint=True`` adds a strip below it with the readout and
        :attr:`hint` (what static viewers show).
        """
        from PIL import Image

        dpi = dpi or DPI
        with self._style():
            frame = render_rgba(self.fig, dpi)
            if hint:
                strip = Figure(figsize=(self.fig.get_figwidth(), 0.34), dpi=dpi)
                FigureCanvasAgg(strip)
                strip.text(0.5, 0.5, f"{self.readout_text}    ({self.hint})", ha="center", va="center",
                           fontsize=11, color="0.3", style="italic")
                frame = np.concatenate([frame, render_rgba(strip, dpi)[:, :frame.shape[1]]], axis=0)
        buf = io.BytesIO()
        Image.fromarray(frame).save(buf, format="png")
        return buf.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        data = {}
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        data.update(bundle or {})
        data["text/plain"] = self.hint
        data["image/png"] = base64.b64encode(self.to_png(hint=True)).decode("ascii")
        return data

    def close(self):
        """Close every widget of the explorer (the figure is then garbage)."""
        for w in [*self._controls, self.readout, self.view, self.widget]:
            w.close()


# ============================================================== small checks


def check_flag(value, name):
    return check_bool(value, name)


def check_points(X, name):
    """``X`` as a finite float array of shape (n, 2), n >= 1."""
    return check_array(X, name, n_columns=2)


def check_positive(value, name):
    return check_scalar(value, name, min_val=0, include_min=False)


# ============================================================== small factories


def nice_floor(x):
    """Round down to two significant digits (a clean slider end)."""
    scale = 10 ** (np.floor(np.log10(x)) - 1)
    return float(np.floor(x / scale) * scale)


def slider(description, value, vmax, steps=500, fmt=".3f", vmin=0.0):
    import ipywidgets as widgets

    return widgets.FloatSlider(
        value=value, min=vmin, max=vmax, step=(vmax - vmin) / steps, description=description,
        readout_format=fmt, continuous_update=True, layout=widgets.Layout(width="440px"),
    )


def checkbox(value, description):
    """The "snap to ..." checkbox."""
    import ipywidgets as widgets

    return widgets.Checkbox(value=value, description=description, indent=False,
                            layout=widgets.Layout(width="200px"))


def segments(lines, **kwargs):
    """A LineCollection of ``lines``, shape (m, 2, 2)."""
    from matplotlib.collections import LineCollection

    return LineCollection(lines, **kwargs)
