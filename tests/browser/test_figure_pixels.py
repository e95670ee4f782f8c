"""The tick-label measurement of the projector check, on figures of known font size
(no browser needed)."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from figure_pixels import DIGIT_EM, x_tick_label_px


def _render(tick_px, *, panels=1, dpi=100):
    fig = Figure(figsize=(4 * panels, 3.5), dpi=dpi)
    FigureCanvasAgg(fig)
    for k in range(panels):
        ax = fig.add_subplot(1, panels, k + 1)
        ax.plot([0, 1], [0, 1])
        ax.set_title("a title")
        ax.tick_params(labelsize=tick_px * 72 / dpi)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


@pytest.mark.parametrize("tick_px", [14.0, 18.0, 20.0, 26.0])
def test_tick_label_size_is_read_to_within_one_pixel_of_a_digit(tick_px):
    (size,) = x_tick_label_px(_render(tick_px))
    assert abs(size - tick_px) <= 1 / DIGIT_EM


def test_every_axis_side_by_side_and_not_a_frame_without_labels():
    rgb = _render(20.0, panels=2)
    assert len(x_tick_label_px(rgb)) == 2
    # a frame with no ticks (a map) gives nothing
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xticks([])
    ax.set_yticks([])
    fig.canvas.draw()
    assert x_tick_label_px(np.asarray(fig.canvas.buffer_rgba())) == []
