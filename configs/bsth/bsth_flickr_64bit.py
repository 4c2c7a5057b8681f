_base_ = [
    '../_base_/datasets/mirflickr.py', '../_base_/methods/bsth.py',
    '../_base_/schedules/bsth_140e.py', '../_base_/default_runtime.py'
]

model = dict(
    num_bits=64,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
