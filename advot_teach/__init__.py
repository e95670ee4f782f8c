"""advot_teach: support package for the course
"Adversarial robustness through optimal transport".

The exact solvers for the optimal adversarial risk R*(eps) = 1 - B*(eps)
(Garcia Trillos, Jacobs, Kim 2023) are available at the top level; the other
modules are imported explicitly, one idea each:

=============================  ===============================================
``advot_teach.geometry``       the threat norms (one ``Norm`` each: distance,
                               dual, Helly rule, birth radius, drawing,
                               projection), the tolerance rule ``alive``
``advot_teach.hypergraph``     the conflict hypergraph of a labelled data set
``advot_teach.lp``             the barycenter LP: one HiGHS model, its
                               tolerances, warm starts and barycenter assembly
``advot_teach.risk``           R* at one eps, the generalized barycenter,
                               the robust classifier (result object)
``advot_teach.paths``          R*(eps) along many eps at once (warm-started)
``advot_teach.levels``         the exact step function R*(eps) with an optimal
                               primal-dual pair per level (the explorer's)
``advot_teach.classifier``     the robust classifier read off a dual q, also
                               on a pixel grid for many (q, eps)
``advot_teach.binary``         all two-class code: matching, transport, paths
``advot_teach.sinkhorn``       entropic lower bounds that scale
``advot_teach.transport``      couplings, W_p, W_inf, couplings within eps
``advot_teach.barycenters``    Wasserstein barycenters, multimarginal LP
``advot_teach.models``         numpy classifiers with explicit backpropagation
``advot_teach.attacks``        FGSM and PGD attacks, adversarial training
``advot_teach.datasets``       the course's data sets (all seeded)
``advot_teach.datafiles``      reading X, y (and weights) from .npz/.npy/.csv
``advot_teach.cli``            ``python -m advot_teach``: R*(eps) of your data
``advot_teach.plots``          matplotlib drawings (never solve)
``advot_teach.widgets``        eps-slider explorers (only connect solvers and
                               plots)
``advot_teach.exercises``      checkers and on-demand solutions
``advot_teach._validation``    the one input-checking layer of every public
                               function (how ``norm`` and ``eps=inf`` read)
=============================  ===============================================

Imports form no cycle: ``geometry`` and ``lp`` import no other module of
the package; ``hypergraph``, ``binary``, ``paths`` and ``risk`` build on
them in that order, ``levels`` on ``lp``; plots and widgets on the solvers.
Only ``lp`` imports ``highspy``.
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
