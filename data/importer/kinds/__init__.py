"""The import kinds of a bank's own master data and extracts, one module per kind.

``BANK_KINDS`` lists them in loading order (what a kind refers to comes before it); the
import specification (:data:`data.importer.spec.KINDS`) takes them from here.
"""

from __future__ import annotations

from data.importer.kinds import complaints, customer_changes, products, staff, transactions, unit_events

BANK_KINDS = (
    *unit_events.KINDS,  # the registry's history of the units (the org_units kind comes first)
    *products.KINDS,
    *staff.KINDS,
    *transactions.KINDS,
    *complaints.KINDS,
    *customer_changes.KINDS,
)
