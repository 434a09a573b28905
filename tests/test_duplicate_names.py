"""Outlets that share a name stay apart on every page.

Banks name outlets after streets, so names repeat (the demo has five "民族分理处"). A copy of the
small demo database gets the same name for every outlet and the same name for every
sub-branch; then every page is opened for an executive and a sub-branch head, and every chart
must still draw one mark per outlet (no category of a trace repeats: plotly would merge or
stack them) and every picker must list distinct labels.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from sqlalchemy import update

from config.roles import ROLE_POLICIES
from data.db import make_engine
from data.schema import OrgUnit
from data.unit_labels import disambiguated_labels
from tests.apptest_support import log_in, new_app
from tests.database_copy import copy_sqlite_database

OUTLET_NAME = ("民族分理处", "Minzu Office")
SUB_BRANCH_NAME = ("城区支行", "Urban Sub-branch")
USERS = {"exec": "executive", "head_sub": "branch_head"}
APP_PAGES = {name: f"pages/{name}.py" for policy in ROLE_POLICIES.values() for name in policy.pages}
CASES = [(user, page) for user, role in USERS.items() for page in ROLE_POLICIES[role].pages]
# Traces whose category values repeat by design (distributions, not one mark per unit).
DISTRIBUTION_TRACES = {"histogram", "box", "violin", "histogram2d", "scattermapbox", "scattergeo"}


def _values(values) -> list:
    """A plotly array as a list (plotly sends numpy arrays as typed base64 buffers)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


def repeated_categories(figure: dict) -> list[tuple[str, str, list]]:
    """(chart title, trace name, repeated labels) for every trace whose text categories repeat."""
    title = (figure.get("layout", {}).get("title") or {}).get("text", "")
    found = []
    for trace in figure.get("data", []):
        if trace.get("type", "scatter") in DISTRIBUTION_TRACES:
            continue
        axes = ["labels"] if trace.get("type") == "pie" else ["x", "y"]
        if trace.get("type") == "scatter" and "lines" in trace.get("mode", "lines"):
            axes = []  # a line joins points of one series; its x are months or hours
        for axis in axes:
            values = [v for v in _values(trace.get(axis) or []) if isinstance(v, str)]
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                found.append((title, str(trace.get("name", "")), repeated))
    return found


@pytest.fixture(scope="module")
def same_names_url(demo_database_url, tmp_path_factory):
    """A copy of the demo database where every outlet and every sub-branch shares one name."""
    url = copy_sqlite_database(demo_database_url, tmp_path_factory.mktemp("same-names") / "demo.sqlite")
    engine = make_engine(url)
    with engine.begin() as connection:
        for level, (zh, en) in (("outlet", OUTLET_NAME), ("sub_branch", SUB_BRANCH_NAME)):
            connection.execute(update(OrgUnit).where(OrgUnit.level == level).values(name_zh=zh, name_en=en))
    engine.dispose()
    return url


def test_labels_tell_units_with_one_name_apart():
    import pandas as pd

    units = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "code": ["0101", "0102", "0201", "0301"],
            "level": ["outlet"] * 4,
            "name_zh": ["民族分理处", "民族分理处", "民族分理处", "新华分理处"],
            "name_en": ["Minzu Office"] * 3 + ["Xinhua Office"],
            "parent_name_zh": ["新城支行", "新城支行", "回民支行", "新城支行"],
            "parent_name_en": ["Xincheng", "Xincheng", "Huimin", "Xincheng"],
        }
    )
    labels = disambiguated_labels(units)
    assert labels["label_zh"].tolist() == [
        "民族分理处（新城支行 · 0101）",
        "民族分理处（新城支行 · 0102）",
        "民族分理处（回民支行）",
        "新华分理处",
    ]
    assert labels["label_en"].tolist()[2:] == ["Minzu Office (Huimin)", "Xinhua Office"]


@pytest.mark.parametrize(("username", "page"), CASES)
def test_every_chart_and_picker_keeps_outlets_apart(username, page, same_names_url, monkeypatch, navigation_only_pages):
    monkeypatch.setenv("DATABASE_URL", same_names_url)
    at = log_in(new_app(180), username, lang="zh")
    at.switch_page(APP_PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    merged = [found for chart in at.get("plotly_chart") for found in repeated_categories(json.loads(chart.proto.spec))]
    assert not merged, merged
    for widget in [*at.selectbox, *at.multiselect, *at.radio]:
        labels = list(widget.options)
        assert len(labels) == len(set(labels)), (widget.label, labels)
