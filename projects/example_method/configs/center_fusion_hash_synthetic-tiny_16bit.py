# A smoke-test sized run (seconds on a CPU) on the tiny synthetic problem;
# its results are synthetic results. The shared bases are found through
# relative paths, the method through `custom_imports` in its base.
_base_ = [
    '../../../configs/_base_/datasets/synthetic_tiny.py',
    './_base_/center_fusion_hash.py',
    '../../../configs/_base_/schedules/adam_50e.py',
    '../../../configs/_base_/default_runtime.py'
]

model = dict(
    num_bits=16,
    hidden_dim=64,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
train_cfg = dict(max_epochs=12, val_interval=12)
optim_wrapper = dict(optimizer=dict(lr=1e-2))
default_hooks = dict(checkpoint=dict(interval=12))
