# Copyright (c) mhash contributors. All rights reserved.
"""Evaluate a trained checkpoint by retrieval on the test split.

Example:
    python tools/test.py configs/bsth/bsth_flickr_32bit.py \
        work_dirs/bsth_flickr_32bit/epoch_140.pth
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import DictAction
from mmengine.runner import Runner


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Test a trained hashing method by retrieval')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='folder for the test outputs')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. test_dataloader.batch_size=256')
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


def main(argv=None):
    args = parse_args(argv)
    from mhash.utils import (check_config, format_metrics, load_run_config,
                             register_all_modules)
    register_all_modules(init_default_scope=False)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'Checkpoint "{args.checkpoint}" does not exist')
    cfg = load_run_config(args.config, args.cfg_options, args.work_dir,
                          args.launcher)
    cfg.load_from = args.checkpoint
    cfg.resume = False
    check_config(cfg)
    from mhash.utils import prepare_cpu_distributed
    prepare_cpu_distributed(cfg)  # gloo and CPU DDP when there is no GPU
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    runner.logger.info(f'Test metrics: {format_metrics(metrics)}')
    runner.logger.info(f'Metrics and codes saved in {runner.log_dir}')


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
