# LSH: signs of random Gaussian projections of the concatenated views
# (data-independent). Shallow methods are fitted once by ShallowFitLoop; the
# Runner requires an optim_wrapper, and an empty dict builds an empty one.
model = dict(type='LSH', num_bits=32, balance_views=True, seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
