# Copyright (c) mhash contributors. All rights reserved.
"""Comparison tables from the results store: Markdown, CSV and LaTeX.

Methods are rows; columns are (data set, bits). A cell is the mean over
the seeds ± the sample standard deviation (``ddof=1``; no ± for a single
seed); the best mean of each column is in bold (highest, or lowest for
times). For ``mAP`` on a data set the spec marks as one of the paper's
(``published='MIR Flickr' | 'NUS-WIDE' | 'MS COCO'``) a ``paper`` column
beside each of ours holds the number of :mod:`.published`; never for a data
set whose runs were synthetic. The CSV keeps the full float precision of
the store.
"""
import csv
import io
import math
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from .aggregate import SeedSummary, metric_info, summarize_over_seeds
from .published import PUBLISHED_DATASETS, PUBLISHED_SOURCE, published_map

__all__ = ['ComparisonTable', 'build_comparison_table', 'render_markdown',
           'render_csv', 'render_latex']


@dataclass
class ComparisonTable:
    """A table of one metric, ready to render.

    Attributes:
        metric (str): Metric name (``mAP``, ``precision@100``, ...).
        methods (list[str]): Row keys, in order.
        columns (list[tuple]): ``(dataset, bits)`` column keys, in order.
        cells (dict): ``{(method, dataset, bits): SeedSummary}``.
        best (set): Keys of the cells with the best mean of their column.
        published (dict): ``{(method, dataset, bits): float}``.
        published_columns (set): Columns that get a ``paper`` column.
        dataset_names (dict): Display names of the data sets.
        notes (list[str]): Lines printed under the table.
    """
    metric: str
    methods: List[str]
    columns: List[tuple]
    cells: Dict[tuple, SeedSummary]
    best: set = field(default_factory=set)
    published: Dict[tuple, float] = field(default_factory=dict)
    published_columns: set = field(default_factory=set)
    dataset_names: Dict[str, str] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return metric_info(self.metric)[0]

    def column_title(self, column) -> str:
        dataset, bits = column
        return f'{self.dataset_names.get(dataset, dataset)} {bits} bits'


def _ordered(values, preferred):
    preferred = [v for v in preferred if v in values]
    return preferred + [v for v in values if v not in preferred]


def build_comparison_table(records: Sequence[dict],
                           metric: str = 'mAP',
                           spec: Optional[dict] = None) -> ComparisonTable:
    """Aggregate the stored records of one metric into a table.

    Args:
        records (Sequence[dict]): Records of the results store.
        metric (str): Metric name. Defaults to ``'mAP'`` (mAP@all).
        spec (dict, optional): The grid spec (``BenchmarkSpec.to_dict()``,
            saved beside the store) for the row / column order, data set
            names and the published-number mapping.

    Returns:
        ComparisonTable: The table.
    """
    spec = spec or {}
    spec_methods = spec.get('methods', {})
    spec_datasets = spec.get('datasets', {})
    cells = summarize_over_seeds(records, metric)
    seen = list(dict.fromkeys(r['method'] for r in records))
    methods = _ordered(seen, list(spec_methods))
    datasets = _ordered(list(dict.fromkeys(r['dataset'] for r in records)),
                        list(spec_datasets))
    bits = sorted({int(r['bits']) for r in records})
    columns = [(d, b) for d in datasets for b in bits
               if any((m, d, b) in cells for m in methods)]
    _, higher_is_better, _ = metric_info(metric)
    table = ComparisonTable(metric, methods, columns, cells)
    table.dataset_names = {
        d: spec_datasets.get(d, {}).get('name', d) for d in datasets}
    for column in columns:
        means = {m: cells[(m, ) + column].mean for m in methods
                 if (m, ) + column in cells}
        if means:
            target = max(means.values()) if higher_is_better else min(
                means.values())
            table.best.update((m, ) + column for m, v in means.items()
                              if v == target)
    synthetic = {d for d in datasets
                 if any(r.get('synthetic') for r in records
                        if r['dataset'] == d)}
    for dataset in datasets:
        paper_name = spec_datasets.get(dataset, {}).get('published')
        if not paper_name or metric != 'mAP':
            continue
        if paper_name not in PUBLISHED_DATASETS:
            raise ValueError(
                f'data set "{dataset}": published="{paper_name}" is not one '
                f'of the published data sets {list(PUBLISHED_DATASETS)}')
        if dataset in synthetic:
            warnings.warn(f'data set "{dataset}" is marked published='
                          f'"{paper_name}" but its runs used synthetic data;'
                          ' no published numbers are shown for it')
            continue
        for column in [c for c in columns if c[0] == dataset]:
            table.published_columns.add(column)
            for method in methods:
                name = spec_methods.get(method, {}).get('published_name',
                                                        method)
                value = published_map(name, paper_name, column[1])
                if value is not None:
                    table.published[(method, ) + column] = value
    seeds = sorted({int(r['seed']) for r in records})
    counts = sorted({summary.n for summary in cells.values()})
    uneven = '' if len(counts) <= 1 else \
        f' (cells hold {"/".join(map(str, counts))} seeds; no ± = one seed)'
    table.notes.append(
        f'{table.title}: mean ± sample std over seeds {seeds}{uneven}; best '
        'mean per column in bold; "–" = not run.')
    if synthetic:
        names = ', '.join(table.dataset_names[d] for d in datasets
                          if d in synthetic)
        table.notes.append(f'Synthetic data ({names}): synthetic results, '
                           'not comparable with any published number.')
    if table.published_columns:
        table.notes.append(f'paper: published mAP@all, {PUBLISHED_SOURCE}.')
    return table


