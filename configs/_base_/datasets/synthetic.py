# The embedded synthetic default: MIR Flickr sizes (5,000 training pairs,
# 17,772 database, 2,243 queries, 24 classes, 4,096-d image, 1,386-d text),
# generated once into data/synthetic/ in the reference .mat layout.
# Results on it are synthetic results, not MIR Flickr's.
_base_ = ['./retrieval_eval.py']

dataset_type = 'SyntheticMultiModalDataset'
data_root = 'data/synthetic'
generator = dict(num_train=5000, num_retrieval=17772, num_query=2243,
                 num_classes=24, image_dim=4096, text_dim=1386, seed=0)
image_dim = 4096
text_dim = 1386
num_classes = 24

train_dataloader = dict(
    batch_size=1024,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, split='train', data_root=data_root,
                 generator=generator))
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, split='query', data_root=data_root,
                 generator=generator))
test_dataloader = val_dataloader
