# Copyright (c) mhash contributors. All rights reserved.
import collections

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

import mhash.engine  # noqa: F401  (registers the loader)


def test_mmengine_objects_load(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(1.5)
    path = str(tmp_path / 'ok.pth')
    torch.save(
        dict(
            state_dict=dict(w=torch.ones(2)),
            message_hub=dict(log_scalars={'train/loss': buffer}),
            meta=dict(seed=np.int64(3), arr=np.arange(3.0))), path)
    loaded = _load_checkpoint(path)
    assert loaded['message_hub']['log_scalars']['train/loss'].mean() == 1.5
    assert loaded['meta']['seed'] == 3
    np.testing.assert_array_equal(loaded['meta']['arr'], np.arange(3.0))


class _Payload:

    def __reduce__(self):
        return (getattr, (collections.OrderedDict, '__init__'))


def test_arbitrary_getattr_is_refused(tmp_path):
    path = str(tmp_path / 'bad.pth')
    torch.save(dict(x=_Payload()), path)
    with pytest.raises(RuntimeError, match='Refusing getattr'):
        _load_checkpoint(path)


def test_missing_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        _load_checkpoint(str(tmp_path / 'none.pth'))
