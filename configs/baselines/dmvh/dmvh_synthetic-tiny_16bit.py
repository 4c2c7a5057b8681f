_base_ = [
    '../../_base_/datasets/synthetic_tiny.py', '../../_base_/methods/dmvh.py',
    '../../_base_/default_runtime.py'
]

model = dict(num_bits=16, num_anchors=50, num_neighbors=5)
