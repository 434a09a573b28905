"""The import pipeline: upload → validate every row → staged batch → confirm or delete.

See :mod:`data.importer.spec` for the kinds and their columns, :mod:`data.importer.pipeline`
for batches, and ``python -m data.importer --help`` for the command line.
"""

from data.importer.pipeline import BatchError, StageResult, confirm, delete, history, preview, stage
from data.importer.reading import ImportFileError
from data.importer.spec import KINDS

__all__ = ["KINDS", "BatchError", "ImportFileError", "StageResult", "confirm", "delete", "history", "preview", "stage"]
