import numpy as np

# The three balls first meet at the centre of the triangle, at distance
# side / sqrt(3) from every corner (the circumradius).
answer = 1 / np.sqrt(3)
