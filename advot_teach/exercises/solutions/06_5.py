# At eps = 0.55 every two discs overlap in a lens, but no point is in all three.
# A deterministic classifier gives each point of a lens one label, so one of
# the lens's two points is misclassified there.  The three lenses need a
# "vertex cover" of the triangle: at least 2 of the 3 points err.  Giving the
# whole disc of point 0 to class 0 reaches it: risk 2/3 (> R* = 1/2).
from itertools import product

lenses = [(0, 1), (0, 2), (1, 2)]
best = 1.0
for labels in product(range(3), repeat=3):  # the label each lens gets
    wrong = set()
    for (i, j), label in zip(lenses, labels):
        wrong |= {k for k in (i, j) if k != label}
    best = min(best, len(wrong) / 3)
answer = best  # 2/3