def _fmt(value: float, decimals: int) -> str:
    return '–' if value is None or math.isnan(value) else \
        f'{value:.{decimals}f}'


def _cell_text(table, key, bold, pm):
    summary = table.cells.get(key)
    if summary is None:
        return '–'
    decimals = metric_info(table.metric)[2]
    text = _fmt(summary.mean, decimals)
    if key in table.best:
        text = bold(text)
    if summary.n > 1:
        text += f' {pm} {_fmt(summary.std, decimals)}'
    return text


def _grid(table, bold, pm):
    header = ['method']
    for column in table.columns:
        header.append(table.column_title(column))
        if column in table.published_columns:
            header.append('paper')
    rows = []
    for method in table.methods:
        row = [method]
        for column in table.columns:
            key = (method, ) + column
            row.append(_cell_text(table, key, bold, pm))
            if column in table.published_columns:
                row.append(_fmt(table.published.get(key), 4))
        rows.append(row)
    return header, rows


def render_markdown(table: ComparisonTable) -> str:
    """The table as GitHub Markdown, with its notes below."""
    header, rows = _grid(table, lambda t: f'**{t}**', '±')
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '|'.join(['---'] + ['---:'] * (len(header) - 1)) + '|']
    lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    lines.append('')
    lines += [f'{note}' for note in table.notes]
    return '\n'.join(lines) + '\n'


def render_latex(table: ComparisonTable) -> str:
    """The table as a LaTeX ``tabular`` (booktabs), notes as comments."""
    header, rows = _grid(table, lambda t: f'\\textbf{{{t}}}', '$\\pm$')
    lines = [f'% {note}' for note in table.notes]
    lines.append('\\begin{tabular}{l' + 'c' * (len(header) - 1) + '}')
    lines.append('\\toprule')
    lines.append(' & '.join(_latex_escape(h) for h in header) + ' \\\\')
    lines.append('\\midrule')
    for row in rows:
        cells = [_latex_escape(row[0])] + [c.replace('–', '--')
                                           for c in row[1:]]
        lines.append(' & '.join(cells) + ' \\\\')
    lines += ['\\bottomrule', '\\end{tabular}']
    return '\n'.join(lines) + '\n'


def _latex_escape(text: str) -> str:
    for char in ('\\', '&', '%', '$', '#', '_', '{', '}'):
        text = text.replace(char, '\\' + char)
    return text


def render_csv(table: ComparisonTable) -> str:
    """The table as CSV at full precision.

    Columns: ``method``, then for each (data set, bits):
    ``<dataset>/<bits>/mean``, ``/std``, ``/n``, ``/best`` (1 or 0) and,
    for published columns, ``/paper``. Empty cells are left blank.
    """
    header = ['method']
    for dataset, bits in table.columns:
        names = ['mean', 'std', 'n', 'best']
        if (dataset, bits) in table.published_columns:
            names.append('paper')
        header += [f'{dataset}/{bits}/{name}' for name in names]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(header)
    for method in table.methods:
        row = [method]
        for column in table.columns:
            key = (method, ) + column
            summary = table.cells.get(key)
            if summary is None:
                row += ['', '', '', '']
            else:
                row += [repr(summary.mean),
                        '' if summary.n < 2 else repr(summary.std),
                        summary.n, int(key in table.best)]
            if column in table.published_columns:
                value = table.published.get(key)
                row.append('' if value is None else repr(value))
        writer.writerow(row)
    return out.getvalue()
