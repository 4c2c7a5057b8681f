# Copyright (c) mhash contributors. All rights reserved.
"""BSTH's two-stage training loop: label prototypes, then the hash function.
"""
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.dist import broadcast, get_world_size
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import DataLoader

from mhash.registry import LOOPS
from .losses import cooccurrence_matrix

__all__ = ['BSTHTrainLoop']


@LOOPS.register_module()
class BSTHTrainLoop(EpochBasedTrainLoop):
    """Stage 1 (label prototypes, full batch) then ordinary stage-2 epochs.

    Before the first stage-2 epoch the loop calls
    :meth:`run_label_prototype_stage`: ``prototype_epochs`` full-batch steps
    of :meth:`BSTH.label_prototype_loss` over *all* training labels
    (``dataloader.dataset.labels``) with the optimizer wrapper
    ``optim_wrapper[prototype_optim_key]``, then
    :meth:`BSTH.compute_supervising_codes`. Stage-1 losses go to the log
    (every ``prototype_log_interval`` epochs), to the message hub and to
    the visualizer as ``stage1/loss_*``. Stage 2 is the parent's epoch
    loop; ``BSTH.train_step`` takes the ``hash_encoder`` wrapper.

    Resume: the supervising codes and the count of finished stage-1 epochs
    are persistent model buffers. A checkpoint taken in stage 2 (the only
    kind the ``CheckpointHook`` writes) carries the codes, so resuming, or
    ``load_from``, skips stage 1. Stage 1 itself writes no checkpoint: an
    interrupted stage 1 starts again from the state that was loaded (from
    scratch for a fresh run); a checkpoint saved by hand in stage 1 resumes
    at its ``prototype_epochs_done``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader or dict): Stage-2 training loader; its
            data set must expose ``labels`` (n, c), row i = item index i.
        max_epochs (int): Stage-2 epochs.
        prototype_epochs (int): Stage-1 epochs (full-batch steps).
            Defaults to 100 (reference).
        prototype_optim_key (str): Key of the stage-1 wrapper in the
            runner's ``OptimWrapperDict``. Defaults to
            ``'label_prototypes'``.
        prototype_log_interval (int): Log stage-1 losses every this many
            epochs (and the last). Defaults to 10.
        val_begin (int): First stage-2 epoch that validates. Defaults to 1.
        val_interval (int): Validation interval. Defaults to 1.
        dynamic_intervals (list, optional): See ``EpochBasedTrainLoop``.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_epochs: int,
                 prototype_epochs: int = 100,
                 prototype_optim_key: str = 'label_prototypes',
                 prototype_log_interval: int = 10,
                 val_begin: int = 1,
                 val_interval: int = 1,
                 dynamic_intervals: Optional[List[Tuple[int, int]]] = None):
        super().__init__(runner, dataloader, max_epochs, val_begin,
                         val_interval, dynamic_intervals)
        if prototype_epochs < 0:
            raise ValueError('BSTHTrainLoop: prototype_epochs must be >= 0, '
                             f'got {prototype_epochs}')
        self.prototype_epochs = int(prototype_epochs)
        self.prototype_optim_key = prototype_optim_key
        self.prototype_log_interval = max(1, int(prototype_log_interval))

    @property
    def _model(self):
        model = self.runner.model
        return model.module if is_model_wrapper(model) else model

    def _training_labels(self, device) -> torch.Tensor:
        dataset = self.dataloader.dataset
        labels = getattr(dataset, 'labels', None)
        if labels is None:
            raise AttributeError(
                f'BSTHTrainLoop: the training data set '
                f'{type(dataset).__name__} has no "labels" array; stage 1 '
                'needs all training labels (n, c), row i = item index i')
        return torch.as_tensor(labels, device=device).float()

    def _prototype_optim_wrapper(self):
        wrappers = self.runner.optim_wrapper
        if not isinstance(wrappers, OptimWrapperDict) or \
                self.prototype_optim_key not in wrappers:
            raise KeyError(
                'BSTHTrainLoop: stage 1 needs an optimizer for '
                f'"{self.prototype_optim_key}"; configure optim_wrapper with '
                'constructor="SubmoduleOptimWrapperConstructor" and keys '
                f'"hash_encoder" and "{self.prototype_optim_key}"')
        return wrappers[self.prototype_optim_key]

    def _log_stage1(self, epoch: int, log_vars: dict) -> None:
        scalars = {f'stage1/{k}': float(v.detach()) if torch.is_tensor(v)
                   else float(v) for k, v in log_vars.items()}
        for key, value in scalars.items():
            self.runner.message_hub.update_scalar(key, value)
        self.runner.visualizer.add_scalars(scalars, step=epoch)
        if epoch % self.prototype_log_interval == 0 or \
                epoch == self.prototype_epochs:
            text = '  '.join(f'{k}: {float(v):.4f}'
                             for k, v in log_vars.items())
            self.runner.logger.info(
                f'Stage 1 (label prototypes) epoch [{epoch}/'
                f'{self.prototype_epochs}]  {text}')

    def run_label_prototype_stage(self) -> None:
        """Train module B on all training labels, store supervising codes.
        """
        model = self._model
        device = model.supervising_codes.device
        labels = self._training_labels(device)
        if model.has_supervising_codes:
            if model.supervising_codes.shape[0] != labels.shape[0]:
                raise ValueError(
                    f'BSTHTrainLoop: the model holds '
                    f'{model.supervising_codes.shape[0]} supervising codes '
                    f'but the training set has {labels.shape[0]} items; the '
                    'checkpoint was trained on another training split')
            self.runner.logger.info(
                'Stage 1 (label prototypes) already done: using the '
                f'{labels.shape[0]} supervising codes of the checkpoint')
            return
        optim_wrapper = self._prototype_optim_wrapper()
        cooccurrence = cooccurrence_matrix(labels)
        start = int(model.prototype_epochs_done)
        self.runner.logger.info(
            f'Stage 1 (label prototypes): {self.prototype_epochs} full-batch '
            f'epochs on {labels.shape[0]} training labels (from epoch '
            f'{start})')
        model.train()
        for epoch in range(start, self.prototype_epochs):
            with optim_wrapper.optim_context(model):
                losses = model.label_prototype_loss(labels, cooccurrence)
            loss, log_vars = model.parse_losses(losses)
            optim_wrapper.update_params(loss)
            model.prototype_epochs_done += 1
            self._log_stage1(epoch + 1, log_vars)
        if get_world_size() > 1:
            # Dropout draws differ between processes: use rank 0's module.
            for tensor in model.label_prototypes.state_dict().values():
                broadcast(tensor, 0)
        codes = model.compute_supervising_codes(labels)
        balance = codes.float().mean(0).abs().mean().item()
        self.runner.logger.info(
            f'Stage 1 done: {codes.shape[0]} supervising codes of '
            f'{codes.shape[1]} bits (mean |bit mean| {balance:.3f}, '
            f'{torch.unique(codes, dim=0).shape[0]} distinct codes)')

    def run(self) -> torch.nn.Module:
        """Stage 1 (unless done), then the stage-2 epochs."""
        self.runner.call_hook('before_train')
        self.run_label_prototype_stage()
        while self._epoch < self._max_epochs and not self.stop_training:
            self.run_epoch()
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._epoch >= self.val_begin
                    and (self._epoch % self.val_interval == 0
                         or self._epoch == self._max_epochs)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train')
        return self.runner.model
