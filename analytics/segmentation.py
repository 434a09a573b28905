"""Behavioural segmentation of customers: k-means or a Gaussian mixture on standardised,
log-scaled features, with the number of segments chosen from the data and a plain profile of
each segment.

Public API
----------
:func:`segment_customers` (features → :class:`Segmentation`): fits k = ``k_min`` … ``k_max``
segments on a sample, picks k by the **silhouette** score (k-means) or **BIC** (Gaussian
mixture), returns every k's scores so the user can see why, labels all customers, and numbers
the segments by falling median of the first feature (segment 0 = highest, e.g. AUM), so labels
are stable across reruns with the same seed.
:func:`segment_profiles` → per segment: size, share, median of every feature and the features
that distinguish it most (the segment's median against everyone's, or the means where the medians
are equal, on the original scale).

Features are non-negative amounts and counts (AUM in RMB, product count, transactions a month,
digital share, tenure in years, age in years); those named in ``log_features`` are transformed
with log1p before standardising so a few very rich customers do not dominate the distances.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

__all__ = ["Segmentation", "choose_k", "segment_cells", "segment_customers", "segment_outlets", "segment_profiles"]

#: Customers the model selection is run on (silhouette is quadratic in the sample).
SELECTION_SAMPLE = 20_000
SILHOUETTE_SAMPLE = 4_000


@dataclass(frozen=True)
class Segmentation:
    """Result of :func:`segment_customers`.

    Attributes
    ----------
    labels : pd.Series
        Segment 0 … k−1 per customer (index as the input features).
    k : int
        Number of segments chosen.
    method : str
        "kmeans" or "gmm".
    scores : pd.DataFrame
        One row per k tried: ``k``, ``silhouette`` (−1…1, higher is better), ``bic`` (Gaussian
        mixture only, lower is better), ``inertia`` (k-means only).
    criterion : str
        "silhouette" or "bic": the score k was chosen by.
    features : list[str]
    """

    labels: pd.Series
    k: int
    method: str
    scores: pd.DataFrame
    criterion: str
    features: list[str]


def _prepare(features: pd.DataFrame, log_features: Sequence[str]) -> np.ndarray:
    frame = features.astype(float)
    if frame.isna().any().any() or not np.isfinite(frame.to_numpy()).all():
        raise ValueError("segmentation features must be finite numbers (fill or drop missing values first)")
    for column in log_features:
        if column in frame:
            if (frame[column] < 0).any():
                raise ValueError(f"feature {column!r} is log-scaled and must be ≥ 0")
            frame[column] = np.log1p(frame[column])
    matrix = StandardScaler().fit_transform(frame.to_numpy())
    return np.nan_to_num(matrix)  # a constant column scales to 0, not NaN


def segment_customers(
    features: pd.DataFrame,
    method: str = "kmeans",
    k_min: int = 2,
    k_max: int = 8,
    k: int | None = None,
    log_features: Sequence[str] = (),
    random_state: int = 0,
    progress: Callable[[float], None] | None = None,
) -> Segmentation:
    """Segment customers (rows of ``features``, numeric columns) into k groups.

    ``k`` fixes the number of segments; otherwise each k in [k_min, k_max] is fitted on a sample
    of up to ``SELECTION_SAMPLE`` customers and the best by silhouette (k-means) or BIC (mixture)
    is kept. The chosen model is then fitted on a sample and assigns every customer (k-means:
    nearest centre; mixture: most probable component). ``progress`` is called with 0…1.
    Deterministic for a given ``random_state``.
    """
    if method not in ("kmeans", "gmm"):
        raise ValueError("method must be 'kmeans' or 'gmm'")
    n = len(features)
    if features.shape[1] == 0:
        raise ValueError("no features to segment on")
    k_max = min(int(k_max), n - 1)
    if k is None and (k_min < 2 or k_max < k_min):
        raise ValueError(f"need at least {k_min + 1} customers and 2 ≤ k_min ≤ k_max to choose a number of segments")
    if k is not None and not 1 <= k < n:
        raise ValueError("k must be between 1 and the number of customers − 1")
    matrix = _prepare(features, log_features)
    rng = np.random.default_rng(random_state)
    sample = matrix[rng.choice(n, SELECTION_SAMPLE, replace=False)] if n > SELECTION_SAMPLE else matrix
    silhouette_rows = (
        rng.choice(len(sample), SILHOUETTE_SAMPLE, replace=False) if len(sample) > SILHOUETTE_SAMPLE else None
    )

    # One OpenMP and one BLAS thread: on a shared server (several users, other work) scikit-learn's
    # threads oversubscribe the cores and k-means becomes several times slower, not faster; the
    # silhouette's distance products were 2.5x slower with two BLAS threads on the 2-core machine.
    with threadpool_limits(limits=1):
        return _segment(features, matrix, sample, silhouette_rows, method, k, k_min, k_max, random_state, progress)


def _segment(
    features, matrix, sample, silhouette_rows, method, k, k_min, k_max, random_state, progress
) -> Segmentation:
    """The fitting part of :func:`segment_customers` (inputs already validated and scaled)."""

    def fit(k_value: int):
        if method == "kmeans":
            return KMeans(n_clusters=k_value, n_init=2, random_state=random_state).fit(sample)
        return GaussianMixture(
            n_components=k_value, covariance_type="full", n_init=2, random_state=random_state, reg_covar=1e-4
        ).fit(sample)

    candidates = [int(k)] if k is not None else list(range(int(k_min), k_max + 1))
    rows, models = [], {}
    for step, k_value in enumerate(candidates):
        model = fit(k_value)
        models[k_value] = model
        labels = model.predict(sample)
        row = {"k": k_value, "silhouette": np.nan, "bic": np.nan, "inertia": np.nan}
        if 1 < len(np.unique(labels)) < len(sample):
            subset = sample if silhouette_rows is None else sample[silhouette_rows]
            subset_labels = labels if silhouette_rows is None else labels[silhouette_rows]
            if len(np.unique(subset_labels)) > 1:
                row["silhouette"] = float(silhouette_score(subset, subset_labels))
        if method == "kmeans":
            row["inertia"] = float(model.inertia_)
        else:
            row["bic"] = float(model.bic(sample))
        rows.append(row)
        if progress:
            progress(0.9 * (step + 1) / len(candidates))
    scores = pd.DataFrame(rows)
    criterion = "silhouette" if method == "kmeans" else "bic"
    chosen = int(k) if k is not None else choose_k(scores, criterion)
    raw = models[chosen].predict(matrix)
    # Number segments by falling median of the first feature, so reruns give the same labels.
    first = features.iloc[:, 0].to_numpy(dtype=float)
    medians = {label: np.median(first[raw == label]) for label in np.unique(raw)}
    order = sorted(medians, key=lambda label: (-medians[label], label))
    relabel = np.zeros(max(order) + 1, dtype=np.int64)
    relabel[order] = np.arange(len(order))
    if progress:
        progress(1.0)
    return Segmentation(
        labels=pd.Series(relabel[raw], index=features.index, name="segment"),
        k=len(order),
        method=method,
        scores=scores,
        criterion=criterion,
        features=list(features.columns),
    )


def segment_profiles(features: pd.DataFrame, labels: pd.Series, top: int = 3) -> pd.DataFrame:
    """Profile of each segment: ``segment``, ``customers``, ``share`` (0–1), the median of every
    feature (column ``median_<feature>``) and ``distinguishing``: a list of up to ``top`` tuples
    (feature, segment value, overall value, direction "higher"/"lower", statistic) ranked by how
    far the segment's standardised mean lies from everyone's (|difference| in standard
    deviations, at least 0.2).

    The statistic quoted is "median" where the segment's median differs from everyone's, else
    "mean": a feature that is 0 for most customers (e.g. the digital share) has a median of 0 in
    the segment and overall, which would read "lower (median 0.0 %, overall 0.0 %)" and
    distinguishes nothing. A feature whose mean also does not differ is left out.
    """
    frame = features.astype(float)
    overall_median = frame.median()
    std = frame.std(ddof=0).replace(0.0, 1.0)
    mean = frame.mean()
    rows = []
    for segment, group in frame.groupby(labels.to_numpy()):
        effect = ((group.mean() - mean) / std).sort_values(key=np.abs, ascending=False)
        distinguishing = []
        for feature in effect.index:
            if len(distinguishing) == top or abs(effect[feature]) < 0.2:
                break
            own_median, all_median = float(group[feature].median()), float(overall_median[feature])
            if not np.isclose(own_median, all_median, rtol=1e-3, atol=1e-9):
                values = (own_median, all_median, "median")
            elif not np.isclose(group[feature].mean(), mean[feature], rtol=1e-3, atol=1e-9):
                values = (float(group[feature].mean()), float(mean[feature]), "mean")
            else:
                continue
            direction = "higher" if effect[feature] > 0 else "lower"
            distinguishing.append((feature, values[0], values[1], direction, values[2]))
        row = {"segment": int(segment), "customers": len(group), "share": len(group) / len(frame)}
        row.update({f"median_{feature}": float(group[feature].median()) for feature in frame.columns})
        row["distinguishing"] = distinguishing
        rows.append(row)
    return pd.DataFrame(rows)


def choose_k(scores: pd.DataFrame, criterion: str) -> int:
    """The k with the highest silhouette or the lowest BIC in a scores table (rows with ``k`` and
    the criterion's column, as :attr:`Segmentation.scores`)."""
    if criterion == "silhouette":
        return int(scores.loc[scores["silhouette"].fillna(-np.inf).idxmax(), "k"])
    if criterion == "bic":
        return int(scores.loc[scores["bic"].fillna(np.inf).idxmin(), "k"])
    raise ValueError("criterion must be 'silhouette' or 'bic'")


def segment_outlets(labels: pd.Series, outlet_ids: pd.Series, top: int = 3) -> pd.DataFrame:
    """Where each segment lives: per segment the ``top`` home outlets by members, with
    ``customers`` and ``share_of_segment`` (0–1) and ``share_of_outlet`` (the segment's share of
    the outlet's customers, 0–1)."""
    frame = pd.DataFrame({"segment": labels.to_numpy(), "outlet_id": outlet_ids.to_numpy()})
    counts = frame.groupby(["segment", "outlet_id"]).size().rename("customers").reset_index()
    counts["share_of_segment"] = counts.customers / counts.groupby("segment").customers.transform("sum")
    counts["share_of_outlet"] = counts.customers / counts.groupby("outlet_id").customers.transform("sum")
    counts = counts.sort_values(["segment", "customers", "outlet_id"], ascending=[True, False, True])
    return counts.groupby("segment").head(top).reset_index(drop=True)


def segment_cells(labels: pd.Series, cells: pd.Series) -> pd.DataFrame:
    """Customers per segment and home cell (H3): ``segment``, ``h3_index``, ``customers`` and
    ``share_of_cell`` (the segment's share of the cell's customers, 0–1). Customers without a
    home cell are left out."""
    frame = pd.DataFrame({"segment": labels.to_numpy(), "h3_index": cells.to_numpy()}).dropna()
    counts = frame.groupby(["segment", "h3_index"]).size().rename("customers").reset_index()
    counts["share_of_cell"] = counts.customers / counts.groupby("h3_index").customers.transform("sum")
    return counts
