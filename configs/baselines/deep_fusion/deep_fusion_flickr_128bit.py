_base_ = ['./deep_fusion_flickr_32bit.py']

model = dict(num_bits=128)
