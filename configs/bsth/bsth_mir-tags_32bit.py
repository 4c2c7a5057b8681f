# BSTH on MIR Flickr real labels and real 1,386-d tags with SYNTHETIC image
# features (the VGG features are not available here; see the data set
# base). Reference architecture, weights and schedule. Make the file with
#   python tools/data/prepare_shared.py mirflickr data/mir_tags.mat
_base_ = [
    '../_base_/datasets/mir_tags.py', '../_base_/methods/bsth.py',
    '../_base_/schedules/bsth_140e.py', '../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
