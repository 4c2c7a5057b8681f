# DMVH (Yang et al., ICMR 2017): kernel-fused views, a sparse same-label
# 15-nearest-neighbour graph, discrete codes with a learned rotation; 500
# random anchors, beta = gamma = 0.1, 20 alternating iterations.
model = dict(
    type='DMVH',
    num_bits=32,
    num_anchors=500,
    num_neighbors=15,
    beta=0.1,
    gamma=0.1,
    max_iter=20,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
