# W_inf = sup over levels s of |F^{-1}(s) - G^{-1}(s)|.
# F^{-1}: 0 on (0, 1/2], 1 on (1/2, 3/4], 2 on (3/4, 1]
# G^{-1}: 0.5 on (0, 1/2], 2.5 on (1/2, 1]
# gaps:   0.5,             1.5,          0.5          -> 1.5
from advot_teach.transport import w_inf_1d

answer = w_inf_1d([0.0, 1.0, 2.0], [0.5, 2.5], [0.5, 0.25, 0.25], [0.5, 0.5])  # 1.5
