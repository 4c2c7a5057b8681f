# Copyright (c) mhash contributors. All rights reserved.
"""Search a packed-code database with new (image, text) query pairs.

The queries are encoded with the trained checkpoint (the out-of-sample
extension: no retraining), then the database written by
``tools/encode.py`` is ranked by Hamming distance (ties by database
index, as in the evaluation). Prints the top-k ids with their distances,
or saves them (``.npz``: ``ids``, ``distances``; ``.json``; ``.csv``).

Examples:
    python tools/search.py CONFIG CHECKPOINT work_dirs/db_codes.npz \
        data/nus_cnn_twt.mat --split query --topk 10
    python tools/search.py CONFIG CHECKPOINT db_codes.npz new_pairs.npz \
        --image-key image --text-key text --topk 100 --out results.npz
    python tools/search.py ... --radius 2 --out within_2.json
"""
import argparse
import json
import os.path as osp
import sys
import time

import numpy as np
from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Hamming search with new query pairs')
    parser.add_argument('config', help='config file of the trained method')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('database', help='code file from tools/encode.py')
    parser.add_argument('queries', help='query features: .mat, .h5, .npz')
    parser.add_argument('--split', help='reference split of the queries '
                        '(e.g. query: keys I_te/T_te)')
    parser.add_argument('--image-key', help='key of the image features')
    parser.add_argument('--text-key', help='key of the text features')
    parser.add_argument('--layout', default='auto',
                        choices=['auto', 'rows', 'columns'])
    parser.add_argument('--topk', type=int, default=10)
    parser.add_argument('--radius', type=int,
                        help='return every item within this Hamming '
                        'distance instead of the top-k')
    parser.add_argument('--backend', default='auto',
                        choices=['auto', 'numpy', 'faiss'])
    parser.add_argument('--out', help='save to .npz, .json or .csv')
    parser.add_argument('--show', type=int, default=5,
                        help='queries printed when --out is not given')
    parser.add_argument('--batch-size', type=int, default=1024)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='config overrides')
    args = parser.parse_args(argv)
    if args.split is None and (args.image_key is None
                               or args.text_key is None):
        parser.error('give --split, or both --image-key and --text-key')
    if args.out and osp.splitext(args.out)[1] not in ('.npz', '.json',
                                                      '.csv'):
        parser.error(f'--out "{args.out}": use a .npz, .json or .csv file')
    return args


def main(argv=None):
    args = parse_args(argv)
    from mhash.search import (HammingIndex, PairedFeatureReader,
                              encode_features, load_code_file,
                              load_hash_model)
    try:
        database = load_code_file(args.database)
        reader = PairedFeatureReader(args.queries, args.split,
                                     args.image_key, args.text_key,
                                     args.layout)
        if len(reader) == 0:
            raise ValueError(f'"{args.queries}": keys {list(reader.keys)} '
                             'hold no query pairs (empty query file)')
        model, cfg = load_hash_model(args.config, args.checkpoint,
                                     args.device, args.cfg_options)
        if model.num_bits != database['num_bits']:
            raise ValueError(
                f'"{args.database}" holds {database["num_bits"]}-bit codes '
                f'but the checkpoint encodes {model.num_bits}-bit codes: '
                'encode the database with the same checkpoint')
        start = time.perf_counter()
        queries = encode_features(model, reader, args.batch_size,
                                  model_cfg=cfg.model)
        index = HammingIndex(database['num_bits'], args.backend)
        index.add(database['codes'], ids=database['ids'])
        if args.radius is None:
            distances, ids = index.search(queries, args.topk)
            lims = np.arange(0, ids.size + 1, max(ids.shape[1], 1))
            distances, ids = distances.ravel(), ids.ravel()
        else:
            lims, distances, ids = index.range_search(queries, args.radius)
    except (ValueError, FileNotFoundError, KeyError) as error:
        raise SystemExit(f'search: {error}')
    seconds = time.perf_counter() - start
    what = f'top-{min(args.topk, index.ntotal)}' if args.radius is None \
        else f'radius {args.radius}'
    print(f'{len(reader):,} queries x {index.ntotal:,} items '
          f'({database["num_bits"]} bits, {what}, backend '
          f'{index.backend_name}): {seconds:.2f} s')
    if args.out:
        save_results(args.out, lims, distances, ids, args.radius is None)
        print(f'Saved to {args.out}')
    else:
        for query in range(min(args.show, len(reader))):
            part = slice(lims[query], lims[query + 1])
            pairs = ' '.join(f'{i}:{d}'
                             for i, d in zip(ids[part], distances[part]))
            print(f'query {query}: {pairs}')
    return lims, distances, ids


def save_results(path, lims, distances, ids, fixed_k: bool) -> None:
    """Write the results; ``lims`` delimits each query's rows."""
    ext = osp.splitext(path)[1]
    num_query = len(lims) - 1
    if ext == '.npz':
        if fixed_k:
            np.savez(path, ids=ids.reshape(num_query, -1),
                     distances=distances.reshape(num_query, -1))
        else:
            np.savez(path, lims=lims, ids=ids, distances=distances)
    elif ext == '.json':
        rows = [
            dict(query=q,
                 ids=ids[lims[q]:lims[q + 1]].tolist(),
                 distances=distances[lims[q]:lims[q + 1]].tolist())
            for q in range(num_query)
        ]
        with open(path, 'w') as f:
            json.dump(rows, f)
    else:
        with open(path, 'w') as f:
            f.write('query,rank,id,distance\n')
            for q in range(num_query):
                for rank, position in enumerate(range(lims[q], lims[q + 1])):
                    f.write(f'{q},{rank},{ids[position]},'
                            f'{distances[position]}\n')


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
