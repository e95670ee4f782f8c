# The barycenter attack sends point j's mass to the atoms containing j.  At an
# atom z the classifier gets proba(z)[class of j] of each member's share right.
import numpy as np

from advot_teach import optimal_adversarial_risk
from advot_teach.exercises.nb06 import attack_case


def correct_mass_under_attack(barycenter, codes, proba):
    P = proba(barycenter.support)  # (atoms, K)
    total = 0.0
    for a, (mass, members) in enumerate(zip(barycenter.mass, barycenter.members)):
        total += mass * sum(P[a, codes[j]] for j in members)
    return total


X, y, eps = attack_case()
result = optimal_adversarial_risk(X, y, eps)
print(round(correct_mass_under_attack(result.barycenter, result.codes, result.predict_proba), 4),
      round(1 - result.risk, 4))  # equal: the attack holds the optimal classifier to 1 - R*
answer = correct_mass_under_attack
