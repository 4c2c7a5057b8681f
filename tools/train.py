# Copyright (c) mhash contributors. All rights reserved.
"""Train a hashing method, then evaluate it on the test split.

Examples:
    python tools/train.py configs/bsth/bsth_flickr_32bit.py
    python tools/train.py CONFIG --work-dir work_dirs/run1 \
        --cfg-options model.num_bits=64 train_cfg.max_epochs=10
    python tools/train.py CONFIG --resume            # latest checkpoint
    python tools/train.py CONFIG --resume path/to/epoch_20.pth
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.runner import Runner


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train a multi-modal hashing method and test it')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='folder for logs, checkpoints, '
                        'metrics and codes (default: work_dirs/<config>)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest one in '
        'the work dir when no path is given')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='start a fresh run in a work dir that already holds one (its '
        'checkpoints may be overwritten)')
    parser.add_argument(
        '--amp', action='store_true', help='mixed precision (GPU only)')
    parser.add_argument(
        '--no-test',
        action='store_true',
        help='do not evaluate on the test split after training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. model.num_bits=64')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def build_config(args) -> Config:
    from mhash.utils import check_config, load_run_config
    cfg = load_run_config(args.config, args.cfg_options, args.work_dir,
                          args.launcher)
    if args.amp:
        import torch
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a CUDA GPU; none is available, so '
                             'train in float32 without --amp')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    elif not args.overwrite and osp.isfile(
            osp.join(cfg.work_dir, 'last_checkpoint')):
        raise SystemExit(
            f'Work dir "{cfg.work_dir}" already holds a run (see its '
            'last_checkpoint). Use --resume to continue it, --work-dir to '
            'start a new run elsewhere, or --overwrite to start afresh in '
            'the same folder.')
    check_config(cfg)
    return cfg


def main(argv=None):
    args = parse_args(argv)
    from mhash.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    cfg = build_config(args)
    from mhash.utils import prepare_cpu_distributed
    prepare_cpu_distributed(cfg)  # gloo and CPU DDP when there is no GPU
    runner = Runner.from_cfg(cfg)
    runner.train()
    if not args.no_test and cfg.get('test_cfg') is not None:
        from mhash.utils import format_metrics
        metrics = runner.test()
        runner.logger.info(f'Final test metrics: {format_metrics(metrics)}')
        runner.logger.info(f'Metrics and codes saved in {runner.log_dir}')


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
