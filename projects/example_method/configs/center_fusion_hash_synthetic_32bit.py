# The embedded synthetic default (MIR Flickr sizes); synthetic results.
_base_ = [
    '../../../configs/_base_/datasets/synthetic.py',
    './_base_/center_fusion_hash.py',
    '../../../configs/_base_/schedules/adam_50e.py',
    '../../../configs/_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
