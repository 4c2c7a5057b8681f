# Copyright (c) mhash contributors. All rights reserved.
"""How much each modality carries: image only, text only, both.

Trains :class:`~mhash.methods.baselines.DeepFusionHash` three times on a
reference-layout data file — once with the text features zeroed, once with
the image features zeroed, once with both — and prints the test mAP@all of
each, plus random codes. On the synthetic default, fusing both modalities
should beat either alone (each modality sees a different, noisy part of the
labels).

Example:
    python tools/analysis/check_modalities.py data/synthetic/synthetic_*.mat
"""
import argparse
import time

import numpy as np
import torch

from mhash.datasets import read_split
from mhash.evaluation import HashRetrievalMetric
from mhash.methods.baselines import DeepFusionHash


def _encode(model, image, text, batch_size=2048):
    with torch.no_grad():
        return torch.cat([
            model.encode(image[i:i + batch_size], text[i:i + batch_size])
            for i in range(0, len(image), batch_size)
        ]).sign().numpy()


def run(path: str, use: str, num_bits: int, epochs: int, seed: int) -> float:
    torch.manual_seed(seed)
    splits = {
        name: [torch.from_numpy(a) for a in read_split(path, name)]
        for name in ('train', 'query', 'retrieval')
    }
    for name, (image, text, _) in splits.items():
        if use == 'text':
            image.zero_()
        elif use == 'image':
            text.zero_()
    image, text, labels = splits['train']
    labels = labels.float()
    model = DeepFusionHash(num_bits, image.shape[1], text.shape[1],
                           labels.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(labels)).split(1024):
            loss = sum(
                model.loss(image[batch], text[batch], labels[batch]).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    query = _encode(model, *splits['query'][:2])
    retrieval = _encode(model, *splits['retrieval'][:2])
    return HashRetrievalMetric.calculate(query, retrieval,
                                         splits['query'][2].numpy(),
                                         splits['retrieval'][2].numpy())['mAP']


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_file')
    parser.add_argument('--bits', type=int, default=32)
    parser.add_argument('--epochs', type=int, default=20)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    _, _, query_labels = read_split(args.data_file, 'query')
    _, _, retrieval_labels = read_split(args.data_file, 'retrieval')
    rng = np.random.default_rng(args.seed)
    random_map = HashRetrievalMetric.calculate(
        rng.choice([-1, 1], (len(query_labels), args.bits)),
        rng.choice([-1, 1], (len(retrieval_labels), args.bits)),
        query_labels, retrieval_labels)['mAP']
    print(f'{args.data_file}: DeepFusionHash, {args.bits} bits, '
          f'{args.epochs} epochs')
    print(f'{"random codes":14s} mAP@all {random_map:.4f}')
    for use in ('image', 'text', 'both'):
        start = time.perf_counter()
        value = run(args.data_file, use, args.bits, args.epochs, args.seed)
        print(f'{use + " only" if use != "both" else "both (fused)":14s} '
              f'mAP@all {value:.4f}  ({time.perf_counter() - start:.0f} s)')


if __name__ == '__main__':
    main()
