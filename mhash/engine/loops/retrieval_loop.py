# Copyright (c) mhash contributors. All rights reserved.
"""Validation and test loops that encode a query and a retrieval split."""
import copy
from typing import Dict, List, Optional, Union

import torch
from mmengine.dist import all_reduce, is_main_process
from mmengine.evaluator import Evaluator
from mmengine.runner import TestLoop, ValLoop
from mmengine.runner.amp import autocast
from torch.utils.data import DataLoader

from mhash.registry import LOOPS
from ..outputs import save_retrieval_outputs

__all__ = ['RetrievalValLoop', 'RetrievalTestLoop']


def _build_retrieval_loader(runner, query_loader_cfg,
                            retrieval_dataloader, retrieval_split: str):
    """The retrieval loader: given, or the query loader with another split.

    Unless a ``retrieval_dataloader`` is given, the loop copies the query
    dataloader config and only replaces ``dataset.split``, so the two splits
    always come from the same file with the same settings.
    """
    if isinstance(retrieval_dataloader, DataLoader):
        return retrieval_dataloader
    if retrieval_dataloader is None:
        if not isinstance(query_loader_cfg, dict):
            raise TypeError(
                'Retrieval loops need the query dataloader as a config dict '
                'to derive the retrieval dataloader from it, or an explicit '
                '`retrieval_dataloader`')
        retrieval_dataloader = copy.deepcopy(query_loader_cfg)
        retrieval_dataloader['dataset']['split'] = retrieval_split
    return runner.build_dataloader(
        retrieval_dataloader, seed=runner.seed, diff_rank_seed=False)


class _SplitChain:
    """Iterate the query loader, then the retrieval loader.

    Yields ``(split, data_batch)``; ``len`` is the total number of batches
    (what the log processor shows) and ``dataset`` is the query data set
    (whose ``metainfo`` the evaluator receives).
    """

    def __init__(self, query_loader, retrieval_loader):
        self.loaders = (('query', query_loader), ('retrieval',
                                                  retrieval_loader))
        self.dataset = query_loader.dataset

    def __iter__(self):
        for split, loader in self.loaders:
            for data_batch in loader:
                yield split, data_batch

    def __len__(self) -> int:
        return sum(len(loader) for _, loader in self.loaders)


class _RetrievalEvaluation:
    """Shared body of the retrieval validation and test loops."""

    #: Prefix of the hooks called and of the files written to the log dir.
    stage: str = 'val'

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, dict],
                 evaluator: Union[Evaluator, dict, List],
                 retrieval_dataloader: Optional[Union[DataLoader,
                                                      dict]] = None,
                 retrieval_split: str = 'retrieval',
                 save_outputs: bool = True,
                 fp16: bool = False):
        query_cfg = copy.deepcopy(dataloader)
        super().__init__(runner, dataloader, evaluator, fp16)
        self.query_dataloader = self.dataloader
        self.retrieval_dataloader = _build_retrieval_loader(
            runner, query_cfg, retrieval_dataloader, retrieval_split)
        self.dataloader = _SplitChain(self.query_dataloader,
                                      self.retrieval_dataloader)
        self.save_outputs = save_outputs

    def run(self) -> Dict[str, float]:
        """Encode both splits and compute the retrieval metrics."""
        return self._run_retrieval()

    def _run_retrieval(self) -> Dict[str, float]:
        runner = self.runner
        runner.call_hook(f'before_{self.stage}')
        runner.call_hook(f'before_{self.stage}_epoch')
        runner.model.eval()
        num_items = 0
        for batch_idx, (split, data_batch) in enumerate(self.dataloader):
            num_items += self._encode_batch(batch_idx, data_batch, split)
        # Distributed samplers pad splits with repeated items; the metric
        # de-duplicates by (split, index), so gather every processed item.
        total = torch.tensor(num_items, dtype=torch.int64)
        all_reduce(total)
        metrics = self.evaluator.evaluate(int(total))
        if self.save_outputs and is_main_process():
            save_retrieval_outputs(runner, self.stage, metrics,
                                   self.evaluator)
        runner.call_hook(f'after_{self.stage}_epoch', metrics=metrics)
        runner.call_hook(f'after_{self.stage}')
        return metrics

    @torch.no_grad()
    def _encode_batch(self, idx: int, data_batch: dict, split: str) -> int:
        runner = self.runner
        runner.call_hook(
            f'before_{self.stage}_iter', batch_idx=idx, data_batch=data_batch)
        with autocast(enabled=self.fp16):
            step = getattr(runner.model, f'{self.stage}_step')
            outputs = step(data_batch)
        for item in outputs:
            item['split'] = split
        self.evaluator.process(data_samples=outputs, data_batch=data_batch)
        runner.call_hook(
            f'after_{self.stage}_iter',
            batch_idx=idx,
            data_batch=data_batch,
            outputs=outputs)
        return len(outputs)


@LOOPS.register_module()
class RetrievalValLoop(_RetrievalEvaluation, ValLoop):
    """Validation by retrieval: encode queries and the database, then rank.

    The loop's ``dataloader`` yields the query split; the retrieval split
    comes from ``retrieval_dataloader`` or, by default, from the same config
    with ``dataset.split=retrieval_split``. The model's ``val_step`` must
    return one dict per item (``code``, ``label``, ``index``); the loop tags
    each with its split and hands them to the metric, which ranks the
    gathered database for every gathered query. On the main process the
    metrics (JSON) and the codes (``.npz``) are written to the run's log dir.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Query dataloader or its config.
        evaluator (Evaluator | dict | list): The retrieval metric(s).
        retrieval_dataloader (DataLoader | dict, optional): Database
            dataloader or its config. Defaults to None (derived).
        retrieval_split (str): Split name used when deriving the database
            loader. Defaults to ``'retrieval'``.
        save_outputs (bool): Write metrics and codes to the log dir.
            Defaults to True.
        fp16 (bool): Encode under autocast. Defaults to False.
    """
    stage = 'val'


@LOOPS.register_module()
class RetrievalTestLoop(_RetrievalEvaluation, TestLoop):
    """Test by retrieval; see :class:`RetrievalValLoop` for the arguments."""
    stage = 'test'
