# Quantile function of N(m, sigma^2): F^{-1}(s) = m + sigma * Phi^{-1}(s).
# Averaging quantile functions averages m and sigma separately.
alpha1, alpha2 = 0.25, 0.75
mean = alpha1 * (-2.0) + alpha2 * 4.0  # 2.5
std = alpha1 * 1.0 + alpha2 * 3.0      # 2.5
answer = (mean, std)
