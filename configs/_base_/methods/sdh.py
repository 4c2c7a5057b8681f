# SDH (Shen et al. CVPR 2015) on the concatenated views, with the paper's
# settings: 1000 random anchors, lambda = 1, nu = 1e-5, 5 outer rounds.
model = dict(
    type='SDH',
    num_bits=32,
    num_anchors=1000,
    anchor_method='random',
    classifier_reg=1.0,
    code_penalty=1e-5,
    projection_reg=1e-2,
    num_outer_iters=5,
    dcc_sweeps=5,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
