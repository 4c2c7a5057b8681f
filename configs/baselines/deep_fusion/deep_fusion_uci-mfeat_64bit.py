_base_ = ['./deep_fusion_uci-mfeat_32bit.py']

model = dict(num_bits=64)
