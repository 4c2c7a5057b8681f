# Copyright (c) mhash contributors. All rights reserved.
"""Throughput and memory of exact Hamming top-k search.

Synthetic data only: uniformly random codes (default 1,000,000 database
codes of 64 bits, 1,000 queries, top-100).

Methods, each run in its own child process so that the memory figures are
separate and honest:

- ``mhash-numpy``: :class:`mhash.search.HammingIndex` with the NumPy
  backend (what ``backend='auto'`` picks);
- ``mhash-faiss``: ``HammingIndex`` with the faiss backend (faiss scan plus
  the exact tie fix-up);
- ``faiss``: plain faiss ``IndexBinaryFlat.search`` (its own tie order);
- ``float``: ranking by a float matrix product, the way codes are often
  searched in deep-learning code: ±1 float32 codes, ``torch.mm`` and
  ``torch.topk``, 64 queries at a time.

Reported per method: queries/s (best of ``--repeat`` runs of all queries),
the CPU time of that run (all threads; a fairer comparison on a shared,
busy machine), the resident-set increase of building the index, and the
peak resident-set increase during the search (``VmHWM`` reset through
``/proc/self/clear_refs`` before the search; ``ru_maxrss`` when that is
not possible). The parent checks that ``mhash-numpy`` and ``mhash-faiss``
return identical ids and distances, and that the distances of every method
agree.

Usage:
  python tools/analysis/benchmark_search.py
  python tools/analysis/benchmark_search.py --num-db 200000 --repeat 1
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

METHODS = ('mhash-numpy', 'mhash-faiss', 'faiss', 'float')


def rss_mib(field: str = 'VmRSS') -> float:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024
    return float('nan')


def reset_peak() -> bool:
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def make_codes(args):
    rng = np.random.default_rng(args.seed)
    num_bytes = args.num_bits // 8
    db = rng.integers(0, 256, (args.num_db, num_bytes), dtype=np.uint8)
    queries = rng.integers(0, 256, (args.num_query, num_bytes),
                           dtype=np.uint8)
    return db, queries


def build(method, db, num_bits):
    """Return ``search(queries, k) -> (distances, ids)``."""
    if method.startswith('mhash-'):
        from mhash.search import HammingIndex
        index = HammingIndex(num_bits, backend=method[len('mhash-'):])
        index.add(db)
        return index.search
    if method == 'faiss':
        import faiss
        index = faiss.IndexBinaryFlat(num_bits)
        index.add(db)
        return index.search
    import torch
    from mhash.codes import unpack_codes
    db_float = torch.from_numpy(unpack_codes(db, num_bits)).float()

    def search(queries, k, chunk=64):
        query_float = torch.from_numpy(unpack_codes(queries,
                                                    num_bits)).float()
        distances, ids = [], []
        for start in range(0, query_float.shape[0], chunk):
            scores = torch.mm(query_float[start:start + chunk], db_float.T)
            top, index = torch.topk(scores, k, dim=1)
            distances.append(((num_bits - top) / 2).round().int())
            ids.append(index)
        return torch.cat(distances).numpy(), torch.cat(ids).numpy()

    return search


def preload(method):
    """Import what a method needs, so that its index memory excludes
    the libraries."""
    if method.startswith('mhash-'):
        import mhash.search  # noqa: F401
    if method in ('faiss', 'mhash-faiss'):
        import faiss  # noqa: F401
    if method == 'float':
        import torch  # noqa: F401


def worker(args):
    preload(args.worker)
    db, queries = make_codes(args)
    before_build = rss_mib()
    search = build(args.worker, db, args.num_bits)
    search(queries[:8], args.topk)  # warm-up (threads, lazy buffers)
    after_build = rss_mib()
    exact_peak = reset_peak()
    times, cpu_times = [], []
    for _ in range(args.repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        distances, ids = search(queries, args.topk)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    peak = rss_mib('VmHWM') if exact_peak else \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.savez(args.output, distances=distances, ids=ids)
    return dict(
        method=args.worker,
        queries_per_s=args.num_query / min(times),
        seconds=min(times),
        cpu_seconds=min(cpu_times),
        build_mib=after_build - before_build,
        search_peak_mib=peak - after_build,
        peak_is_exact=exact_peak)


def run_child(method, args, folder):
    output = os.path.join(folder, f'{method}.npz')
    command = [
        sys.executable, __file__, '--worker', method, '--output', output,
        '--num-db', str(args.num_db), '--num-query', str(args.num_query),
        '--num-bits', str(args.num_bits), '--topk', str(args.topk),
        '--seed', str(args.seed), '--repeat', str(args.repeat)
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        if 'No module named' in done.stderr and 'faiss' in done.stderr:
            print(f'{method}: skipped (faiss is not installed)')
            return None, None
        raise RuntimeError(f'{method} failed:\n{done.stderr}')
    return json.loads(done.stdout.strip().splitlines()[-1]), np.load(output)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-db', type=int, default=1_000_000)
    parser.add_argument('--num-query', type=int, default=1000)
    parser.add_argument('--num-bits', type=int, default=64)
    parser.add_argument('--topk', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--methods', nargs='+', default=list(METHODS),
                        choices=METHODS)
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--worker', choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument('--output', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.num_bits % 8:
        parser.error('--num-bits must be a multiple of 8 (faiss)')
    if args.worker:
        print(json.dumps(worker(args)))
        return None
    print(f'Synthetic random codes: {args.num_db:,} x {args.num_bits} bits, '
          f'{args.num_query:,} queries, top-{args.topk}, '
          f'{os.cpu_count()} CPUs, best of {args.repeat}')
    rows, results = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for method in args.methods:
            rows[method], results[method] = run_child(method, args, folder)
            if rows[method] is None:
                del rows[method]
                continue
            row = rows[method]
            print(f'{method:12s} {row["queries_per_s"]:9.1f} queries/s  '
                  f'{row["seconds"]:7.2f} s wall  {row["cpu_seconds"]:7.2f} '
                  f's CPU  build +{row["build_mib"]:.0f} MiB  search peak '
                  f'+{row["search_peak_mib"]:.0f} MiB')
        check_agreement(results)
    report_ratios(rows)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(settings=vars(args), results=rows), f, indent=2)
    return rows


def check_agreement(results):
    present = {m: r for m, r in results.items() if r is not None}
    if 'mhash-numpy' in present and 'mhash-faiss' in present:
        same = all(
            np.array_equal(present['mhash-numpy'][key],
                           present['mhash-faiss'][key])
            for key in ('ids', 'distances'))
        print(f'mhash-numpy and mhash-faiss identical (ids and distances, '
              f'tie order included): {same}')
    reference = next(iter(present.values()), None)
    for method, result in present.items():
        same = np.array_equal(result['distances'], reference['distances'])
        print(f'{method}: distances equal to the first method: {same}')


def report_ratios(rows):
    base = rows.get('mhash-numpy')
    if base is None:
        return
    for other in ('faiss', 'mhash-faiss', 'float'):
        if other in rows:
            ratio = base['queries_per_s'] / rows[other]['queries_per_s']
            cpu_ratio = rows[other]['cpu_seconds'] / base['cpu_seconds']
            print(f'mhash-numpy vs {other}: {ratio:.2f}x the throughput, '
                  f'{cpu_ratio:.2f}x less CPU time')


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    main()
