# Copyright (c) mhash contributors. All rights reserved.
"""Re-score hash codes made elsewhere under mhash's and peers' definitions.

Reads the reference BSTH output (``.mat`` with ``retrieval_B``, ``val_B``,
``L_db``, ``L_te``; MATLAB v5 or v7.3), an ``.npz`` / ``.h5`` file (e.g.
mhash's ``test_codes.npz``) or four ``.npy`` files, and prints mAP@all and
mAP@K side by side under each named definition (see
``mhash/benchmark/peer_scorers.py``), so one sees why numbers differ.

Examples:
    python tools/evaluate_codes.py bsth_mir_32bit.mat
    python tools/evaluate_codes.py work_dirs/run/20250101_000000/test_codes.npz
    python tools/evaluate_codes.py qB.npy rB.npy qL.npy rL.npy --topk 500
    python tools/evaluate_codes.py codes.h5 --key query_codes=Bq \
        --key retrieval_codes=Bdb --binarize --json scores.json
"""
import argparse
import json
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Score hash codes under mhash\'s metric and the peer '
        'definitions, side by side')
    parser.add_argument('inputs', nargs='+', help='one .mat / .npz / .h5 '
                        'file, or four .npy files: query codes, retrieval '
                        'codes, query labels, retrieval labels')
    parser.add_argument('--key', action='append', default=[],
                        metavar='ROLE=NAME', help='array name of a role '
                        '(query_codes, retrieval_codes, query_labels, '
                        'retrieval_labels) when it is not a known alias')
    parser.add_argument('--topk', nargs='+', type=int,
                        default=[100, 500, 1000], help='K of mAP@K')
    parser.add_argument('--binarize', action='store_true',
                        help='take the sign of real-valued codes')
    parser.add_argument('--unstable-dtype', default='float64',
                        choices=['float32', 'float64'],
                        help='dtype of the emulated reference distances '
                        '(the tie order of an unstable sort depends on it)')
    parser.add_argument('--json', help='also write the scores to this file')
    return parser.parse_args(argv)


def _keys(pairs):
    keys = {}
    for pair in pairs:
        if '=' not in pair:
            raise SystemExit(f'--key expects ROLE=NAME; got "{pair}"')
        role, name = pair.split('=', 1)
        keys[role.strip()] = name.strip()
    return keys


def format_side_by_side(result: dict, source: str) -> str:
    """The scores as an aligned text table, with the difference to mhash."""
    from mhash.benchmark.peer_scorers import (
        MAP_AT_K_DEFINITIONS,
        MAP_DEFINITIONS,
    )
    counts = result['counts']
    lines = [
        f'Codes: {source}',
        f'  {counts["num_queries"]} queries ({counts["num_valid_queries"]} '
        f'with a relevant item) x {counts["num_retrieval"]} database items, '
        f'{counts["num_bits"]} bits', '',
        f'{"metric":<10} {"definition":<31} {"value":>7} {"- mhash":>8}  '
        'meaning', '-' * 100
    ]
    reference = {metric: value for metric, name, value in result['rows']
                 if name == 'mhash'}
    previous = None
    for metric, name, value in result['rows']:
        meanings = MAP_DEFINITIONS if metric == 'mAP@all' else \
            MAP_AT_K_DEFINITIONS
        shown = metric if metric != previous else ''
        previous = metric
        lines.append(f'{shown:<10} {name:<31} {value:7.4f} '
                     f'{value - reference[metric]:+8.4f}  {meanings[name]}')
    lines += [
        '', 'mhash = the protocol of mhash.evaluation (stable ties, mean '
        'over queries with a relevant item). The unstable-tie value is an '
        'emulation: the real scorer\'s tie order depends on its numpy build,'
        ' distance dtype and CPU; the best / worst cases bound any order.'
    ]
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    import numpy as np

    from mhash.benchmark.code_files import load_code_set
    from mhash.benchmark.peer_scorers import score_peer_definitions
    arrays = load_code_set(args.inputs, keys=_keys(args.key),
                           binarize=args.binarize)
    result = score_peer_definitions(
        arrays['query_codes'], arrays['retrieval_codes'],
        arrays['query_labels'], arrays['retrieval_labels'],
        topk=args.topk, unstable_dtype=getattr(np, args.unstable_dtype))
    source = ', '.join(args.inputs)
    print(format_side_by_side(result, source))
    if args.json:
        content = dict(source=source, counts=result['counts'],
                       scores=[dict(metric=m, definition=d, value=v)
                               for m, d, v in result['rows']])
        with open(args.json, 'w') as f:
            json.dump(content, f, indent=2)
        print(f'\nScores written to {args.json}')
    return result


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
