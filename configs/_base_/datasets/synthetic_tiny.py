# A tiny synthetic problem (200 training pairs, 400 database, 60 queries,
# 6 classes, 64-d image, 48-d text) for tests and smoke runs.
_base_ = ['./synthetic.py']

generator = dict(num_train=200, num_retrieval=400, num_query=60,
                 num_classes=6, image_dim=64, text_dim=48, seed=0)
image_dim = 64
text_dim = 48
num_classes = 6

train_dataloader = dict(batch_size=64, dataset=dict(generator=generator))
val_dataloader = dict(batch_size=128, dataset=dict(generator=generator))
test_dataloader = val_dataloader
