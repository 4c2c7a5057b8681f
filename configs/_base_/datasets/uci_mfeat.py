# UCI Multiple Features (real data, 10 digit classes): the "fac" view
# (216-d) as image, the "fou" view (76-d) as text; 1,000 training pairs,
# 1,800 database, 200 queries. Make the file with
#   python tools/data/prepare_shared.py uci data/uci_mfeat.mat
_base_ = ['./mirflickr.py']

data_file = 'uci_mfeat.mat'
image_dim = 216
text_dim = 76
num_classes = 10
_dataset = dict(data_file=data_file, metainfo=dict(name='UCI mfeat fac+fou'))
train_dataloader = dict(batch_size=256, dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = val_dataloader
