# The paper's grid: MIR Flickr, NUS-WIDE and MS COCO at 16 / 32 / 64 / 128
# bits, three seeds. Needs the reference files in data/ (mir_cnn_twt.mat,
# nus_cnn_twt.mat, coco_cnn_twt_2014.mat; see docs/benchmarks.md). The
# tables put the published mAP@all (mhash/benchmark/published.py) beside
# ours for the methods of the published table (BSTH, MFH, MvDH, DMVH, FOMH,
# SAPMH); the other methods are run for reference.
#
#   python tools/benchmark.py configs/benchmarks/paper_mir_nus_coco.py \
#       --out-dir work_dirs/benchmarks/paper --tables
#
# Configs follow configs/<group>/<method>/<method>_<dataset>_<bits>bit.py;
# those not written yet (e.g. NUS-WIDE / COCO) are listed and left out.
_shallow = {'model.seed': '{seed}'}


def _template(group, name):
    return f'configs/{group}/{name}/{name}_{{dataset}}_{{bits}}bit.py'


methods = {
    'BSTH': dict(config='configs/bsth/bsth_{dataset}_{bits}bit.py'),
    'MFH': dict(config=_template('baselines', 'mfh'), cfg_options=_shallow),
    'MvDH': dict(config=_template('baselines', 'mvdh'),
                 cfg_options=_shallow),
    'DMVH': dict(config=_template('baselines', 'dmvh'),
                 cfg_options=_shallow),
    'FOMH': dict(config=_template('baselines', 'fomh'),
                 cfg_options=_shallow),
    'SAPMH': dict(config=_template('baselines', 'sapmh'),
                  cfg_options=_shallow),
    'SDMH': dict(config=_template('baselines', 'sdmh'),
                 cfg_options=_shallow),
    'SDH': dict(config=_template('baselines', 'sdh'), cfg_options=_shallow),
    'PCA-ITQ': dict(config=_template('baselines', 'pca_itq'),
                    cfg_options=_shallow),
    'LSH': dict(config=_template('baselines', 'lsh'), cfg_options=_shallow),
    'DeepFusionHash': dict(config=_template('baselines', 'deep_fusion')),
}
datasets = {
    'flickr': dict(name='MIR Flickr', published='MIR Flickr'),
    'nuswide': dict(name='NUS-WIDE', published='NUS-WIDE'),
    'coco': dict(name='MS COCO', published='MS COCO'),
}
bits = [16, 32, 64, 128]
seeds = [0, 1, 2]
missing_configs = 'skip'
# The tables report the test pass after training (the final model); a
# validation pass would only pick the "best" checkpoint, at the cost of
# encoding both splits again.
cfg_options = {
    'val_cfg': None,
    'val_dataloader': None,
    'val_evaluator': None,
}
