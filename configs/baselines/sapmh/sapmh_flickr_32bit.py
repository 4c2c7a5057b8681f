_base_ = [
    '../../_base_/datasets/mirflickr.py', '../../_base_/methods/sapmh.py',
    '../../_base_/default_runtime.py'
]

model = dict(num_bits=32)
