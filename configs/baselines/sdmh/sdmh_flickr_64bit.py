_base_ = [
    '../../_base_/datasets/mirflickr.py', '../../_base_/methods/sdmh.py',
    '../../_base_/default_runtime.py'
]

model = dict(num_bits=64)
