# A smoke-test sized run (seconds on a CPU) on the tiny synthetic problem.
_base_ = [
    '../../_base_/datasets/synthetic_tiny.py',
    '../../_base_/methods/deep_fusion.py',
    '../../_base_/schedules/adam_50e.py', '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=16,
    hidden_dim=64,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
train_cfg = dict(max_epochs=6, val_interval=6)
optim_wrapper = dict(optimizer=dict(lr=3e-3))
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=1))
