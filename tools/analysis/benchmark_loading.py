# Copyright (c) mhash contributors. All rights reserved.
"""Peak memory of reading a NUS-WIDE-sized split from a MATLAB v7.3 file.

Writes (once) a file with NUS-WIDE's retrieval-split shape — 193,749 items,
4,096-d image and 1,000-d text features stored as float64 and transposed,
as MATLAB writes the official ``nus_cnn_twt.mat`` — then reads the split in
a fresh process with :func:`mhash.datasets.read_split` and reports the peak
resident memory (``ru_maxrss``) against the size of the float32 result, and
the same for a straightforward reader (``f[key][:].T.astype(float32)``).

Example:
    python tools/analysis/benchmark_loading.py --file /tmp/nus_like.mat
    python tools/analysis/benchmark_loading.py --items 50000   # smaller
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

import numpy as np

_READER = r'''
import json, resource, sys, time
import numpy as np
path, mode = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode == 'mhash':
    from mhash.datasets import read_split
    image, text, labels = read_split(path, 'retrieval')
else:
    import h5py
    with h5py.File(path, 'r') as f:
        image = f['I_db'][:].T.astype(np.float32)
        text = f['T_db'][:].T.astype(np.float32)
        labels = f['L_db'][:].T.astype(np.uint8)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(dict(seconds=seconds, peak=peak,
                      result=image.nbytes + text.nbytes + labels.nbytes)))
'''


def write_file(path: str, items: int, image_dim: int, text_dim: int,
               classes: int) -> None:
    import h5py
    rng = np.random.default_rng(0)
    tmp = path + '.part'
    with h5py.File(tmp, 'w', userblock_size=512) as f:
        image = f.create_dataset('I_db', (image_dim, items), dtype='f8')
        text = f.create_dataset('T_db', (text_dim, items), dtype='f8')
        step = 8192
        for start in range(0, items, step):
            stop = min(items, start + step)
            image[:, start:stop] = rng.random((image_dim, stop - start))
            text[:, start:stop] = rng.random((text_dim, stop - start)) < 0.01
        labels = (rng.random((classes, items)) < 0.1).astype('f8')
        f.create_dataset('L_db', data=labels)
    os.replace(tmp, path)


def measure(path: str, mode: str) -> dict:
    out = subprocess.run([sys.executable, '-c', _READER, path, mode],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--file', default='/tmp/mhash_nus_like.mat')
    parser.add_argument('--items', type=int, default=193749)
    parser.add_argument('--image-dim', type=int, default=4096)
    parser.add_argument('--text-dim', type=int, default=1000)
    parser.add_argument('--classes', type=int, default=21)
    parser.add_argument('--skip-naive', action='store_true',
                        help='do not run the straightforward reader')
    args = parser.parse_args(argv)
    if not osp.isfile(args.file):
        start = time.perf_counter()
        write_file(args.file, args.items, args.image_dim, args.text_dim,
                   args.classes)
        print(f'wrote {args.file} ({osp.getsize(args.file) / 2**30:.2f} GiB,'
              f' float64, transposed) in {time.perf_counter() - start:.0f} s')
    gib = 2**30
    modes = ['mhash'] + ([] if args.skip_naive else ['naive'])
    results = {mode: measure(args.file, mode) for mode in modes}
    print(f'{"reader":8s} {"seconds":>8s} {"peak GiB":>9s} '
          f'{"float32 GiB":>12s} {"peak/float32":>13s}')
    for mode, r in results.items():
        print(f'{mode:8s} {r["seconds"]:8.1f} {r["peak"] / gib:9.2f} '
              f'{r["result"] / gib:12.2f} {r["peak"] / r["result"]:13.2f}')
    if 'naive' in results:
        ratio = results['naive']['peak'] / results['mhash']['peak']
        print(f'straightforward reader peak / mhash peak: {ratio:.2f}x')


if __name__ == '__main__':
    main()
