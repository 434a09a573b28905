"""Codes of enumerated values that both the user-facing texts (config) and the database schema
(``data.schema``) need. They live here, at the bottom layer, so that loading the translations
does not load the database models; ``data.schema`` takes them from here."""

from __future__ import annotations

#: Channels of a transaction (``txn.channel``); the e-channels are all but the counter.
CHANNELS = ("counter", "smart_machine", "atm", "mobile", "online")
E_CHANNELS = ("smart_machine", "atm", "mobile", "online")
#: Product families of the product catalogue (``product.family``).
PRODUCT_FAMILIES = (
    "demand_deposit",
    "time_deposit",
    "personal_loan",
    "corporate_loan",
    "wealth",
    "insurance",
    "fund",
    "gold",
    "card",
    "e_banking",
)
