# Two points 0 (class 0) and 1 (class 1), mass 1/2 each.  lambda must dominate
# both moved classes.  If the closed eps-balls meet (eps >= 1/2), both halves can
# move to 1/2 and one atom of mass 1/2 dominates both; otherwise the two moved
# classes sit apart and lambda needs mass 1/2 + 1/2.
def barycenter_mass(eps):
    return 0.5 if eps >= 0.5 else 1.0


answer = barycenter_mass
