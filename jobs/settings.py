"""The settings stored customer scores are computed with: the customer pages' defaults.

A page reads stored scores only while its own settings equal these (and the scores belong to the
current data version and the month shown); any other setting is an on-demand run computed in the
page. One home for the defaults, so the job and the pages cannot drift apart.
"""

from __future__ import annotations

from analytics.clv import PERIODS_PER_MONTH
from analytics.customer_value import DEFAULT_DOWNGRADE_AFTER_MONTHS, DEFAULT_TIERS

#: Value tiers and the downgrade grace period (months) of the stored tier history.
TIERS = DEFAULT_TIERS
DOWNGRADE_AFTER_MONTHS = DEFAULT_DOWNGRADE_AFTER_MONTHS

#: Lifetime value: horizon (months), annual discount rate (fraction), value rate (fraction of
#: transaction value), time unit of the BG/NBD inputs (days per month).
CLV_HORIZON_MONTHS = 12
CLV_ANNUAL_DISCOUNT = 0.08
CLV_MARGIN = 1.0
DAYS_PER_MONTH = PERIODS_PER_MONTH["D"]
#: A customer is at risk of having left below this probability alive.
AT_RISK_BELOW = 0.5

#: Behavioural segmentation: features, the ones log-scaled, method, the k searched (chosen by
#: silhouette), seed and the transaction window (days up to the month's end).
SEGMENT_FEATURES = ("aum_rmb", "products", "active_days", "digital_share", "tenure_years", "age_years")
SEGMENT_LOG_FEATURES = ("aum_rmb", "products", "active_days")
SEGMENT_METHOD = "kmeans"
SEGMENT_K_MIN, SEGMENT_K_MAX = 2, 8
SEGMENT_SEED = 20261123
SEGMENT_WINDOW_DAYS = 365

#: Next best product: the rankings stored and how many products per customer in each.
PRODUCT_RANKINGS = ("expected_margin", "propensity")
PRODUCT_TOP_N = 3
