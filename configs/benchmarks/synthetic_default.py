# Every available method on the embedded synthetic default (MIR Flickr
# sizes: 5,000 training pairs, 17,772 database, 2,243 queries, 24 classes,
# 4,096-d image, 1,386-d text). Synthetic results: they say how methods
# behave on this generator, nothing about MIR Flickr. A few minutes per
# cell on a CPU for the deep method; the shallow ones take seconds.
#
#   python tools/benchmark.py configs/benchmarks/synthetic_default.py \
#       --out-dir work_dirs/benchmarks/synthetic_default --tables
_shallow = {'model.seed': '{seed}'}  # shallow methods draw from their seed
methods = {
    'LSH': dict(config='configs/baselines/lsh/lsh_{dataset}_32bit.py',
                cfg_options=_shallow),
    'PCA-ITQ': dict(
        config='configs/baselines/pca_itq/pca_itq_{dataset}_32bit.py',
        cfg_options=_shallow),
    'SDH': dict(config='configs/baselines/sdh/sdh_{dataset}_32bit.py',
                cfg_options=_shallow),
    'MFH': dict(config='configs/baselines/mfh/mfh_{dataset}_32bit.py',
                cfg_options=_shallow),
    'MvDH': dict(config='configs/baselines/mvdh/mvdh_{dataset}_32bit.py',
                 cfg_options=_shallow),
    'FOMH': dict(config='configs/baselines/fomh/fomh_{dataset}_32bit.py',
                 cfg_options=_shallow),
    'SAPMH': dict(
        config='configs/baselines/sapmh/sapmh_{dataset}_32bit.py',
        cfg_options=_shallow),
    'DMVH': dict(config='configs/baselines/dmvh/dmvh_{dataset}_32bit.py',
                 cfg_options=_shallow),
    'SDMH': dict(config='configs/baselines/sdmh/sdmh_{dataset}_32bit.py',
                 cfg_options=_shallow),
    'DeepFusionHash': dict(config='configs/baselines/deep_fusion/'
                           'deep_fusion_{dataset}_32bit.py'),
    'BSTH': dict(config='configs/bsth/bsth_{dataset}_32bit.py'),
}
datasets = {'synthetic': dict(name='Synthetic default')}
bits = [16, 32, 64]
seeds = [0, 1]
# The tables report the test pass after training; a validation pass (which
# encodes both splits again) would only pick the "best" checkpoint.
cfg_options = {
    'default_hooks.checkpoint.interval': 1000,
    'val_cfg': None,
    'val_dataloader': None,
    'val_evaluator': None,
}
# Methods whose config has not landed yet are listed and left out.
missing_configs = 'skip'
