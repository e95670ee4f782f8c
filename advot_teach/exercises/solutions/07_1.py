# Every hyperedge of at most L points covers at most L units of weight per
# unit of mass, so B = sum_e z_e >= sum_j w_j / L = 1 / L and R*_L <= 1 - 1/L.
# Balanced classes (at least L of them) inside one eps-ball attain it: all
# L-point sets with one point per class are hyperedges, and spreading the
# mass evenly over them covers every point exactly with B = 1/L.
def ceiling(L):
    return 1 - 1 / L


answer = ceiling
