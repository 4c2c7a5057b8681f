# Copyright (c) mhash contributors. All rights reserved.
import h5py
import numpy as np
import pytest
import scipy.io

from mhash.datasets import (DataFileError, read_shapes, read_split,
                            save_reference_file)


@pytest.mark.parametrize('ext', ['mat', 'h5', 'npz'])
def test_round_trip_each_format(tmp_path, tiny_arrays, ext):
    path = str(tmp_path / f'data.{ext}')
    save_reference_file(path, tiny_arrays)
    for split, suffix in (('train', 'tr'), ('retrieval', 'db'),
                          ('query', 'te')):
        image, text, labels = read_split(path, split)
        assert image.dtype == np.float32 and text.dtype == np.float32
        assert labels.dtype == np.uint8
        np.testing.assert_array_equal(image, tiny_arrays[f'I_{suffix}'])
        np.testing.assert_array_equal(text, tiny_arrays[f'T_{suffix}'])
        np.testing.assert_array_equal(labels, tiny_arrays[f'L_{suffix}'])


def test_mat73_is_stored_transposed_like_matlab(tiny_mat, tiny_arrays):
    with h5py.File(tiny_mat, 'r') as f:
        assert f['I_db'].shape == tiny_arrays['I_db'].shape[::-1]
    with open(tiny_mat, 'rb') as f:
        assert f.read(10) == b'MATLAB 7.3'


def test_matlab_v5_float64(tmp_path, tiny_arrays):
    path = str(tmp_path / 'v5.mat')
    scipy.io.savemat(path, {
        k: v.astype(np.float64)
        for k, v in tiny_arrays.items()
    })
    image, _, labels = read_split(path, 'query')
    assert image.dtype == np.float32
    np.testing.assert_allclose(image, tiny_arrays['I_te'])
    np.testing.assert_array_equal(labels, tiny_arrays['L_te'])


def test_read_shapes_without_loading(tmp_path, tiny_arrays):
    path = str(tmp_path / 'd.npz')
    save_reference_file(path, tiny_arrays)
    assert read_shapes(path)['T_db'] == tiny_arrays['T_db'].shape


def test_block_conversion_bounds_temporaries(tmp_path, tiny_arrays,
                                             monkeypatch):
    from mhash.datasets import file_io
    monkeypatch.setattr(file_io, '_BLOCK_BYTES', 1000)  # many blocks
    path = str(tmp_path / 'd.mat')
    save_reference_file(path, tiny_arrays)
    image, _, _ = read_split(path, 'retrieval')
    np.testing.assert_array_equal(image, tiny_arrays['I_db'])


def test_missing_file_explains_where_files_come_from(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        read_split(str(tmp_path / 'mir_cnn_twt.mat'), 'train')
    message = str(info.value)
    assert 'mir_cnn_twt.mat' in message and 'FutureTwT/BSTH' in message
    assert 'data/' in message


def _broken(tmp_path, tiny_arrays, **changes):
    arrays = dict(tiny_arrays)
    arrays.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        arrays.pop(key)
    path = str(tmp_path / 'broken.npz')
    save_reference_file(path, arrays)
    return path


def test_missing_key(tmp_path, tiny_arrays):
    path = _broken(tmp_path, tiny_arrays, T_te=None)
    with pytest.raises(DataFileError, match=r'T_te.*missing'):
        read_split(path, 'query')


def test_row_counts_differ(tmp_path, tiny_arrays):
    path = _broken(tmp_path, tiny_arrays, T_tr=tiny_arrays['T_tr'][:-3])
    with pytest.raises(DataFileError, match='same number of items') as info:
        read_split(path, 'train')
    assert 'T_tr' in str(info.value) and 'I_tr' in str(info.value)


def test_feature_dimension_differs_between_splits(tmp_path, tiny_arrays):
    path = _broken(tmp_path, tiny_arrays, I_te=tiny_arrays['I_te'][:, :-1])
    with pytest.raises(DataFileError, match='image feature dimension'):
        read_split(path, 'train')


@pytest.mark.parametrize('bad', [np.nan, np.inf])
def test_non_finite_features(tmp_path, tiny_arrays, bad):
    image = tiny_arrays['I_db'].copy()
    image[7, 3] = bad
    path = _broken(tmp_path, tiny_arrays, I_db=image)
    with pytest.raises(DataFileError, match='NaN or inf') as info:
        read_split(path, 'retrieval')
    assert 'I_db' in str(info.value) and 'item 7' in str(info.value)


def test_non_binary_labels(tmp_path, tiny_arrays):
    labels = tiny_arrays['L_tr'].astype(np.int8)
    labels[0, 0] = -1
    path = _broken(tmp_path, tiny_arrays, L_tr=labels)
    with pytest.raises(DataFileError, match='binary') as info:
        read_split(path, 'train')
    assert 'L_tr' in str(info.value) and '-1' in str(info.value)


def test_unknown_split_and_format(tmp_path, tiny_mat):
    with pytest.raises(DataFileError, match='Unknown split'):
        read_split(tiny_mat, 'test')
    path = tmp_path / 'data.csv'
    path.write_text('1,2')
    with pytest.raises(DataFileError, match='unsupported'):
        read_split(str(path), 'train')
