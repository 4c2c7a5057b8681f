# The reference schedule: stage 1 = 100 full-batch epochs of the label
# prototype module, stage 2 = 140 epochs of the hash function (the MIR Flickr
# setting of the reference script), each stage with its own Adam (lr 1e-3).
optim_wrapper = dict(
    constructor='SubmoduleOptimWrapperConstructor',
    hash_encoder=dict(optimizer=dict(type='Adam', lr=1e-3)),
    label_prototypes=dict(optimizer=dict(type='Adam', lr=1e-3)))
train_cfg = dict(
    type='BSTHTrainLoop', max_epochs=140, prototype_epochs=100,
    val_interval=10)
