default_scope = 'mhash'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Keeps the last checkpoints and the best one by validation mAP.
    checkpoint=dict(
        type='CheckpointHook',
        interval=10,
        max_keep_ckpts=2,
        save_best='retrieval/mAP',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)

# CPU runs may add env_cfg.cpu_allocator, an opt-in glibc malloc setting,
# e.g. dict(mmap_threshold=1 << 30, trim_threshold=1 << 30): freed blocks
# below 1 GiB are kept for reuse instead of being unmapped and page-faulted
# again; resident memory then stays near the run's peak. Absent = glibc's
# defaults. See mhash/utils/cpu_allocator.py.
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

log_processor = dict(by_epoch=True, window_size=10)
log_level = 'INFO'
load_from = None
resume = False

# The reference implementation's seed.
randomness = dict(seed=2021, deterministic=False)
