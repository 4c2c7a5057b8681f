_base_ = [
    '../../_base_/datasets/synthetic_tiny.py',
    '../../_base_/methods/pca_itq.py', '../../_base_/default_runtime.py'
]

model = dict(
    num_bits=16,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}})
