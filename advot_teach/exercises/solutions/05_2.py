# Three l2 discs of radius eps share a point iff the smallest enclosing circle
# of their centres has radius <= eps.  Right or obtuse triangle: the longest
# side is a diameter.  Acute triangle: the circumcircle.
import numpy as np


def triple_radius(P):
    a = np.linalg.norm(P[1] - P[2])
    b = np.linalg.norm(P[0] - P[2])
    c = np.linalg.norm(P[0] - P[1])
    longest, s1, s2 = sorted([a, b, c], reverse=True)
    if longest**2 >= s1**2 + s2**2:  # angle opposite the longest side >= 90 degrees
        return longest / 2
    u, v = P[1] - P[0], P[2] - P[0]
    area = abs(u[0] * v[1] - u[1] * v[0]) / 2
    return a * b * c / (4 * area)  # circumradius


answer = triple_radius
