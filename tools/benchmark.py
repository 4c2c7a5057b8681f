# Copyright (c) mhash contributors. All rights reserved.
"""Run a benchmark grid (methods x data sets x bits x seeds), resumably.

Every cell trains and tests through ``tools/train.py``'s ``build_config``;
each finished cell is appended at once to ``OUT_DIR/results.jsonl``, so a
rerun skips the finished cells. Tables and curves are made from the store
by ``tools/make_tables.py`` (or ``--tables`` here, after the grid).

Examples:
    python tools/benchmark.py configs/benchmarks/synthetic_default.py \
        --out-dir work_dirs/benchmarks/synthetic --tables
    python tools/benchmark.py configs/benchmarks/tiny.py \
        --out-dir /tmp/bench --in-process --max-cells 1
"""
import argparse
import os.path as osp
import sys

from mmengine.config import DictAction

TOOLS_DIR = osp.dirname(osp.abspath(__file__))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Run a resumable benchmark grid')
    parser.add_argument('spec', nargs='?',
                        help='grid spec file (.py, .json or .yaml)')
    parser.add_argument('--out-dir', help='output folder (store, runs, '
                        'tables); default work_dirs/benchmarks/<spec>')
    parser.add_argument('--in-process', action='store_true',
                        help='run the cells in this process (faster start; '
                        'default: one child process per cell)')
    parser.add_argument('--max-cells', type=int,
                        help='stop after running this many cells')
    parser.add_argument('--fail-fast', action='store_true',
                        help='stop at the first failed cell')
    parser.add_argument('--cell-timeout', type=float,
                        help='seconds before a child cell is killed')
    parser.add_argument('--methods', nargs='+', help='run only these '
                        'methods of the spec')
    parser.add_argument('--datasets', nargs='+', help='only these data sets')
    parser.add_argument('--bits', nargs='+', type=int, help='only these '
                        'bit lengths')
    parser.add_argument('--seeds', nargs='+', type=int, help='only these '
                        'seeds')
    parser.add_argument('--dry-run', action='store_true',
                        help='list the cells and whether they are stored')
    parser.add_argument('--tables', action='store_true',
                        help='write tables and curves after the grid')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='overrides for every cell, after the spec, e.g. '
        'train_dataloader.dataset.data_root=/data')
    parser.add_argument('--worker', metavar='TASK_JSON',
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is None and args.spec is None:
        parser.error('the spec file is required')
    return args


def _tool(name: str):
    """Import a sibling tool (``tools/<name>.py``) as a module."""
    import importlib
    if TOOLS_DIR not in sys.path:
        sys.path.insert(0, TOOLS_DIR)
    return importlib.import_module(name)


def build_cell_config(task: dict):
    """A cell's config, built exactly as ``tools/train.py`` builds one."""
    train = _tool('train')
    args = train.parse_args(
        [task['config'], '--work-dir', task['work_dir'], '--overwrite'])
    args.cfg_options = dict(task['cfg_options'])
    return train.build_config(args)


def main(argv=None):
    args = parse_args(argv)
    from mhash.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    from mhash.benchmark import (
        InProcessCellExecutor,
        ResultsStore,
        SubprocessCellExecutor,
        load_benchmark_spec,
        run_benchmark_grid,
    )
    if args.worker is not None:
        from mhash.benchmark.cell_runner import run_worker
        run_worker(args.worker, build_cell_config)
        return 0
    spec = load_benchmark_spec(args.spec)
    spec.restrict(args.methods, args.datasets, args.bits, args.seeds)
    out_dir = args.out_dir or osp.join(
        'work_dirs', 'benchmarks', osp.splitext(osp.basename(args.spec))[0])
    if args.dry_run:
        finished = ResultsStore(out_dir).finished()
        cells = spec.cells()
        for method, dataset, bits, reason in spec.skipped:
            print(f'left out: {method} on {dataset} at {bits} bits: {reason}')
        for i, cell in enumerate(cells, 1):
            state = 'stored' if cell.key in finished else 'to run'
            print(f'[{i}/{len(cells)}] {cell.cell_id}: {state} '
                  f'({osp.relpath(cell.config)})')
        return 0
    if args.in_process:
        execute = InProcessCellExecutor(build_cell_config)
    else:
        execute = SubprocessCellExecutor(
            [sys.executable, osp.abspath(__file__), '--worker'],
            timeout=args.cell_timeout)
    try:
        summary = run_benchmark_grid(
            spec, out_dir, execute, extra_cfg_options=args.cfg_options,
            max_cells=args.max_cells, fail_fast=args.fail_fast,
            log=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        stored = len(ResultsStore(out_dir).records())
        print(f'\nInterrupted: {stored} finished cell(s) are in '
              f'{out_dir}/results.jsonl; run the same command to continue.')
        return 130
    failed = summary['failed']
    print(f'Grid: {summary["total"]} cells, {summary["skipped"]} already '
          f'stored, {summary["ran"]} run now, {len(failed)} failed.')
    for cell_id, message in failed:
        print(f'  FAILED {cell_id}: {message.splitlines()[0]}')
    if args.tables:
        _tool('make_tables').main([out_dir])
    return 1 if failed else 0


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(TOOLS_DIR))
    sys.exit(main())
