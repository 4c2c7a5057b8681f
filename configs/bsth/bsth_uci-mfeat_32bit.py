# BSTH on UCI Multiple Features (real data, 10 digit classes, single label):
# the 216-d "fac" view as image, the 76-d "fou" view as text. Reference
# architecture and weights; small-data setting: batch 256 (from the data set
# base) and 30 stage-2 epochs. Make the file with
#   python tools/data/prepare_shared.py uci data/uci_mfeat.mat
_base_ = [
    '../_base_/datasets/uci_mfeat.py', '../_base_/methods/bsth.py',
    '../_base_/schedules/bsth_140e.py', '../_base_/default_runtime.py'
]

model = dict(
    num_bits=32,
    image_dim={{_base_.image_dim}},
    text_dim={{_base_.text_dim}},
    num_classes={{_base_.num_classes}})
train_cfg = dict(max_epochs=30, val_interval=10)
