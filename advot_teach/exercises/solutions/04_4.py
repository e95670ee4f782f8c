# R*(eps) > 0 iff some pair of points from different classes conflicts,
# i.e. their distance is <= 2 eps.  The first such eps is half the smallest
# distance between the classes (the first breakpoint of R*).
import numpy as np

from advot_teach.exercises.nb04 import first_conflict_data

X, y = first_conflict_data()
D = np.linalg.norm(X[y == 0][:, None, :] - X[y == 1][None, :, :], axis=2)
answer = D.min() / 2
# Check with the package: advot_teach.risk_breakpoints(X, y)[0] is the same number.
