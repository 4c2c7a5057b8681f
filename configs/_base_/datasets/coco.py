# MS COCO in the BSTH reference layout: 18,000 training pairs, 82,783 database,
# 5,981 queries, 80 classes, 4,096-d VGG image features, 2,000-d bag-of-words
# text. Put the official file data/coco_cnn_twt_2014.mat in place (see README),
# or
# override data_root.
_base_ = ['./retrieval_eval.py']

dataset_type = 'MultiModalHashDataset'
data_root = 'data'
data_file = 'coco_cnn_twt_2014.mat'
image_dim = 4096
text_dim = 2000
num_classes = 80

train_dataloader = dict(
    batch_size=1024,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='train',
                 data_root=data_root, metainfo=dict(name='MS COCO')))
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_file=data_file, split='query',
                 data_root=data_root, metainfo=dict(name='MS COCO')))
test_dataloader = val_dataloader
