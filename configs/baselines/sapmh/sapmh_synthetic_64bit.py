_base_ = [
    '../../_base_/datasets/synthetic.py', '../../_base_/methods/sapmh.py',
    '../../_base_/default_runtime.py'
]

# rho and nu scale as (32 / num_bits)^2: the similarity terms grow with
# k^2 (see the SAPMH docstring).
model = dict(num_bits=64, rho=2.5e-9, nu=2.5e-6)
