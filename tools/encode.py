# Copyright (c) mhash contributors. All rights reserved.
"""Encode a split (or any feature file) into packed binary codes.

Reads the features a block of rows at a time (memory: one block, about
64 MiB, plus the packed codes), encodes them with a trained checkpoint and
writes an ``.npz`` code file (``codes`` packed ``uint8``, ``ids`` = row
indices, ``num_bits``) for ``tools/search.py``.

Examples:
    python tools/encode.py CONFIG CHECKPOINT data/nus_cnn_twt.mat \
        --split retrieval --out work_dirs/nus_db_codes.npz
    python tools/encode.py CONFIG CHECKPOINT features.h5 \
        --image-key image --text-key text --out codes.npz
"""
import argparse
import os.path as osp
import sys
import time

import numpy as np
from mmengine.config import DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Encode features into packed hash codes')
    parser.add_argument('config', help='config file of the trained method')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('features', help='.mat (v7.3 or v5), .h5 or .npz')
    parser.add_argument('--split', help='reference split to encode: train, '
                        'retrieval or query (keys I_*/T_*)')
    parser.add_argument('--image-key', help='key of the image features')
    parser.add_argument('--text-key', help='key of the text features')
    parser.add_argument('--layout', default='auto',
                        choices=['auto', 'rows', 'columns'])
    parser.add_argument('--out', required=True, help='output .npz file')
    parser.add_argument('--batch-size', type=int, default=1024)
    parser.add_argument('--block-rows', type=int,
                        help='rows read at a time (default: ~64 MiB)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='config overrides, e.g. model.num_bits=64')
    args = parser.parse_args(argv)
    if args.split is None and (args.image_key is None
                               or args.text_key is None):
        parser.error('give --split, or both --image-key and --text-key')
    return args


def main(argv=None):
    args = parse_args(argv)
    from mhash.search import (PairedFeatureReader, encode_features,
                              load_hash_model, save_code_file)

    try:
        reader = PairedFeatureReader(args.features, args.split,
                                     args.image_key, args.text_key,
                                     args.layout)
        model, cfg = load_hash_model(args.config, args.checkpoint,
                                     args.device, args.cfg_options)
        start = time.perf_counter()
        codes = encode_features(model, reader, args.batch_size,
                                args.block_rows, model_cfg=cfg.model)
    except (ValueError, FileNotFoundError, KeyError) as error:
        raise SystemExit(f'encode: {error}')
    seconds = time.perf_counter() - start
    save_code_file(
        args.out, codes, np.arange(len(reader)), model.num_bits,
        meta=dict(source=osp.abspath(args.features),
                  keys=','.join(reader.keys),
                  config=osp.abspath(args.config),
                  checkpoint=osp.abspath(args.checkpoint)))
    print(f'Encoded {len(reader):,} items ({",".join(reader.keys)}) into '
          f'{model.num_bits}-bit codes in {seconds:.1f} s -> {args.out}')
    return args.out


if __name__ == '__main__':
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    main()
