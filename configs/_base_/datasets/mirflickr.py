# MIR Flickr in the BSTH reference layout: 5,000 training pairs, 17,772
# database,
# 2,243 queries, 24 classes, 4,096-d VGG image features, 1,386-d bag-of-words
# text. Put the official file data/mir_cnn_twt.mat in place (see README), or
# override data_root.
_base_ = ['./retrieval_eval.py']

dataset_type = 'MultiModalHashDataset'
data_root = 'data'
data_file = 'mir_cnn_twt.mat'
image_dim = 4096
text_dim = 1386
num_classes = 24

train_dataloader = dict(
    batch_size=1024,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='train',
                 data_root=data_root, metainfo=dict(name='MIR Flickr')))
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='query',
                 data_root=data_root, metainfo=dict(name='MIR Flickr')))
test_dataloader = val_dataloader
