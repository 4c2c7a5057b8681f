# Copyright (c) mhash contributors. All rights reserved.
"""Benchmark grids, their results store, tables, curves, peer scorers."""
from .aggregate import (
                        SeedSummary,
                        available_metrics,
                        metric_value,
                        summarize_over_seeds,
)
from .cell_runner import (
                        CellFailedError,
                        InProcessCellExecutor,
                        SubprocessCellExecutor,
                        run_built_config,
)
from .cell_timer_hook import CellTimerHook
from .grid_runner import format_duration, run_benchmark_grid
from .grid_spec import (
                        BenchmarkCell,
                        BenchmarkSpec,
                        load_benchmark_spec,
                        parse_benchmark_spec,
)
from .published import PUBLISHED_MAP, PUBLISHED_SOURCE, published_map
from .report import load_saved_spec, write_benchmark_report
from .results_store import ResultsStore
from .tables import (
                        ComparisonTable,
                        build_comparison_table,
                        render_csv,
                        render_latex,
                        render_markdown,
)

__all__ = [
    'BenchmarkCell', 'BenchmarkSpec', 'load_benchmark_spec',
    'parse_benchmark_spec', 'ResultsStore', 'CellTimerHook',
    'run_built_config', 'InProcessCellExecutor', 'SubprocessCellExecutor',
    'CellFailedError', 'run_benchmark_grid', 'format_duration',
    'SeedSummary', 'available_metrics', 'metric_value',
    'summarize_over_seeds', 'PUBLISHED_MAP', 'PUBLISHED_SOURCE',
    'published_map', 'ComparisonTable', 'build_comparison_table',
    'render_markdown', 'render_csv', 'render_latex', 'write_benchmark_report',
    'load_saved_spec'
]
