_base_ = [
    '../../_base_/datasets/uci_mfeat.py', '../../_base_/methods/sdmh.py',
    '../../_base_/default_runtime.py'
]

model = dict(num_bits=32)
