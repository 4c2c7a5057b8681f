# BSTH with the reference architecture and hyper-parameters on the embedded
# synthetic data set (MIR Flickr sizes). SYNTHETIC-DATA SETTING: 5 stage-2
# epochs instead of 140, so that the run (stage 1, stage 2, validation and
# test) takes a few minutes on a 2-core CPU. Its mAP is a synthetic result.
_base_ = [
    '../_base_/datasets/synthetic.py', '../_base_/methods/bsth.py',
    '../_base_/schedules/bsth_140e.py', '../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
train_cfg = dict(max_epochs=5, val_interval=5)
default_hooks = dict(logger=dict(interval=5))
