# Copyright (c) mhash contributors. All rights reserved.
"""Time and memory of the retrieval evaluation at real sizes.

Synthetic data only: random 64-bit codes and random multi-hot labels (each
class on with probability ``--label-density``); the mAP values printed are
those of random codes and mean nothing about any method.

Cases:
  a: 2,000 queries x 1,000,000 database items, 64 bits, 24 classes
  b: NUS-WIDE shape, 2,085 queries x 193,749 items, 64 bits, 21 classes

For each case two child processes are started (so their memory figures are
separate and honest):

- ``fast``: ``mhash.evaluation.calculate_retrieval_metrics`` on all queries
  (packed codes). Reported: wall time, and memory from
  ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (peak resident set of the
  child, which includes the interpreter, numpy/scipy and the generated
  data) next to the resident set just before the evaluation started
  (``/proc/self/statm``), so the evaluation's own increase is visible.
- ``naive``: a straightforward NumPy loop (per query: Hamming distance by a
  dot product of ±1 float32 codes, ``np.argsort(kind='stable')``, AP from a
  cumulative sum) on the first ``--naive-queries`` queries only; its time
  per query is scaled to all queries. On the same subset the fast path is
  run again and both mAP@all and mAP@1000 must agree to 1e-9.

Usage:
  python tools/analysis/benchmark_eval.py                 # cases a and b
  python tools/analysis/benchmark_eval.py --cases b --naive-queries 50
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

CASES = {
    'a': dict(num_query=2000, num_db=1_000_000, num_bits=64, classes=24),
    'b': dict(num_query=2085, num_db=193_749, num_bits=64, classes=21),
}


def make_data(case, seed, density):
    """Random packed codes and multi-hot labels, generated in chunks so the
    generation itself does not raise the peak memory."""
    spec = CASES[case]
    rng = np.random.default_rng(seed)
    num_bytes = spec['num_bits'] // 8

    def codes(num):
        return rng.integers(0, 256, (num, num_bytes), dtype=np.uint8)

    def labels(num):
        out = np.empty((num, spec['classes']), dtype=np.uint8)
        for start in range(0, num, 65536):
            stop = min(start + 65536, num)
            out[start:stop] = rng.random(
                (stop - start, spec['classes'])) < density
        return out

    return (codes(spec['num_query']), codes(spec['num_db']),
            labels(spec['num_query']), labels(spec['num_db']))


def current_rss_mib():
    with open('/proc/self/statm') as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2**20


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_map(query_packed, db_packed, query_labels, db_labels, top=1000):
    """The obvious per-query loop; returns (mAP@all, mAP@top)."""
    num_bits = query_packed.shape[1] * 8

    def signed(packed):
        return np.unpackbits(packed, axis=1).astype(np.float32) * 2 - 1

    db_codes, query_codes = signed(db_packed), signed(query_packed)
    db_float_labels = db_labels.astype(np.float32)
    all_ap, top_ap = [], []
    for code, label in zip(query_codes, query_labels.astype(np.float32)):
        relevant = db_float_labels @ label > 0
        num_relevant = relevant.sum()
        if num_relevant == 0:
            continue
        hamming = 0.5 * (num_bits - db_codes @ code)
        ranked = relevant[np.argsort(hamming, kind='stable')]
        hits = np.cumsum(ranked)
        ranks = np.arange(1, ranked.size + 1)
        all_ap.append(np.sum(hits[ranked] / ranks[ranked]) / num_relevant)
        top_hits = ranked[:top]
        found = hits[min(top, ranked.size) - 1]
        top_ap.append(
            np.sum(hits[:top][top_hits] / ranks[:top][top_hits]) / found
            if found else 0.0)
    return float(np.mean(all_ap)), float(np.mean(top_ap))


def run_child(args):
    from mhash.evaluation import calculate_retrieval_metrics
    data = make_data(args.case, args.seed, args.label_density)
    if args.child == 'fast':
        rss_before = current_rss_mib()
        start = time.perf_counter()
        out = calculate_retrieval_metrics(
            *data, num_bits=64, num_workers=args.num_workers)
        seconds = time.perf_counter() - start
        result = dict(seconds=seconds, rss_before=rss_before,
                      peak_rss=peak_rss_mib(), mAP=out['mAP'],
                      valid=out['num_valid_queries'])
    else:
        subset = args.naive_queries
        query_packed, db_packed, query_labels, db_labels = data
        start = time.perf_counter()
        naive = naive_map(query_packed[:subset], db_packed,
                          query_labels[:subset], db_labels)
        naive_seconds = time.perf_counter() - start
        start = time.perf_counter()
        out = calculate_retrieval_metrics(
            query_packed[:subset], db_packed, query_labels[:subset],
            db_labels, num_bits=64, topk=[1000], curve_ks=[1000],
            num_workers=args.num_workers)
        fast_seconds = time.perf_counter() - start
        result = dict(naive_seconds=naive_seconds, fast_seconds=fast_seconds,
                      naive_map=naive[0], naive_map1000=naive[1],
                      fast_map=out['mAP'], fast_map1000=out['mAP@1000'])
    print(json.dumps(result))


def spawn(args, case, child):
    command = [
        sys.executable, os.path.abspath(__file__), '--child', child,
        '--case', case, '--seed', str(args.seed), '--label-density',
        str(args.label_density), '--naive-queries', str(args.naive_queries)
    ]
    if args.num_workers is not None:
        command += ['--num-workers', str(args.num_workers)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f'{child} child for case {case} failed:\n'
                           f'{done.stderr}')
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cases', default='ab')
    parser.add_argument('--naive-queries', type=int, default=20)
    parser.add_argument('--num-workers', type=int, default=None,
                        help='threads of the fast path (default min(4, cpus))')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--label-density', type=float, default=0.1)
    parser.add_argument('--child', choices=['fast', 'naive'])
    parser.add_argument('--case', choices=sorted(CASES))
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    print(f'synthetic random codes/labels; seed {args.seed}; label density '
          f'{args.label_density}; cpus {os.cpu_count()}; load average '
          f'{os.getloadavg()[0]:.2f}; threads '
          f'{args.num_workers or "default min(4, cpus)"}')
    for case in args.cases:
        spec = CASES[case]
        fast = spawn(args, case, 'fast')
        naive = spawn(args, case, 'naive')
        subset = args.naive_queries
        naive_per_query = naive['naive_seconds'] / subset
        naive_total = naive_per_query * spec['num_query']
        agree = (abs(naive['naive_map'] - naive['fast_map']) < 1e-9
                 and abs(naive['naive_map1000'] - naive['fast_map1000'])
                 < 1e-9)
        print(f"\ncase {case}: {spec['num_query']} queries x "
              f"{spec['num_db']} items, {spec['num_bits']} bits, "
              f"{spec['classes']} classes")
        print(f"  fast: {fast['seconds']:.1f} s for all queries "
              f"({1e3 * fast['seconds'] / spec['num_query']:.2f} ms/query); "
              f"mAP {fast['mAP']:.4f} over {fast['valid']} valid queries")
        print(f"  fast memory: peak RSS {fast['peak_rss']:.0f} MiB "
              f"(RSS before evaluating {fast['rss_before']:.0f} MiB, so the "
              f"evaluation added <= "
              f"{fast['peak_rss'] - fast['rss_before']:.0f} MiB)")
        print(f"  naive loop: {naive['naive_seconds']:.1f} s for the first "
              f"{subset} queries = {1e3 * naive_per_query:.0f} ms/query, "
              f"scaled to all queries: {naive_total:.0f} s")
        print(f"  speed-up (naive scaled / fast): "
              f"{naive_total / fast['seconds']:.1f}x; on the same subset "
              f"fast took {naive['fast_seconds']:.2f} s "
              f"({naive['naive_seconds'] / naive['fast_seconds']:.1f}x)")
        print(f"  same mAP on the subset: {agree} (naive "
              f"{naive['naive_map']:.10f} / {naive['naive_map1000']:.10f}, "
              f"fast {naive['fast_map']:.10f} / "
              f"{naive['fast_map1000']:.10f} for mAP@all / mAP@1000)")


if __name__ == '__main__':
    main()
