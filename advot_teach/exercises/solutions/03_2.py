# Quantile function of N(m, sigma^2): F^{-1}(s) = m + sigma * Phi^{-1}(s).
# Averaging quantile functions averages m and sigma separately.
w1, w2 = 0.25, 0.75
mean = w1 * (-2.0) + w2 * 4.0  # 2.5
std = w1 * 1.0 + w2 * 3.0      # 2.5
answer = (mean, std)
