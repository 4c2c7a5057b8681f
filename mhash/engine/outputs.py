# Copyright (c) mhash contributors. All rights reserved.
"""Writing a run's retrieval results (metrics JSON, codes) to its log dir."""
import json
import os
import os.path as osp
import tempfile
from typing import Any, Dict

import numpy as np

__all__ = ['save_retrieval_outputs', 'atomic_write_json']


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, 'item') and callable(value.item):
        return value.item()
    return value


def atomic_write_json(path: str, content: Dict[str, Any]) -> None:
    """Write JSON through a temporary file so a reader never sees half."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.json.part')
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(_jsonable(content), f, indent=2)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def _atomic_savez(path: str, arrays: Dict[str, np.ndarray]) -> None:
    folder = osp.dirname(osp.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.npz.part')
    try:
        with os.fdopen(fd, 'wb') as f:
            np.savez_compressed(f, **arrays)
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def save_retrieval_outputs(runner, stage: str, metrics: Dict[str, float],
                           evaluator) -> None:
    """Save the metrics and the hash codes of one evaluation.

    Writes ``<log_dir>/<stage>_metrics.json`` (the scalar metrics, the epoch
    and iteration, and the curves kept by the metric) and
    ``<log_dir>/<stage>_codes.npz`` (query and retrieval codes, labels and
    indices) when a metric exposes ``last_outputs``. Each file is replaced
    atomically, so an interrupted run never leaves a truncated file.

    Args:
        runner (Runner): The runner; its ``log_dir`` is the run's folder.
        stage (str): ``'val'`` or ``'test'``.
        metrics (dict): What the evaluator returned.
        evaluator (Evaluator): The evaluator whose metrics were computed.
    """
    content: Dict[str, Any] = dict(
        stage=stage,
        epoch=runner.epoch,
        iter=runner.iter,
        checkpoint=getattr(runner, '_load_from', None),
        metrics=metrics)
    arrays: Dict[str, np.ndarray] = {}
    for metric in getattr(evaluator, 'metrics', []):
        outputs = getattr(metric, 'last_outputs', None)
        if not outputs:
            continue
        for key, value in outputs.items():
            if key == 'curves':
                content.setdefault('curves', {}).update(value)
            else:
                arrays[key] = np.asarray(value)
    atomic_write_json(osp.join(runner.log_dir, f'{stage}_metrics.json'),
                      content)
    if arrays:
        _atomic_savez(osp.join(runner.log_dir, f'{stage}_codes.npz'), arrays)
