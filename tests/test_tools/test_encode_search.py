# Copyright (c) mhash contributors. All rights reserved.
"""tools/encode.py and tools/search.py on the tiny synthetic set."""
import importlib.util
import json
import os.path as osp

import numpy as np
import pytest
import torch

from mhash.codes import hamming_distance, pack_codes, unpack_codes
from mhash.datasets import read_split, save_reference_file
from mhash.methods.base import codes_to_binary

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'baselines', 'deep_fusion',
                  'deep_fusion_synthetic-tiny_16bit.py')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        f'mhash_tool_{name}', osp.join(REPO, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def model_and_checkpoint(tmp_path_factory):
    """A randomly initialised DeepFusionHash saved as a checkpoint."""
    from mmengine.config import Config

    from mhash.registry import MODELS
    from mhash.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(CONFIG).model).eval()
    path = str(tmp_path_factory.mktemp('ckpt') / 'model.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return model, path


def _expected_codes(model, image, text):
    with torch.no_grad():
        codes = model.encode(torch.from_numpy(image), torch.from_numpy(text))
    return codes_to_binary(codes).numpy()


def test_encode_split_in_blocks_matches_whole_split(model_and_checkpoint,
                                                    tiny_mat, tmp_path):
    model, checkpoint = model_and_checkpoint
    out = str(tmp_path / 'db.npz')
    _tool('encode').main([
        CONFIG, checkpoint, tiny_mat, '--split', 'retrieval', '--out', out,
        '--block-rows', '37', '--batch-size', '16'
    ])
    saved = np.load(out)
    image, text, _ = read_split(tiny_mat, 'retrieval')
    assert int(saved['num_bits']) == 16
    np.testing.assert_array_equal(saved['ids'], np.arange(400))
    np.testing.assert_array_equal(
        unpack_codes(saved['codes'], 16), _expected_codes(model, image, text))


@pytest.mark.parametrize('ext', ['.npz', '.h5'])
def test_encode_any_feature_file(model_and_checkpoint, tiny_arrays, tmp_path,
                                 ext):
    model, checkpoint = model_and_checkpoint
    features = str(tmp_path / f'features{ext}')
    image, text = tiny_arrays['I_te'][:23], tiny_arrays['T_te'][:23]
    if ext == '.npz':
        np.savez(features, img=image.astype(np.float64), txt=text)
    else:
        import h5py
        with h5py.File(features, 'w') as f:
            f['img'], f['txt'] = image, text
    out = str(tmp_path / 'codes.npz')
    _tool('encode').main([
        CONFIG, checkpoint, features, '--image-key', 'img', '--text-key',
        'txt', '--out', out, '--block-rows', '5'
    ])
    np.testing.assert_array_equal(
        unpack_codes(np.load(out)['codes'], 16),
        _expected_codes(model, image.astype(np.float32), text))


def test_search_topk_radius_and_outputs(model_and_checkpoint, tiny_mat,
                                        tmp_path, capsys):
    model, checkpoint = model_and_checkpoint
    db_file = str(tmp_path / 'db.npz')
    _tool('encode').main([
        CONFIG, checkpoint, tiny_mat, '--split', 'retrieval', '--out',
        db_file
    ])
    image, text, _ = read_split(tiny_mat, 'query')
    query_packed = pack_codes(_expected_codes(model, image, text))
    distances = hamming_distance(query_packed,
                                 np.load(db_file)['codes']).astype(int)
    expected_ids = np.argsort(distances, axis=1, kind='stable')[:, :25]
    search = _tool('search')
    base = [CONFIG, checkpoint, db_file, tiny_mat, '--split', 'query']

    lims, dist, ids = search.main(base + ['--topk', '25'])
    assert 'query 0:' in capsys.readouterr().out
    np.testing.assert_array_equal(ids.reshape(60, 25), expected_ids)
    np.testing.assert_array_equal(
        dist.reshape(60, 25),
        np.take_along_axis(distances, expected_ids, 1))

    search.main(base + ['--topk', '25', '--out', str(tmp_path / 'r.npz')])
    np.testing.assert_array_equal(np.load(tmp_path / 'r.npz')['ids'],
                                  expected_ids)
    search.main(base + ['--radius', '3', '--out', str(tmp_path / 'r.json')])
    with open(tmp_path / 'r.json') as f:
        rows = json.load(f)
    for q in (0, 31):
        within = np.flatnonzero(distances[q] <= 3)
        order = within[np.argsort(distances[q][within], kind='stable')]
        assert rows[q]['ids'] == order.tolist()
    search.main(base + ['--topk', '3', '--out', str(tmp_path / 'r.csv')])
    lines = (tmp_path / 'r.csv').read_text().splitlines()
    assert lines[0] == 'query,rank,id,distance' and len(lines) == 1 + 180


def test_clear_errors(model_and_checkpoint, tiny_mat, tiny_arrays, tmp_path):
    model, checkpoint = model_and_checkpoint
    encode, search = _tool('encode'), _tool('search')
    db_file = str(tmp_path / 'db.npz')
    encode.main([CONFIG, checkpoint, tiny_mat, '--split', 'retrieval',
                 '--out', db_file])
    # Features of another width than the checkpoint's model.
    wrong = str(tmp_path / 'wrong.npz')
    np.savez(wrong, img=np.zeros((4, 50), np.float32),
             txt=tiny_arrays['T_te'][:4])
    with pytest.raises(SystemExit, match='50-d features .*image_dim=64'):
        search.main([CONFIG, checkpoint, db_file, wrong, '--image-key',
                     'img', '--text-key', 'txt'])
    # An empty query file.
    empty = str(tmp_path / 'empty.h5')
    save_reference_file(empty, dict(I_te=np.zeros((0, 64), np.float32),
                                    T_te=np.zeros((0, 48), np.float32),
                                    L_te=np.zeros((0, 6), np.uint8)))
    with pytest.raises(SystemExit, match='empty query file'):
        search.main([CONFIG, checkpoint, db_file, empty, '--split',
                     'query'])
    # Database codes of another bit length than the checkpoint's.
    from mhash.search import save_code_file
    db32 = str(tmp_path / 'db32.npz')
    save_code_file(db32, np.zeros((3, 4), np.uint8), np.arange(3), 32)
    with pytest.raises(SystemExit, match='32-bit codes .* 16-bit'):
        search.main([CONFIG, checkpoint, db32, tiny_mat, '--split',
                     'query'])
    with pytest.raises(SystemExit, match='does not fit the model'):
        search.main([CONFIG, checkpoint, db_file, tiny_mat, '--split',
                     'query', '--cfg-options', 'model.num_bits=32'])
    other_bits = str(tmp_path / 'db_bad.npz')
    np.savez(other_bits, codes=np.zeros((3, 4), np.uint8), ids=np.arange(3),
             num_bits=16)
    with pytest.raises(SystemExit, match='16 bits need 2'):
        search.main([CONFIG, checkpoint, other_bits, tiny_mat, '--split',
                     'query'])
    with pytest.raises(SystemExit, match='"I_xx" is missing'):
        encode.main([CONFIG, checkpoint, tiny_mat, '--image-key', 'I_xx',
                     '--text-key', 'T_te', '--out', db_file])
    bad = str(tmp_path / 'nan.npz')
    np.savez(bad, img=np.full((2, 64), np.nan, np.float32),
             txt=np.zeros((2, 48), np.float32))
    with pytest.raises(SystemExit, match='NaN or inf .*item 0'):
        encode.main([CONFIG, checkpoint, bad, '--image-key', 'img',
                     '--text-key', 'txt', '--out', db_file])
