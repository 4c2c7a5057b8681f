# A seconds-long grid for tests and smoke runs: two methods x two bit
# lengths x two seeds on the tiny synthetic problem (synthetic results).
methods = dict(
    DeepFusionHash=dict(
        config='configs/baselines/deep_fusion/'
        'deep_fusion_{dataset}_16bit.py',
        cfg_options={'train_cfg.max_epochs': 1}),
    LSH=dict(
        config='configs/baselines/lsh/lsh_{dataset}_16bit.py',
        # LSH draws its projections from its own seed.
        cfg_options={'model.seed': '{seed}'}),
)
datasets = {'synthetic-tiny': dict(name='Synthetic (tiny)')}
bits = [8, 16]
seeds = [0, 1]
# Quiet logs, no checkpoint per epoch, no validation pass during training
# (the test pass is what the tables report).
cfg_options = {
    'log_level': 'WARNING',
    'default_hooks.checkpoint.interval': 1000,
    'val_cfg': None,
    'val_dataloader': None,
    'val_evaluator': None,
}
