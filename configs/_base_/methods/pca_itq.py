# PCA-ITQ (Gong & Lazebnik 2011) on the concatenated views: top-k PCA, then
# 50 rotations of iterative quantization. Fitted once by ShallowFitLoop.
model = dict(type='PCAITQ', num_bits=32, num_iters=50, seed=0)
optim_wrapper = dict()
train_cfg = dict(type='ShallowFitLoop')
