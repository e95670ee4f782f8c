# At eps = 0.6 > 1/sqrt(3) ~ 0.577 the three discs share the triangle's centre.
# Pairs only (L = 2): each pair can merge mass 1/6, total barycenter 1/2.
from advot_teach import datasets, optimal_adversarial_risk

X, y = datasets.triangle()
r2 = optimal_adversarial_risk(X, y, 0.6, max_order=2).risk  # 1/2
r3 = optimal_adversarial_risk(X, y, 0.6).risk  # 2/3
answer = (r2, r3)
