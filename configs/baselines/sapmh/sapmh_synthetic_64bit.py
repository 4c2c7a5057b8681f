_base_ = [
    '../../_base_/datasets/synthetic.py', '../../_base_/methods/sapmh.py',
    '../../_base_/default_runtime.py'
]

model = dict(num_bits=64)
