# DeepFusionHash on MIR Flickr real labels and real tags with SYNTHETIC
# image features (the minimal deep baseline beside
# configs/bsth/bsth_mir-tags_32bit.py). Make the file with
#   python tools/data/prepare_shared.py mirflickr data/mir_tags.mat
_base_ = [
    '../../_base_/datasets/mir_tags.py',
    '../../_base_/methods/deep_fusion.py',
    '../../_base_/schedules/adam_50e.py', '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
