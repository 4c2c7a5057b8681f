# Copyright (c) mhash contributors. All rights reserved.
"""Fit time and peak memory of a shallow method on a data set of given size.

Builds the ``model`` of a config, fits it on synthetic arrays of the asked
size (default NUS-WIDE's training split: 21,000 pairs, 4,096-d image,
1,000-d text, 21 classes; labels multi-hot, features class prototypes plus
noise) and encodes ``--encode`` further pairs. Prints the fit and encode
times and the peak resident memory of the process (the arrays included).
Run one method per process so the peaks do not mix. Synthetic timings say
nothing about retrieval quality.

Example:
    python tools/analysis/benchmark_shallow_fit.py \\
        configs/baselines/sdmh/sdmh_flickr_64bit.py --num-train 21000 \\
        --image-dim 4096 --text-dim 1000 --num-classes 21
"""
import argparse
import json
import resource
import sys
import time

import torch
from mmengine.config import Config

from mhash.registry import MODELS
from mhash.utils import register_all_modules


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config whose model is fitted')
    parser.add_argument('--num-train', type=int, default=21000)
    parser.add_argument('--image-dim', type=int, default=4096)
    parser.add_argument('--text-dim', type=int, default=1000)
    parser.add_argument('--num-classes', type=int, default=21)
    parser.add_argument('--encode', type=int, default=2000,
                        help='pairs encoded after fitting')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def synthetic_pairs(num, image_dim, text_dim, num_classes, generator):
    """Multi-hot labels and two noisy views of their class prototypes."""
    labels = (torch.rand(num, num_classes, generator=generator) <
              2.0 / num_classes).float()
    labels[labels.sum(1) == 0, 0] = 1
    image = labels @ torch.randn(num_classes, image_dim,
                                 generator=generator) + 2 * torch.randn(
                                     num, image_dim, generator=generator)
    text = labels @ torch.randn(num_classes, text_dim,
                                generator=generator) + 2 * torch.randn(
                                    num, text_dim, generator=generator)
    return image, text, labels


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = parse_args()
    register_all_modules()
    model = MODELS.build(Config.fromfile(args.config).model)
    generator = torch.Generator().manual_seed(args.seed)
    image, text, labels = synthetic_pairs(args.num_train + args.encode,
                                          args.image_dim, args.text_dim,
                                          args.num_classes, generator)
    data_mb = peak_rss_mb()
    n = args.num_train
    start = time.perf_counter()
    stats = model.fit(image[:n], text[:n], labels[:n])
    model.mark_fitted()
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    with torch.no_grad():
        model.encode(image[n:], text[n:])
    encode_time = time.perf_counter() - start
    json.dump(
        dict(
            config=args.config,
            model=type(model).__name__,
            num_train=n,
            image_dim=args.image_dim,
            text_dim=args.text_dim,
            fit_time_s=round(fit_time, 2),
            encode_time_s=round(encode_time, 2),
            encoded=args.encode,
            peak_rss_after_data_mb=round(data_mb, 1),
            peak_rss_mb=round(peak_rss_mb(), 1),
            fit_stats={k: float(v)
                       for k, v in (stats or {}).items()}),
        sys.stdout,
        indent=1)
    print()


if __name__ == '__main__':
    main()
