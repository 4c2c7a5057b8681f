# SAPMH (Zheng et al., IEEE TMM 2021), fully paired: shared latent H with
# adaptive view weights, asymmetric label similarity; 500 random anchors,
# h = 128, theta / lambda of the authors' MIR Flickr script, rho / nu tuned
# on the synthetic set (see the model docstring).
model = dict(
    type='SAPMH',
    num_bits=32,
    num_anchors=500,
    latent_dim=128,
    theta=1e-4,
    rho=1e-8,
    lam=100.0,
    nu=1e-5,
    max_iter=30,
    query_iter=5,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
