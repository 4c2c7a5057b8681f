# FOMH (Lu et al., ACM MM 2019), batch form: flexible multi-modal binary
# projections with adaptive weights and asymmetric supervised codes; 1000
# random anchors and beta / gamma / rho of the authors' script; alpha = 1e-3
# (their 1e-5 is for chunks of 1000 pairs, see the model docstring).
model = dict(
    type='FOMH',
    num_bits=32,
    num_anchors=1000,
    alpha=1e-3,
    beta=1e-1,
    gamma=1e-3,
    rho=1e-1,
    max_iter=10,
    query_iter=5,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
