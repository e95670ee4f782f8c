"""Exercises of notebook 00 (welcome)."""
import numpy as np

from . import register


@register("00.1", "when do three balls meet")
def _triangle_meeting_radius(answer):
    value = float(answer)
    target = 1 / np.sqrt(3)  # circumradius of the side-1 equilateral triangle
    if abs(value - target) < 1e-6:
        return None
    if abs(value - 0.5) < 1e-6:
        return "at eps = 1/2 every *pair* of balls touches, but the three balls share a point only later."
    return "the common point is the triangle's centre; how far is it from a corner?"
