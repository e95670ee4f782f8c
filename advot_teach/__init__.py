"""advot_teach: support package for the course
"Adversarial robustness through optimal transport".

The exact solvers for the optimal adversarial risk R*(eps) = 1 - B*(eps)
(Garcia Trillos, Jacobs, Kim 2023) are available at the top level; the other
modules are imported explicitly, one idea each:

==========================  ==================================================
``advot_teach.geometry``    norms, ball-intersection tests, birth radii
``advot_teach.hypergraph``  the conflict hypergraph of a labelled data set
``advot_teach.risk``        R*, the generalized barycenter, the robust classifier
``advot_teach.paths``       R*(eps) along many eps at once (warm-started)
``advot_teach.binary``      two-class R* by matching and by optimal transport
``advot_teach.sinkhorn``    entropic lower bounds that scale
``advot_teach.transport``   couplings, W_p and W_inf
``advot_teach.barycenters`` Wasserstein barycenters, multimarginal LP
``advot_teach.models``      numpy classifiers with explicit backpropagation
``advot_teach.attacks``     FGSM and PGD attacks, adversarial training
``advot_teach.datasets``    the course's data sets (all seeded)
``advot_teach.plots``       matplotlib drawings (never solve)
``advot_teach.widgets``     eps-slider explorers (wire solvers to plots)
``advot_teach.exercises``   checkers and on-demand solutions
==========================  ==================================================
"""
__version__ = "0.1.0"

from .risk import (  # noqa: E402
    AdversarialRiskResult,
    Barycenter,
    adversarial_risk_curve,
    optimal_adversarial_risk,
    risk_breakpoints,
)

__all__ = [
    "optimal_adversarial_risk",
    "adversarial_risk_curve",
    "risk_breakpoints",
    "sinkhorn_adversarial_risk",
    "AdversarialRiskResult",
    "Barycenter",
]


def __getattr__(name):
    # The entropic solver lives in its own module; import it on first use.
    if name == "sinkhorn_adversarial_risk":
        from .sinkhorn import sinkhorn_adversarial_risk

        return sinkhorn_adversarial_risk
    raise AttributeError(f"module 'advot_teach' has no attribute {name!r}")
