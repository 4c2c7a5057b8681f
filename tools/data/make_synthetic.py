# Copyright (c) mhash contributors. All rights reserved.
"""Write the synthetic multi-modal data set in the reference layout.

Examples:
    python tools/data/make_synthetic.py data/synthetic_mir.mat
    python tools/data/make_synthetic.py data/tiny.npz --preset tiny --seed 1
"""
import argparse

from mhash.datasets import (SYNTHETIC_MIRFLICKR_LIKE, SYNTHETIC_TINY,
                            make_synthetic_multimodal, save_reference_file)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out', help='.mat (MATLAB v7.3 layout), .h5 or .npz')
    parser.add_argument('--preset', choices=['mirflickr', 'tiny'],
                        default='mirflickr', help='sizes (default: '
                        'MIR Flickr-like)')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    sizes = SYNTHETIC_TINY if args.preset == 'tiny' else \
        SYNTHETIC_MIRFLICKR_LIKE
    arrays = make_synthetic_multimodal(**sizes, seed=args.seed)
    save_reference_file(args.out, arrays)
    shapes = ', '.join(f'{k} {v.shape}' for k, v in arrays.items())
    print(f'Wrote synthetic data to {args.out}: {shapes}')


if __name__ == '__main__':
    main()
