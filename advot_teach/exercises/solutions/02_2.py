# In 1-D the sorted (monotone) matching is optimal for every W_p.
import numpy as np

x = np.array([0.0, 1.0, 3.0])
y = np.array([6.0, 1.0, 2.0])
gaps = np.abs(np.sort(x) - np.sort(y))  # [1, 1, 3]
w1 = gaps.mean()                        # 5/3
w2 = np.sqrt((gaps**2).mean())          # sqrt(11/3)
answer = (w1, w2)
