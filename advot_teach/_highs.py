"""A silent HiGHS instance (highspy), shared by the warm-started LP solvers."""

__all__ = ["new_highs"]


def new_highs():
    """A silent HiGHS instance, or None when highspy is not installed."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return None, None
    # The bare pybind class prints no banner; the Python subclass registers
    # callbacks, which makes HiGHS print its banner before options are set.
    core = getattr(highspy, "_core", None)
    h = core._Highs() if core is not None and hasattr(core, "_Highs") else highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h, highspy
