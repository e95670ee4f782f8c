# The monotone coupling is the north-west corner rule on sorted atoms: start at
# P[0, 0], move as much mass as both atoms allow, then step right or down; mass
# never crosses.  x = [0, 1] with a = [1/2, 1/2];
# y = [0, 1, 2] with b = [1/4, 1/4, 1/2].
import numpy as np

a = np.array([0.5, 0.5])
b = np.array([0.25, 0.25, 0.5])
P = np.zeros((2, 3))
i = j = 0
left_a, left_b = a.copy(), b.copy()
while i < len(a) and j < len(b):
    move = min(left_a[i], left_b[j])  # as much as both atoms allow
    P[i, j] += move
    left_a[i] -= move
    left_b[j] -= move
    if left_a[i] <= 1e-15:
        i += 1
    else:
        j += 1
answer = P  # [[0.25, 0.25, 0], [0, 0, 0.5]]
