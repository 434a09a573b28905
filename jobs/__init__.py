"""Batch jobs run outside the app process (from cron, or after an import): ``jobs.score`` scores
every customer for one data version and stores the scores the customer pages read.

The layer above ``data/``: jobs import ``data`` and ``analytics``; nothing imports jobs but the
pages (``jobs.settings``: the settings the stored scores were computed with)."""
