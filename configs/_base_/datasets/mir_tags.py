# MIR Flickr real labels and real tags (1,386-d) with SYNTHETIC image
# features (the VGG features are not available here). Same split sizes as
# the paper. Make the file with
#   python tools/data/prepare_shared.py mirflickr data/mir_tags.mat
_base_ = ['./mirflickr.py']

data_file = 'mir_tags.mat'
_dataset = dict(
    data_file=data_file,
    metainfo=dict(name='MIR Flickr labels+tags, synthetic image'))
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = val_dataloader
