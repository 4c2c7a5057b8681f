# NUS-WIDE in the BSTH reference layout: 21,000 training pairs, 193,749
# database,
# 2,085 queries, 21 classes, 4,096-d VGG image features, 1,000-d bag-of-words
# text. Put the official file data/nus_cnn_twt.mat in place (see README), or
# override data_root.
_base_ = ['./retrieval_eval.py']

dataset_type = 'MultiModalHashDataset'
data_root = 'data'
data_file = 'nus_cnn_twt.mat'
image_dim = 4096
text_dim = 1000
num_classes = 21

train_dataloader = dict(
    batch_size=1024,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='train',
                 data_root=data_root, metainfo=dict(name='NUS-WIDE')))
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='query',
                 data_root=data_root, metainfo=dict(name='NUS-WIDE')))
test_dataloader = val_dataloader
