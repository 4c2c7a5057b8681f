# Copyright (c) mhash contributors. All rights reserved.
"""Hash retrieval metric for the mmengine evaluator."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from mhash.codes import pack_codes, unpack_codes
from mhash.registry import METRICS

from ..functional import (
    DEFAULT_CURVE_KS,
    DEFAULT_TOPK,
    calculate_retrieval_metrics,
    check_labels,
)

__all__ = ['HashRetrievalMetric']

SPLITS = ('query', 'retrieval')


def _stack_rows(values: list, split: str, what: str) -> np.ndarray:
    """Stack per-item 1-D tensors or arrays into one ``(n, width)`` array.

    Tensors are stacked by torch first (one device copy per batch, not one
    per item).
    """
    try:
        if all(isinstance(value, torch.Tensor) for value in values):
            stacked = torch.stack(values).detach().cpu().numpy()
        else:
            stacked = np.stack([np.asarray(value) for value in values])
    except (RuntimeError, ValueError) as error:
        widths = sorted({int(np.prod(np.shape(value))) for value in values})
        raise ValueError(f'{split} {what} of different lengths {widths} in '
                         'one batch') from error
    return stacked.reshape(len(values), -1)


def _indices(values: list) -> np.ndarray:
    if all(isinstance(value, int) for value in values):
        return np.asarray(values, dtype=np.int64)
    return np.asarray([int(value) for value in values], dtype=np.int64)


@METRICS.register_module()
class HashRetrievalMetric(BaseMetric):
    """Ranks the retrieval split for every query by Hamming distance.

    The evaluation loop feeds the predictions of both splits; each data
    sample is a dict ``{code: int8 (k,) in {-1, 1}, label: uint8 (c,),
    index: int, split: 'query' | 'retrieval'}``. :meth:`process` keeps one
    compact entry per (batch, split): packed codes, ``uint8`` labels and
    indices. Because an entry holds a whole batch, mmengine's truncation of
    the gathered list to the data set size never drops items; the copies a
    distributed sampler pads with are removed in :meth:`compute_metrics`,
    which keeps one item per (split, index) and sorts by index.

    Metrics (definitions in
    :mod:`mhash.evaluation.functional.retrieval_metrics`), logged as
    ``retrieval/<name>``: ``mAP``, ``mAP_tie_aware``, ``mAP@K``,
    ``precision@K``, ``recall@K`` for K in ``topk``, ``precision@H{r}``,
    ``recall@H{r}`` for ``r = radius``. After each evaluation
    :attr:`last_outputs` holds everything else for saving (the loop writes
    ``curves`` to the metrics JSON and the arrays to an ``.npz``):

    - ``curves`` (dict): ``curve_ks``, ``precision_curve``,
      ``recall_curve``, ``mAP_curve`` (at ``curve_ks``), ``radii`` (0..k),
      ``radius_precision_curve``, ``radius_recall_curve`` (the
      precision-recall curve over Hamming radii), ``num_queries``,
      ``num_valid_queries``, ``num_retrieval``, ``num_bits``,
      ``empty_rate@H{r}``;
    - ``average_precision``, ``average_precision_tie_aware``: per query, in
      index order, NaN for queries without a relevant item;
    - ``{split}_codes`` (``int8`` in {-1, 1}), ``{split}_labels``
      (``uint8``), ``{split}_indices`` (``int64``, sorted) for ``split`` in
      ``query`` / ``retrieval``, de-duplicated.

    Args:
        topk (Sequence[int]): K of the scalar top-K metrics.
            Defaults to ``(100, 500, 1000)``.
        curve_ks (Sequence[int]): K of the precision / recall / mAP curves.
            Defaults to 50, 100, ..., 1000.
        radius (int): Hamming radius of ``precision@H{r}`` /
            ``recall@H{r}``. Defaults to 2.
        query_chunk_size (int): Queries ranked at a time. Defaults to 32.
        num_workers (int, optional): Threads of the ranking; defaults to
            ``min(4, cpus)``.
        collect_device (str): ``'cpu'`` or ``'gpu'``, how ranks gather.
        prefix (str, optional): Metric name prefix; defaults to
            ``'retrieval'``.

    Examples:
        >>> import torch
        >>> metric = HashRetrievalMetric(topk=[2], curve_ks=[2])
        >>> samples = [
        ...     dict(code=torch.tensor([1, 1], dtype=torch.int8),
        ...          label=torch.tensor([1, 0], dtype=torch.uint8),
        ...          index=i, split=split)
        ...     for split in ('query', 'retrieval') for i in range(2)]
        >>> metric.process({}, samples)
        >>> metric.compute_metrics(metric.results)['mAP']
        1.0
    """
    default_prefix = 'retrieval'

    def __init__(self,
                 topk: Sequence[int] = DEFAULT_TOPK,
                 curve_ks: Sequence[int] = DEFAULT_CURVE_KS,
                 radius: int = 2,
                 query_chunk_size: int = 32,
                 num_workers: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.topk = tuple(int(k) for k in topk)
        self.curve_ks = tuple(int(k) for k in curve_ks)
        self.radius = int(radius)
        self.query_chunk_size = query_chunk_size
        self.num_workers = num_workers
        self.last_outputs: Dict[str, object] = {}

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Store packed codes, labels and indices of one batch, per split.

        Args:
            data_batch: Unused (the samples carry everything).
            data_samples (Sequence[dict]): Model predictions with ``split``
                added by the evaluation loop.
        """
        grouped = {split: ([], [], []) for split in SPLITS}
        for position, sample in enumerate(data_samples):
            missing = {'code', 'label', 'index', 'split'} - set(sample)
            if missing:
                raise KeyError(
                    f'{type(self).__name__}: data sample {position} lacks '
                    f'{sorted(missing)}; expected keys code, label, index '
                    'and split (added by the retrieval evaluation loop)')
            split = sample['split']
            if split not in grouped:
                raise ValueError(f'data sample {position}: split must be one '
                                 f'of {SPLITS}; got {split!r}')
            codes, labels, indices = grouped[split]
            codes.append(sample['code'])
            labels.append(sample['label'])
            indices.append(sample['index'])
        for split, (codes, labels, indices) in grouped.items():
            if not codes:
                continue
            codes = _stack_rows(codes, split, 'codes (bits)')
            self.results.append(
                dict(
                    split=split,
                    num_bits=codes.shape[1],
                    codes_packed=pack_codes(codes),
                    labels=check_labels(
                        _stack_rows(labels, split, 'labels'),
                        f'{split} labels'),
                    indices=_indices(indices)))

    @staticmethod
    def _gather_split(results: List[dict], split: str) -> dict:
        """Concatenate one split, keep one item per index, sort by index."""
        entries = [entry for entry in results if entry['split'] == split]
        if not entries:
            raise ValueError(f'no {split} items were evaluated: the {split} '
                             'split is empty')
        bit_lengths = sorted({int(entry['num_bits']) for entry in entries})
        if len(bit_lengths) != 1:
            raise ValueError(f'{split} codes of different bit lengths: '
                             f'{bit_lengths}')
        codes = np.concatenate([entry['codes_packed'] for entry in entries])
        indices = np.concatenate([entry['indices'] for entry in entries])
        label_widths = sorted({entry['labels'].shape[1] for entry in entries})
        if len(label_widths) != 1:
            raise ValueError(f'{split} labels of different widths: '
                             f'{label_widths}')
        labels = np.concatenate([entry['labels'] for entry in entries])
        unique, first = np.unique(indices, return_index=True)
        if unique.size != indices.size:
            # Padding repeats real items; different content means two
            # different items claim the same index.
            keep = first[np.searchsorted(unique, indices)]
            if np.any(codes[keep] != codes) or np.any(labels[keep] != labels):
                raise ValueError(f'{split} items sharing an index have '
                                 'different codes or labels')
        return dict(
            num_bits=bit_lengths[0],
            codes_packed=codes[first],
            labels=labels[first],
            indices=unique)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Compute the metrics from the gathered ``results``.

        Args:
            results (list[dict]): Entries of :meth:`process` from all ranks
                (in any order, with padding duplicates).

        Returns:
            dict[str, float]: The scalar metrics listed in the class doc.
        """
        query = self._gather_split(results, 'query')
        retrieval = self._gather_split(results, 'retrieval')
        if query['num_bits'] != retrieval['num_bits']:
            raise ValueError(
                f'query codes have {query["num_bits"]} bits but retrieval '
                f'codes have {retrieval["num_bits"]}')
        outputs = self.calculate(
            query['codes_packed'],
            retrieval['codes_packed'],
            query['labels'],
            retrieval['labels'],
            num_bits=query['num_bits'],
            topk=self.topk,
            curve_ks=self.curve_ks,
            radius=self.radius,
            query_chunk_size=self.query_chunk_size,
            num_workers=self.num_workers)
        scalar_names = ['mAP', 'mAP_tie_aware']
        for k in self.topk:
            scalar_names += [f'mAP@{k}', f'precision@{k}', f'recall@{k}']
        scalar_names += [f'precision@H{self.radius}', f'recall@H{self.radius}']
        metrics = {name: outputs[name] for name in scalar_names}
        for name in scalar_names:
            del outputs[name]
        curve_names = [
            'curve_ks', 'precision_curve', 'recall_curve', 'mAP_curve',
            'radii', 'radius_precision_curve', 'radius_recall_curve',
            'num_queries', 'num_valid_queries', 'num_retrieval', 'num_bits',
            f'empty_rate@H{self.radius}'
        ]
        saved = {'curves': {name: outputs[name] for name in curve_names}}
        saved['average_precision'] = outputs['average_precision']
        saved['average_precision_tie_aware'] = outputs[
            'average_precision_tie_aware']
        for split, gathered in (('query', query), ('retrieval', retrieval)):
            saved[f'{split}_codes'] = unpack_codes(gathered['codes_packed'],
                                                   gathered['num_bits'])
            saved[f'{split}_labels'] = gathered['labels']
            saved[f'{split}_indices'] = gathered['indices']
        self.last_outputs = saved
        return metrics

    @staticmethod
    def calculate(query_codes,
                  retrieval_codes,
                  query_labels,
                  retrieval_labels,
                  num_bits: Optional[int] = None,
                  **options) -> Dict[str, object]:
        """All metrics and curves, without a Runner.

        Thin alias of
        :func:`mhash.evaluation.functional.calculate_retrieval_metrics`
        (same arguments and returned names).

        Args:
            query_codes (array-like): ``(Q, k)`` ±1 codes, or packed
                ``uint8`` codes if ``num_bits`` is given.
            retrieval_codes (array-like): ``(N, k)``, same form.
            query_labels (array-like): ``(Q, c)`` multi-hot.
            retrieval_labels (array-like): ``(N, c)`` multi-hot.
            num_bits (int, optional): Code length of packed codes.
            **options: ``topk``, ``curve_ks``, ``radius``,
                ``query_chunk_size``, ``num_workers``.

        Returns:
            dict: See ``calculate_retrieval_metrics``.

        Examples:
            >>> codes = np.array([[1, -1], [1, -1], [-1, 1]])
            >>> labels = np.array([[1], [1], [0]])
            >>> HashRetrievalMetric.calculate(
            ...     codes[:1], codes, labels[:1], labels, topk=[1],
            ...     curve_ks=[1])['mAP']
            1.0
        """
        return calculate_retrieval_metrics(query_codes, retrieval_codes,
                                           query_labels, retrieval_labels,
                                           num_bits=num_bits, **options)
