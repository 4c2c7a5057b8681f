# MS COCO in the BSTH reference layout: 18,000 training pairs, 82,783 database
# items, 5,981 queries, 80 classes, 4,096-d VGG image features, 2,000-d
# bag-of-words text. Put the official file data/coco_cnn_twt_2014.mat in place
# (see README), or override data_root.
_base_ = ['./reference_file.py']

data_file = 'coco_cnn_twt_2014.mat'
image_dim = 4096
text_dim = 2000
num_classes = 80
_dataset = dict(data_file=data_file, metainfo=dict(name='MS COCO'))
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = val_dataloader
