_base_ = ['./bsth_uci-mfeat_32bit.py']

model = dict(num_bits=64)
