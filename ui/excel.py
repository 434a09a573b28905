"""Excel exports of the pages' tables, as in :mod:`reports.excel` (where the workbook writer
lives so that the bulletin, below ui/, exports the same way); re-exported here for the pages."""

from __future__ import annotations

from reports.excel import frames_to_xlsx

__all__ = ["frames_to_xlsx"]
