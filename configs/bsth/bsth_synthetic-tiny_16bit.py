# A smoke-test sized BSTH run (seconds on a CPU) on the tiny synthetic
# problem: narrow MLPs and tokens, 20 stage-1 and 6 stage-2 epochs.
# Synthetic-data settings, not the reference's.
_base_ = [
    '../_base_/datasets/synthetic_tiny.py', '../_base_/methods/bsth.py',
    '../_base_/schedules/bsth_140e.py', '../_base_/default_runtime.py'
]

model = dict(
    num_bits=16,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}},
    image_hidden_dims=(64, 32),
    text_hidden_dims=(64, 32))
train_cfg = dict(max_epochs=6, prototype_epochs=20, val_interval=6,
                 prototype_log_interval=5)
optim_wrapper = dict(
    hash_encoder=dict(optimizer=dict(lr=3e-3)),
    label_prototypes=dict(optimizer=dict(lr=1e-2)))
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=1))
