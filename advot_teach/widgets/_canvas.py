"""Canvas plumbing for the explorers: ipympl without pyplot, or a PNG fallback.

* :func:`attach_canvas` gives a figure ipympl's widget canvas when ipympl
  is installed (without switching a ``%matplotlib inline`` notebook's
  backend), else an Agg canvas shown through an Image widget.
* :class:`Backdrop` draws a second, static figure (legends, axes, curves:
  everything that never moves) as one cached image under the live figure,
  so that a redraw renders only what moves.
* :func:`render_rgba` renders a figure to pixels (for the static PNG).
"""
from __future__ import annotations

import contextlib
import io
import types
import warnings

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg

#: Resolution of every explorer figure (pixels per inch).
DPI = 100


def _ipympl_backend():
    """ipympl's backend module, or None when ipympl is not installed.

    ``import ipympl`` calls ``matplotlib.use("module://ipympl...")`` when
    matplotlib is already imported, which would switch a ``%matplotlib
    inline`` notebook to widget figures (and close its pyplot figures);
    ``matplotlib.use`` is therefore disabled during the import.
    """
    import matplotlib

    use = matplotlib.use
    matplotlib.use = lambda *args, **kwargs: None
    try:
        import ipympl.backend_nbagg as backend
    except ImportError:
        return None
    finally:
        matplotlib.use = use
    return backend


@contextlib.contextmanager
def _not_interactive():
    # In interactive mode ipympl queues new figures for display after the
    # cell; the explorer displays its own layout instead.
    import matplotlib

    was = matplotlib.is_interactive()
    matplotlib.interactive(False)
    try:
        yield
    finally:
        matplotlib.interactive(was)


def attach_canvas(fig, width_px, height_px):
    """Give ``fig`` a canvas: ipympl's widget canvas if possible, else Agg.

    Returns
    -------
    view : ipywidgets.Widget
        What to put in the layout: the ipympl canvas, or an Image widget
        that the fallback refreshes with a PNG after every update.
    live : bool
        True for the ipympl canvas.
    """
    import ipywidgets as widgets

    backend = _ipympl_backend()
    if backend is not None:
        with _not_interactive(), warnings.catch_warnings():
            # ipympl 0.10's toolbar passes its canvas on to traitlets, which warns
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="traitlets")
            manager = backend.new_figure_manager_given_figure(id(fig), fig)
        canvas = manager.canvas
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        canvas.capture_scroll = False
        # ipympl keeps a second PNG of every frame for embedding until a
        # frontend connects; our own static fallback makes it unnecessary.
        canvas.syncing_data_url = False
        if all(hasattr(canvas, name) for name in ("_png_is_old", "_force_full", "_last_buff", "set_image_mode")):
            canvas.get_diff_image = types.MethodType(_fast_diff_image, canvas)
        canvas.layout = widgets.Layout(width=f"{width_px}px", height=f"{height_px}px")
        return canvas, True
    FigureCanvasAgg(fig)
    return widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px")), False


def _fast_diff_image(canvas):
    """matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` with a fast PNG.

    The frame that ipympl sends after every redraw is a PNG of the pixels
    that changed; zlib level 1 instead of 6 encodes it about 1.5x faster for
    a slightly larger message (it goes to a local browser).
    """
    from PIL import Image

    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    buff = pixels.view(np.uint32).squeeze(2)
    if canvas._force_full or buff.shape != canvas._last_buff.shape or (pixels[:, :, 3] != 255).any():
        canvas.set_image_mode("full")
        output = buff
    else:
        canvas.set_image_mode("diff")
        output = np.where(buff != canvas._last_buff, buff, 0)
    canvas._last_buff = buff.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    with io.BytesIO() as png:
        Image.fromarray(output.view(dtype=np.uint8).reshape((*output.shape, 4))).save(
            png, format="png", compress_level=1)
        return png.getvalue()


def render_rgba(fig, dpi):
    """Render ``fig`` at ``dpi`` into an RGBA array (savefig detaches the
    canvas manager while printing, so a live view gets no resize message).

    Returns
    -------
    ndarray of uint8, shape (height, width, 4)
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    width, height = (int(round(v * dpi)) for v in fig.get_size_inches())
    return np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(height, width, 4)


class Backdrop(Artist):
    """The static figure, rendered once per dpi and drawn as one image.

    It sits under everything else in the live figure.  Rendering happens
    on a separate figure and canvas, so it is safe inside a draw of the live
    figure (e.g. when ipympl changes the dpi for a HiDPI screen).

    Parameters
    ----------
    static_fig : Figure
        With its own (Agg) canvas.
    rc : dict
        matplotlib rc parameters to render it with.
    """

    def __init__(self, static_fig, rc):
        super().__init__()
        self.static_fig = static_fig
        self._rc = rc
        self._cache = {}
        self.set_zorder(-100)

    def invalidate(self):
        """Forget the rendered image (after the static figure changed)."""
        self._cache.clear()
        self.stale = True

    def image(self, dpi):
        """The static figure at ``dpi``, shape (height, width, 4), bottom row first."""
        if dpi not in self._cache:
            import matplotlib

            with matplotlib.rc_context(self._rc):
                self.static_fig.set_dpi(dpi)
                self.static_fig.canvas.draw()
            self._cache = {dpi: np.asarray(self.static_fig.canvas.buffer_rgba())[::-1].copy()}
        return self._cache[dpi]

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.image(self.figure.dpi))
        gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None):
        return self.figure.bbox

    def get_tightbbox(self, renderer=None):
        return self.figure.bbox
