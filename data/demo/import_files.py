"""The demo's extracts as import files, so that the demo loads through the import pipeline.

Each generated table that has an import kind is written the way a bank would deliver it: codes
instead of database ids (outlet codes, employee numbers, district codes), raw ID and phone
numbers (the pipeline hashes and masks them), CSV in UTF-8. The organisation tree, products,
staff and the metric catalogue are master data and go in directly.
"""

from __future__ import annotations

import pandas as pd

# Import kind of each generated table, in loading order.
IMPORTED_TABLES = {
    "competitor_outlet": "competitor_outlets",
    "demand_cell": "demand_grid",
    "customer": "customers",
    "kpi_monthly": "monthly_kpis",
    "target": "targets",
    "lobby_hourly": "lobby_hourly",
    "lobby_service_type": "lobby_service_types",
    "inspection": "inspections",
}


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def import_file(table: str, tables: dict[str, pd.DataFrame], customers: pd.DataFrame) -> bytes:
    """The CSV file of the import kind that loads ``table`` (see :data:`IMPORTED_TABLES`).

    ``customers`` is the generator's full customer frame (with raw ID and phone numbers).
    """
    unit_code = tables["org_unit"].set_index("id").code
    if table == "competitor_outlet":
        columns = ["bank_code", "bank_name_zh", "bank_name_en", "name", "city_code", "lon", "lat", "counters"]
        return _csv(tables[table][[*columns, "opened_on", "closed_on"]])
    if table == "demand_cell":
        district_code = tables["district"].set_index("id").code
        frame = tables[table]
        columns = ["h3_index", "city_code", "population", "households", "income_index", "businesses"]
        return _csv(frame[columns].assign(district_code=frame.district_id.map(district_code)))
    if table == "customer":
        employee_no = tables["staff"].set_index("id").employee_no
        frame = customers
        return _csv(
            pd.DataFrame(
                {
                    "customer_no": frame.customer_no,
                    "kind": frame.kind,
                    "name": frame.name,
                    "id_number": frame.id_number,
                    "phone": frame.phone,
                    "home_outlet_code": frame.home_outlet_id.map(unit_code),
                    "birth_year": frame.birth_year,
                    "birth_date": frame.birth_date,
                    "gender": frame.gender,
                    "industry": frame.industry,
                    "opened_on": frame.opened_on,
                    "is_key_customer": frame.is_key_customer,
                    "home_cell": frame.home_cell,
                    "relationship_manager": frame.relationship_manager_id.map(employee_no),
                }
            )
        )
    if table == "kpi_monthly":
        frame = tables[table]
        return _csv(
            pd.DataFrame(
                {
                    "outlet_code": frame.outlet_id.map(unit_code),
                    "metric_code": frame.metric_code,
                    "month": frame.month,
                    "value": frame.value,
                }
            )
        )
    if table == "target":
        frame = tables[table]
        return _csv(
            frame[["metric_code", "period_start", "period_end", "value"]].assign(
                unit_code=frame.org_unit_id.map(unit_code)
            )
        )
    if table == "lobby_hourly":
        frame = tables[table]
        columns = ["day", "hour", "arrivals", "counters_open", "mean_service_minutes", "mean_wait_minutes"]
        return _csv(frame[columns].assign(outlet_code=frame.outlet_id.map(unit_code)))
    if table == "lobby_service_type":
        frame = tables[table]
        columns = ["month", "business_type", "transactions", "service_minutes_total"]
        return _csv(
            frame[columns].assign(
                outlet_code=frame.outlet_id.map(unit_code), month=pd.to_datetime(frame.month).dt.strftime("%Y-%m")
            )
        )
    if table == "inspection":
        frame = tables[table]
        columns = ["inspected_on", "kind", "item", "score", "max_score", "note"]
        return _csv(frame[columns].assign(outlet_code=frame.outlet_id.map(unit_code)))
    raise ValueError(f"no import kind loads {table!r}")
