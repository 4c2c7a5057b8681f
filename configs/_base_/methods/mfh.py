# MFH (Song et al. ACM MM 2011), span-restricted: sparse kNN graph per view,
# 300 k-means RBF anchors per view, an m x m generalised eigenproblem.
model = dict(
    type='MFH', num_bits=32, num_anchors=300, num_neighbors=10, ridge=0.1,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
