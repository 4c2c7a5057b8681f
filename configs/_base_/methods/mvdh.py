# MvDH (Shen et al. ACM TIST 2018): shared binary factor of the kernelised
# views, adaptive view weights, joint clustering of the codes, DCC updates.
# num_clusters is set to the data set's number of classes in the configs.
model = dict(
    type='MvDH',
    num_bits=32,
    num_anchors=500,
    num_clusters=24,
    cluster_weight=1e-2,
    view_exponent=2.0,
    factor_reg=1e-2,
    projection_reg=1e-2,
    num_iters=10,
    dcc_sweeps=3,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
