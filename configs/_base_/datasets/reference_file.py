# Loaders for a data file in the BSTH reference layout (keys I_tr T_tr L_tr
# I_db T_db L_db I_te T_te L_te) under data_root. The data set bases that
# inherit it name the file and its dimensions.
_base_ = ['./retrieval_eval.py']

dataset_type = 'MultiModalHashDataset'
data_root = 'data'

train_dataloader = dict(
    batch_size=1024,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, split='train', data_root=data_root))
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, split='query', data_root=data_root))
test_dataloader = val_dataloader
