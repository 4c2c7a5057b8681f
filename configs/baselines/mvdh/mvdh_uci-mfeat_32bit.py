_base_ = [
    '../../_base_/datasets/uci_mfeat.py', '../../_base_/methods/mvdh.py',
    '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_clusters={{_base_.num_classes}})
