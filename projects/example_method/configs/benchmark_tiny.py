# A benchmark grid with the example method beside a shipped baseline, on the
# tiny synthetic problem (seconds per cell; synthetic results). Run with
#   python tools/benchmark.py projects/example_method/configs/benchmark_tiny.py
# Config paths are relative to the repository root; {dataset} and {bits}
# are filled in per cell, and the bits go to model.num_bits.
methods = dict(
    CenterFusionHash=dict(
        config='projects/example_method/configs/'
        'center_fusion_hash_{dataset}_16bit.py'),
    DeepFusionHash=dict(
        config='configs/baselines/deep_fusion/'
        'deep_fusion_{dataset}_16bit.py'),
)
datasets = {'synthetic-tiny': dict(name='Synthetic (tiny)')}
bits = [16, 32]
seeds = [0]
# Quiet logs, and no checkpoint but the last one.
cfg_options = {
    'log_level': 'WARNING',
    'default_hooks.checkpoint.interval': 1000,
}
