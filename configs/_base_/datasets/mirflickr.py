# MIR Flickr in the BSTH reference layout: 5,000 training pairs, 17,772
# database items, 2,243 queries, 24 classes, 4,096-d VGG image features,
# 1,386-d bag-of-words text. Put the official file data/mir_cnn_twt.mat in
# place (see README), or override data_root.
_base_ = ['./reference_file.py']

data_file = 'mir_cnn_twt.mat'
image_dim = 4096
text_dim = 1386
num_classes = 24
_dataset = dict(data_file=data_file, metainfo=dict(name='MIR Flickr'))
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = val_dataloader
