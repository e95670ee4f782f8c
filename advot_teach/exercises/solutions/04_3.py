# The adversary shifts N(-a, s^2) right and N(a, s^2) left by eps; the Bayes
# error of N(-(a - eps), s^2) against N(a - eps, s^2) is Phi(-(a - eps) / s).
# Once eps >= a both classes can be moved onto the same distribution.
from scipy.stats import norm


def population_risk(eps, a, s):
    if eps >= a:
        return 0.5
    return norm.cdf((eps - a) / s)


answer = population_risk
