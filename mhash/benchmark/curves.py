# Copyright (c) mhash contributors. All rights reserved.
"""Precision-recall and precision@K plots from the results store.

The curves come from the ``curves`` each record keeps (those of the run's
``test_metrics.json``): ``radius_recall_curve`` / ``radius_precision_curve``
(precision-recall over the Hamming radii 0..k, the usual hashing PR curve)
and ``curve_ks`` / ``precision_curve`` (precision@K). A method's curve is
the mean over its seeds, point by point. One PNG per (data set, bits) and
kind, all methods overlaid; matplotlib runs with the Agg backend (no
display needed).
"""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

__all__ = ['mean_curves', 'plot_benchmark_curves']

_KINDS = {
    # kind: (x key, y key, x label, y label, file suffix)
    'pr': ('radius_recall_curve', 'radius_precision_curve', 'recall',
           'precision', 'pr'),
    'precision_at_k': ('curve_ks', 'precision_curve', 'K (items retrieved)',
                       'precision@K', 'precision_at_k'),
}


def mean_curves(records: Sequence[dict], kind: str) -> Dict[tuple, tuple]:
    """``{(dataset, bits): {method: (x, y)}}`` averaged over seeds.

    Records whose curves lack the keys, or whose x values differ from the
    other seeds', are left out.

    Examples:
        >>> records = [dict(method='A', dataset='d', bits=8, seed=s, curves=
        ...     dict(curve_ks=[50, 100], precision_curve=p))
        ...     for s, p in [(0, [1., .5]), (1, [.5, .5])]]
        >>> mean_curves(records, 'precision_at_k')[('d', 8)]['A'][1].tolist()
        [0.75, 0.5]
    """
    x_key, y_key = _KINDS[kind][:2]
    grouped: Dict[tuple, Dict[str, list]] = {}
    for record in records:
        curves = record.get('curves') or {}
        if x_key not in curves or y_key not in curves:
            continue
        x = np.asarray(curves[x_key], dtype=float)
        y = np.asarray(curves[y_key], dtype=float)
        key = (record['dataset'], int(record['bits']))
        grouped.setdefault(key, {}).setdefault(record['method'],
                                               []).append((x, y))
    out: Dict[tuple, dict] = {}
    for key, by_method in grouped.items():
        for method, pairs in by_method.items():
            x = pairs[0][0]
            ys = [y for xx, y in pairs
                  if xx.shape == x.shape and np.array_equal(xx, x)]
            out.setdefault(key, {})[method] = (x, np.mean(ys, axis=0))
    return out


def plot_benchmark_curves(records: Sequence[dict],
                          out_dir: str,
                          spec: Optional[dict] = None) -> List[str]:
    """Write the PR and precision@K PNGs of every (data set, bits).

    Args:
        records (Sequence[dict]): Records of the results store.
        out_dir (str): Folder for ``<dataset>_<bits>bit_<kind>.png``.
        spec (dict, optional): Saved spec, for method order and data set
            names.

    Returns:
        list[str]: Paths of the PNG files written.
    """
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError('plotting curves needs matplotlib: pip install '
                          'matplotlib (or mhash[plots])') from error
    spec = spec or {}
    method_order = list(spec.get('methods', {}))
    datasets = spec.get('datasets', {})
    synthetic = {r['dataset'] for r in records if r.get('synthetic')}
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for kind, (_, _, x_label, y_label, suffix) in _KINDS.items():
        for (dataset, bits), by_method in sorted(
                mean_curves(records, kind).items()):
            name = datasets.get(dataset, {}).get('name', dataset)
            if dataset in synthetic and 'synthetic' not in name.lower():
                name += ' (synthetic data)'
            fig, ax = plt.subplots(figsize=(7.0, 4.2))
            order = [m for m in method_order if m in by_method] + sorted(
                m for m in by_method if m not in method_order)
            colors = plt.get_cmap('tab20' if len(order) > 10 else 'tab10')
            for index, method in enumerate(order):
                x, y = by_method[method]
                ax.plot(x, y, marker='o', markersize=3, linewidth=1.2,
                        color=colors(index % colors.N), label=method)
            ax.set_xlabel(x_label)
            ax.set_ylabel(y_label)
            ax.set_title(f'{name}, {bits} bits')
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=7, loc='center left',
                      bbox_to_anchor=(1.0, 0.5))
            fig.tight_layout()
            path = osp.join(out_dir, f'{dataset}_{bits}bit_{suffix}.png')
            fig.savefig(path, dpi=110)
            plt.close(fig)
            written.append(path)
    return written
