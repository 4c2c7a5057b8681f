_base_ = [
    '../../_base_/datasets/mirflickr.py', '../../_base_/methods/sapmh.py',
    '../../_base_/default_runtime.py'
]

# rho and nu scale as (32 / num_bits)^2: the similarity terms grow with
# k^2 (see the SAPMH docstring).
model = dict(num_bits=32, rho=1e-8, nu=1e-5)
