# Copyright (c) mhash contributors. All rights reserved.
"""Convert the small real data sets of ``../shared/data`` to the reference
layout, for checks on real data (never commit the outputs).

``uci``: UCI Multiple Features (2,000 handwritten digits, 10 classes, six
views). Two views become the "image" and "text" modalities (default: the
216-d profile correlations ``fac`` and the 76-d Fourier coefficients
``fou``). Split: ``--num-query`` queries (stratified), the rest is the
database, ``--num-train`` training pairs drawn from the database.

``mirflickr``: MIR Flickr-25K's real labels (24 concepts) and real tags
(1,386-d binary bag of words, the text modality of the BSTH paper). Its
VGG image features are *not* available, so the image modality is
synthetic, generated from the real labels
(:func:`mhash.datasets.synthetic_image_view`); report results as "MIR Flickr
labels + tags with synthetic image features". Split as in the paper: 2,243
queries, 17,772 database, 5,000 training pairs from the database.

Examples:
    python tools/data/prepare_shared.py uci data/uci_mfeat.mat
    python tools/data/prepare_shared.py mirflickr data/mir_tags.mat
"""
import argparse
import os.path as osp

import numpy as np

from mhash.datasets import save_reference_file, synthetic_image_view

SHARED = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared', 'data')


def _split(rng, n, num_query, num_train, strata=None):
    if strata is None:
        order = rng.permutation(n)
        query = order[:num_query]
    else:
        classes = np.unique(strata)
        per_class = num_query // len(classes)
        query = np.concatenate([
            rng.choice(np.flatnonzero(strata == c), per_class, replace=False)
            for c in classes
        ])
    retrieval = np.setdiff1d(np.arange(n), query)
    retrieval = retrieval[rng.permutation(len(retrieval))]
    train = np.sort(rng.choice(retrieval, num_train, replace=False))
    return query, retrieval, train


def _arrays(image, text, labels, query, retrieval, train):
    out = {}
    for suffix, rows in (('tr', train), ('db', retrieval), ('te', query)):
        out[f'I_{suffix}'] = image[rows]
        out[f'T_{suffix}'] = text[rows]
        out[f'L_{suffix}'] = labels[rows]
    return out


def prepare_uci(args):
    src = args.src or osp.join(SHARED, 'uci_mfeat', 'views.npz')
    data = np.load(src)
    for view in (args.image_view, args.text_view):
        if view not in data.files:
            raise SystemExit(f'{src}: no view "{view}"; views are '
                             f'{[k for k in data.files if k != "labels"]}')
    digits = data['labels']
    labels = np.eye(int(digits.max()) + 1, dtype=np.uint8)[digits]
    rng = np.random.default_rng(args.seed)
    query, retrieval, train = _split(rng, len(digits), args.num_query or 200,
                                     args.num_train or 1000, digits)
    return _arrays(data[args.image_view].astype(np.float32),
                   data[args.text_view].astype(np.float32), labels, query,
                   retrieval, train)


def prepare_mirflickr(args):
    src = args.src or osp.join(SHARED, 'mirflickr25k', 'labels_tags.npz')
    data = np.load(src)
    labels = data['labels'].astype(np.uint8)
    text = data['tags'].astype(np.float32)
    image = synthetic_image_view(labels, image_dim=args.image_dim,
                                 seed=args.seed)
    rng = np.random.default_rng(args.seed)
    query, retrieval, train = _split(rng, len(labels), args.num_query or 2243,
                                     args.num_train or 5000)
    return _arrays(image, text, labels, query, retrieval, train)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert ../shared/data sets to the reference layout')
    parser.add_argument('dataset', choices=['uci', 'mirflickr'])
    parser.add_argument('out', help='output .mat / .h5 / .npz')
    parser.add_argument('--src', help='source .npz (default: ../shared/data)')
    parser.add_argument('--image-view', default='fac', help='uci only')
    parser.add_argument('--text-view', default='fou', help='uci only')
    parser.add_argument('--image-dim', type=int, default=4096,
                        help='mirflickr only: synthetic image width')
    parser.add_argument('--num-query', type=int)
    parser.add_argument('--num-train', type=int)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    prepare = prepare_uci if args.dataset == 'uci' else prepare_mirflickr
    arrays = prepare(args)
    save_reference_file(args.out, arrays)
    shapes = ', '.join(f'{k} {v.shape}' for k, v in arrays.items())
    print(f'Wrote {args.out}: {shapes}')


if __name__ == '__main__':
    main()
