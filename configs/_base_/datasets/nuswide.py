# NUS-WIDE in the BSTH reference layout: 21,000 training pairs, 193,749
# database items, 2,085 queries, 21 classes, 4,096-d VGG image features,
# 1,000-d bag-of-words text. Put the official file data/nus_cnn_twt.mat in
# place (see README), or override data_root.
_base_ = ['./reference_file.py']

data_file = 'nus_cnn_twt.mat'
image_dim = 4096
text_dim = 1000
num_classes = 21
_dataset = dict(data_file=data_file, metainfo=dict(name='NUS-WIDE'))
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = val_dataloader
