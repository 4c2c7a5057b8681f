# Copyright (c) mhash contributors. All rights reserved.
"""Encode feature files into packed codes with a trained checkpoint.

Used by ``tools/encode.py`` (a whole database) and ``tools/search.py``
(new queries: the out-of-sample extension). Features are read block by
block (:class:`~.PairedFeatureReader`) and only the packed codes of all
items are kept, so memory is one block plus ``N * ceil(k / 8)`` bytes.
"""
from typing import Callable, Optional

import numpy as np
import torch

from mhash.codes import num_packed_bytes, pack_codes
from mhash.methods.base import codes_to_binary

from .feature_reader import PairedFeatureReader

__all__ = ['load_hash_model', 'check_feature_dims', 'encode_features']


def load_hash_model(config,
                    checkpoint: str,
                    device: str = 'cpu',
                    cfg_options: Optional[dict] = None):
    """Build the model of a config and load a trained checkpoint into it.

    Args:
        config (str | Config): Config file (or loaded config) of the run.
        checkpoint (str): Checkpoint written by ``tools/train.py``.
        device (str): Where to encode. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        tuple: ``(model, cfg)``, the model in eval mode on ``device``.
    """
    import os.path as osp

    from mmengine.config import Config
    from mmengine.runner import load_checkpoint

    import mhash.engine.checkpoint_loader  # noqa: F401 (safe loader)
    from mhash.methods.base import BaseHashModel
    from mhash.registry import MODELS
    from mhash.utils import register_all_modules

    register_all_modules(init_default_scope=False)
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'Config file "{config}" does not exist')
        config = Config.fromfile(config)
    if cfg_options:
        config.merge_from_dict(cfg_options)
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'Checkpoint "{checkpoint}" does not exist')
    model = MODELS.build(config.model)
    if not isinstance(model, BaseHashModel):
        raise TypeError(f'the config builds a {type(model).__name__}; '
                        'expected a hashing method (BaseHashModel)')
    try:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True,
                        logger='silent')
    except RuntimeError as error:
        if 'do not match' not in str(error):
            raise
        raise ValueError(f'Checkpoint "{checkpoint}" does not fit the '
                         f'model of the config: {error}') from error
    return model.to(device).eval(), config


def check_feature_dims(reader: PairedFeatureReader, model_cfg) -> None:
    """Compare the feature widths with the ``image_dim`` / ``text_dim`` the
    model config declares (when it declares them).

    Raises:
        ValueError: A width differs, naming the file, key and both sizes.
    """
    for name, key, width in (('image_dim', reader.keys[0], reader.image_dim),
                             ('text_dim', reader.keys[1], reader.text_dim)):
        expected = model_cfg.get(name)
        if expected is not None and int(expected) != width:
            raise ValueError(
                f'"{reader.path}": key "{key}" has {width}-d features but '
                f'the checkpoint\'s model expects {name}={expected}: '
                'features of another data set or extractor?')


@torch.no_grad()
def encode_features(model,
                    reader: PairedFeatureReader,
                    batch_size: int = 1024,
                    block_rows: Optional[int] = None,
                    model_cfg: Optional[dict] = None,
                    progress: Optional[Callable] = None) -> np.ndarray:
    """Packed binary codes of every item of a feature file.

    Args:
        model (BaseHashModel): Trained model in eval mode.
        reader (PairedFeatureReader): The features.
        batch_size (int): Pairs per forward pass. Defaults to 1024.
        block_rows (int, optional): Rows read from the file at a time.
        model_cfg (dict, optional): The model config; its ``image_dim`` /
            ``text_dim`` are checked against the file first.
        progress (callable, optional): Called with the number of items
            encoded so far after every block.

    Returns:
        np.ndarray: ``uint8`` ``(N, ceil(num_bits / 8))`` packed codes in
        file order (see :func:`mhash.codes.pack_codes`).
    """
    if len(reader) == 0:
        raise ValueError(f'"{reader.path}": keys {list(reader.keys)} hold no '
                         'items: nothing to encode')
    if model_cfg is not None:
        check_feature_dims(reader, model_cfg)
    device = next((p.device for p in model.parameters()),
                  torch.device('cpu'))
    packed = np.empty((len(reader), num_packed_bytes(model.num_bits)),
                      dtype=np.uint8)
    done = 0
    for image, text in reader.blocks(block_rows):
        for start in range(0, image.shape[0], batch_size):
            image_batch = torch.from_numpy(image[start:start + batch_size])
            text_batch = torch.from_numpy(text[start:start + batch_size])
            codes = _encode_batch(model, reader, image_batch.to(device),
                                  text_batch.to(device))
            packed[done:done + codes.shape[0]] = pack_codes(
                codes_to_binary(codes).cpu().numpy())
            done += codes.shape[0]
        if progress is not None:
            progress(done)
    return packed


def _encode_batch(model, reader: PairedFeatureReader, image, text):
    try:
        codes = model.encode(image, text)
    except RuntimeError as error:
        if 'shape' not in str(error) and 'size' not in str(error):
            raise
        raise ValueError(
            f'"{reader.path}": the model could not encode features of '
            f'widths image {reader.image_dim} ("{reader.keys[0]}") and text '
            f'{reader.text_dim} ("{reader.keys[1]}"); do they match the '
            f'checkpoint\'s data set? ({error})') from error
    model.check_codes(codes, image.shape[0])
    return codes
