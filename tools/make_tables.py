# Copyright (c) mhash contributors. All rights reserved.
"""Tables and curves of a benchmark folder, from its results store only.

Examples:
    python tools/make_tables.py work_dirs/benchmarks/synthetic_default
    python tools/make_tables.py OUT_DIR --metrics mAP precision@1000 \
        --formats md csv --no-curves
"""
import argparse
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Write Markdown / CSV / LaTeX tables and PR / '
        'precision@K curves from a benchmark results store')
    parser.add_argument('out_dir', help='benchmark folder (results.jsonl)')
    parser.add_argument('--metrics', nargs='+', help='metrics to tabulate '
                        '(default: mAP, mAP@K, precision@K, training time, '
                        'encoding time per item)')
    parser.add_argument('--formats', nargs='+', default=['md', 'csv', 'tex'],
                        choices=['md', 'csv', 'tex'])
    parser.add_argument('--no-curves', action='store_true',
                        help='skip the PNG curves')
    parser.add_argument('--spec', help='spec file for order, names and the '
                        'published mapping (default: the copy saved by '
                        'the grid)')
    parser.add_argument('--quiet', action='store_true',
                        help='do not print the mAP table')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from mhash.benchmark import (
        ResultsStore,
        build_comparison_table,
        load_benchmark_spec,
        render_markdown,
        write_benchmark_report,
    )
    spec = load_benchmark_spec(args.spec).to_dict() if args.spec else None
    written = write_benchmark_report(
        args.out_dir, metrics=args.metrics, formats=args.formats,
        curves=not args.no_curves, spec=spec)
    if not args.quiet:
        from mhash.benchmark.report import load_saved_spec
        records = ResultsStore(args.out_dir).records()
        table = build_comparison_table(
            records, 'mAP', spec or load_saved_spec(args.out_dir))
        print(render_markdown(table))
    print(f'{len(written)} files written under {args.out_dir}:')
    for path in written:
        print(f'  {osp.relpath(path, args.out_dir)}')
    return 0


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    sys.exit(main())
