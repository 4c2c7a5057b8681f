# Copyright (c) mhash contributors. All rights reserved.
"""Writing every table and curve of a benchmark folder from its store."""
import json
import os
import os.path as osp
import re
from typing import List, Optional, Sequence

from .aggregate import available_metrics
from .curves import plot_benchmark_curves
from .grid_runner import SPEC_COPY_FILENAME
from .results_store import ResultsStore
from .tables import (
    build_comparison_table,
    render_csv,
    render_latex,
    render_markdown,
)

__all__ = ['write_benchmark_report', 'load_saved_spec']

_RENDERERS = {'md': render_markdown, 'csv': render_csv, 'tex': render_latex}


def load_saved_spec(out_dir: str) -> Optional[dict]:
    """The spec copy the grid saved in ``out_dir`` (None if absent)."""
    path = osp.join(out_dir, SPEC_COPY_FILENAME)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def _slug(metric: str) -> str:
    return re.sub(r'[^A-Za-z0-9]+', '_', metric).strip('_')


def write_benchmark_report(out_dir: str,
                           metrics: Optional[Sequence[str]] = None,
                           formats: Sequence[str] = ('md', 'csv', 'tex'),
                           curves: bool = True,
                           spec: Optional[dict] = None,
                           tables_dir: Optional[str] = None) -> List[str]:
    """Tables (and curves) of the benchmark in ``out_dir``; no training.

    Writes ``tables/<metric>.{md,csv,tex}``, ``tables/all.md`` (every
    Markdown table) and ``curves/*.png``.

    Args:
        out_dir (str): Benchmark folder holding ``results.jsonl``.
        metrics (Sequence[str], optional): Metrics to tabulate; defaults to
            ``mAP``, every stored ``mAP@K`` and ``precision@K``, training
            time and encoding time per item.
        formats (Sequence[str]): Any of ``md``, ``csv``, ``tex``.
        curves (bool): Also plot the curves (needs matplotlib).
        spec (dict, optional): Spec dict; defaults to the saved copy.
        tables_dir (str, optional): Defaults to ``<out_dir>/tables``.

    Returns:
        list[str]: Paths written.
    """
    records = ResultsStore(out_dir).records()
    if not records:
        raise FileNotFoundError(
            f'no finished cell in {osp.join(out_dir, "results.jsonl")}: run '
            'tools/benchmark.py first (or check the folder)')
    unknown = set(formats) - set(_RENDERERS)
    if unknown:
        raise ValueError(f'unknown table formats {sorted(unknown)}; choose '
                         f'from {sorted(_RENDERERS)}')
    spec = spec if spec is not None else load_saved_spec(out_dir)
    metrics = list(metrics or available_metrics(records))
    tables_dir = tables_dir or osp.join(out_dir, 'tables')
    os.makedirs(tables_dir, exist_ok=True)
    written, markdown = [], []
    for metric in metrics:
        table = build_comparison_table(records, metric, spec)
        if not table.cells:
            raise ValueError(f'no stored record has the metric "{metric}"; '
                             f'stored: {available_metrics(records)}')
        for fmt in formats:
            path = osp.join(tables_dir, f'{_slug(metric)}.{fmt}')
            text = _RENDERERS[fmt](table)
            with open(path, 'w') as f:
                f.write(text)
            written.append(path)
        markdown.append(f'### {table.title}\n\n{render_markdown(table)}')
    path = osp.join(tables_dir, 'all.md')
    with open(path, 'w') as f:
        f.write('\n'.join(markdown))
    written.append(path)
    if curves:
        written += plot_benchmark_curves(records, osp.join(out_dir, 'curves'),
                                         spec)
    return written
