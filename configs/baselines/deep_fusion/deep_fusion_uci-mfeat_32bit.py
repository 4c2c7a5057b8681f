# DeepFusionHash on UCI Multiple Features (real data; "fac" view as image,
# "fou" as text). Small-data setting: 50 epochs, batch 256. Make the file
# with  python tools/data/prepare_shared.py uci data/uci_mfeat.mat
_base_ = [
    '../../_base_/datasets/uci_mfeat.py',
    '../../_base_/methods/deep_fusion.py',
    '../../_base_/schedules/adam_50e.py', '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
