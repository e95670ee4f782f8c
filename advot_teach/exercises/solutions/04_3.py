# The adversary shifts N(-m, s^2) right and N(m, s^2) left by eps; the Bayes
# error of N(-(m - eps), s^2) against N(m - eps, s^2) is Phi(-(m - eps) / s).
# Once eps >= m both classes can be moved onto the same distribution.
from scipy.stats import norm


def population_risk(eps, m, s):
    if eps >= m:
        return 0.5
    return norm.cdf((eps - m) / s)


answer = population_risk
