_base_ = [
    '../../_base_/datasets/synthetic.py',
    '../../_base_/methods/deep_fusion.py',
    '../../_base_/schedules/adam_50e.py', '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
train_cfg = dict(max_epochs=20, val_interval=10)
