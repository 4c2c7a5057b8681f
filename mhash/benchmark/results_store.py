# Copyright (c) mhash contributors. All rights reserved.
"""The results store of a benchmark: one JSON line per finished cell.

``<out_dir>/results.jsonl`` holds one JSON object per finished cell (its
key, settings, scalar metrics, curves, timings and where its run folder
is). A record is appended with a single ``write`` of one line on a file
opened in append mode, then flushed and ``fsync``-ed before the grid moves
on, so a finished cell survives a kill of the process or a power cut
afterwards. If a kill lands in the middle of that write, the file ends with
a partial line without its newline: readers ignore it (with a warning) and
the next append first cuts it off, so the store never holds a corrupt
record.
"""
import json
import os
import os.path as osp
import warnings
from typing import Dict, Iterator, List

__all__ = ['ResultsStore', 'STORE_FILENAME']

STORE_FILENAME = 'results.jsonl'


class ResultsStore:
    """Append-only JSON Lines store of finished benchmark cells.

    Args:
        out_dir (str): Benchmark output folder (created on first append).

    Examples:
        >>> import tempfile
        >>> store = ResultsStore(tempfile.mkdtemp())
        >>> store.append(dict(method='LSH', dataset='d', bits=8, seed=0,
        ...                   metrics=dict(mAP=0.5)))
        >>> [r['metrics']['mAP'] for r in store.records()]
        [0.5]
    """

    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.path = osp.join(out_dir, STORE_FILENAME)

    def exists(self) -> bool:
        """Whether the store file exists."""
        return osp.isfile(self.path)

    def _lines(self) -> Iterator[tuple]:
        with open(self.path, 'rb') as f:
            data = f.read()
        lines = data.split(b'\n')
        complete, tail = lines[:-1], lines[-1]
        for number, line in enumerate(complete, 1):
            if line.strip():
                yield number, line, True
        if tail.strip():
            yield len(complete) + 1, tail, False

    def records(self) -> List[dict]:
        """Every stored record, in the order they were appended.

        Raises:
            ValueError: If a complete line (one ending with a newline) is
                not a JSON object: the file was edited or damaged.
        """
        if not self.exists():
            return []
        records = []
        for number, line, complete in self._lines():
            if not complete:
                warnings.warn(f'{self.path}: line {number} is an unfinished '
                              'record (the run was killed while writing it); '
                              'ignored')
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(
                    f'{self.path}: line {number} is not valid JSON ({error});'
                    ' remove or fix that line') from None
            if not isinstance(record, dict):
                raise ValueError(f'{self.path}: line {number} is not a JSON '
                                 'object')
            records.append(record)
        return records

    def finished(self) -> Dict[tuple, dict]:
        """Records by cell key ``(method, dataset, bits, seed)``.

        A key stored twice (e.g. two grids writing to one folder) keeps the
        last record.
        """
        return {
            (r['method'], r['dataset'], int(r['bits']), int(r['seed'])): r
            for r in self.records()
        }

    def _cut_partial_tail(self) -> None:
        """Remove a trailing partial line left by a killed writer."""
        size = osp.getsize(self.path)
        if size == 0:
            return
        with open(self.path, 'rb+') as f:
            f.seek(size - 1)
            if f.read(1) == b'\n':
                return
            f.seek(0)
            data = f.read()
            keep = data.rfind(b'\n') + 1
            warnings.warn(f'{self.path}: removing an unfinished last record '
                          f'({size - keep} bytes) before appending')
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())

    def append(self, record: dict) -> None:
        """Append one record durably (one write, flush, fsync).

        Args:
            record (dict): JSON-serialisable; must hold ``method``,
                ``dataset``, ``bits`` and ``seed``.
        """
        missing = {'method', 'dataset', 'bits', 'seed'} - set(record)
        if missing:
            raise KeyError(f'a benchmark record needs {sorted(missing)}')
        line = json.dumps(record, sort_keys=True, allow_nan=True) + '\n'
        os.makedirs(self.out_dir, exist_ok=True)
        if self.exists():
            self._cut_partial_tail()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            data = line.encode()
            written = os.write(fd, data)
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
