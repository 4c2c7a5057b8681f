# SDMH (Lu et al., IEEE TMM 2020): supervised discrete multi-view hashing on
# anchor RBF views; 600 random anchors and beta / delta / gamma / alpha / t of
# the authors' MIR Flickr script, 30 alternating iterations.
model = dict(
    type='SDMH',
    num_bits=32,
    num_anchors=600,
    beta=1e3,
    delta=1e5,
    gamma=1e5,
    alpha=1e-3,
    weight_exponent=2.0,
    max_iter=30,
    seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
