"""Outlet registry (网点建设管理): the outlets of the unit in focus with their master data, one
outlet's record, map, timeline and documents, forms to create and edit outlets and to record
their lifecycle (open, relocate, renovate, merge, close), and the change log of the scope.

Executives, planners and administrators may change the registry; branch heads read their own
scope. Every change goes through ``data.registry``, which checks the role in the database,
validates, and writes the timeline and audit log in one transaction; a refused change shows
one message per field and changes nothing.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from config.settings import load_settings
from data import queries, queries_market, queries_registry
from data import registry as changes
from data.registry import EDITOR_ROLES, NUMBER_FIELDS, RegistryError
from data.schema import OUTLET_TYPES
from ui import maps
from ui.cards import card_grid
from ui.data_access import app_engine, dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_compact_money, format_count, format_money
from ui.i18n import current_language, name_of, t
from ui.page_entry import enter_through_app
from ui.registry_view import event_summary, master_data_table, outlet_map, pick_layer, picked_point, registry_table
from ui.session import current_user
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

STATUSES = ("open", "planned", "merged", "closed")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

lang = current_language()
user = current_user()
may_edit = user.role in EDITOR_ROLES
engine = app_engine()
today = dt.date.today()
map_style = load_settings().map_style_url

unit = focus_unit()
st.title(t("reg_title"))
st.caption(t("reg_caption", unit=name_of(unit)))
st.caption(t("reg_as_of_today", today=today.isoformat()))  # master data: the sidebar month does not apply
flash = st.session_state.pop("reg_flash", None)
flash_area = st.container()  # always there, so that a message does not move the tabs below (they would reset)
if flash:
    flash_area.success(t(flash[0], **flash[1]))
if not may_edit:
    st.info(t("reg_read_only"))

outlets = run_query(queries_registry.registry_outlets, unit["id"])
type_labels = {kind: t(f"outlet_type_{kind}") for kind in OUTLET_TYPES}
status_labels = {status: t(f"status_{status}") for status in STATUSES}


def show_problems(error: RegistryError) -> None:
    """One message per refused field, with the field's label."""
    for field, key, values in error.problems:
        st.error(f"{t('reg_field_' + field)}: {t(key, **values)}")


def apply(change, success_key: str, *args, **kwargs) -> None:
    """Run a registry change; on success remember the message, drop cached results and rerun."""
    try:
        change(engine, user.username, *args, **kwargs)
    except RegistryError as error:
        show_problems(error)
        return
    st.session_state["reg_flash"] = (success_key, {})
    dataset_info.clear()  # the change gave the data a new version: cached results are not reused
    st.rerun()


def monthly_cost(record: dict) -> float | None:
    """Monthly rent + running cost (RMB); None when neither is known."""
    parts = [record["monthly_rent_rmb"], record["monthly_running_cost_rmb"]]
    return None if all(part is None for part in parts) else sum(part or 0 for part in parts)


def outlet_label(row) -> str:
    suffix = "" if row["status"] == "open" else f" ({status_labels[row['status']]})"
    return f"{row['code']} · {name_of(row)}{suffix}"


def number_inputs(prefix: str, values: dict, columns: int = 4) -> dict:
    """Inputs for the numeric master data (empty allowed), laid out in ``columns`` columns."""
    entered = {}
    grid = st.columns(columns)
    for i, (field, (integer, minimum, maximum)) in enumerate(NUMBER_FIELDS.items()):
        value = values.get(field)
        entered[field] = grid[i % columns].number_input(
            t(f"reg_field_{field}"),
            min_value=int(minimum) if integer else float(minimum),
            max_value=int(maximum) if integer else float(maximum),
            value=None if value is None else (int(value) if integer else float(value)),
            step=1 if integer else 1.0,
            key=f"{prefix}_{field}",
        )
    return entered


EDIT_FIELDS = ("code", "name_zh", "name_en", "outlet_type", "address_zh", "address_en", "opened_on", *NUMBER_FIELDS)


def edit_form(record: dict, outlet_id: int) -> None:
    """The master-data form. It shows the values it was opened with (kept in the session until
    a save or a conflict, so a re-read of the outlet does not shift them under the editor) and
    sends only the fields the editor changed, each with the value it started from: the data
    layer refuses a field someone else changed meanwhile, and keeps their change to another."""
    generation = st.session_state.get(f"reg_edit_generation_{outlet_id}", 0)
    prefix = f"reg_edit_{outlet_id}_{generation}"
    opened = st.session_state.setdefault(f"{prefix}_opened", {name: record[name] for name in EDIT_FIELDS})

    def reload() -> None:  # a new generation: new widget keys, a new snapshot of the outlet
        st.session_state.pop(f"{prefix}_opened", None)
        st.session_state[f"reg_edit_generation_{outlet_id}"] = generation + 1

    refused = st.session_state.pop("reg_edit_refused", None)  # a save refused for a conflict, before its rerun
    with st.expander(t("reg_edit_title"), expanded=bool(refused)):
        if refused:
            show_problems(RegistryError(refused))
        if any(not changes.same_field_value(opened[name], record[name]) for name in EDIT_FIELDS):
            st.warning(t("reg_edit_outdated"))
            st.button(t("reg_edit_reload"), key=f"{prefix}_reload", on_click=reload)
        with st.form(prefix):
            st.caption(t("reg_edit_help"))
            names = st.columns(3)
            edited = {
                name: column.text_input(t(f"reg_field_{name}"), opened[name] or "", key=f"{prefix}_{name}")
                for name, column in zip(("code", "name_zh", "name_en"), names)
            }
            kinds = st.columns(3)
            edited["outlet_type"] = kinds[0].selectbox(
                t("reg_field_outlet_type"),
                list(OUTLET_TYPES),
                index=OUTLET_TYPES.index(opened["outlet_type"]) if opened["outlet_type"] in OUTLET_TYPES else 0,
                format_func=type_labels.get,
                key=f"{prefix}_outlet_type",
            )
            for name, column in zip(("address_zh", "address_en"), kinds[1:]):
                edited[name] = column.text_input(t(f"reg_field_{name}"), opened[name] or "", key=f"{prefix}_{name}")
            edited["opened_on"] = st.date_input(
                t("reg_field_opened_on"),
                opened["opened_on"],
                min_value=dt.date(1949, 1, 1),
                max_value=dt.date(today.year + 10, 12, 31),
                key=f"{prefix}_opened_on",
            )
            edited |= number_inputs(prefix, opened)
            if not st.form_submit_button(t("reg_save")):
                return
    changed = {name: value for name, value in edited.items() if not changes.same_field_value(value, opened[name])}
    if not changed:
        st.info(t("reg_nothing_changed"))
        return
    try:
        changes.update_outlet(
            engine, user.username, outlet_id, changed, expected={name: opened[name] for name in changed}
        )
    except RegistryError as error:
        if not any(key == "reg_err_changed_meanwhile" for _, key, _ in error.problems):
            show_problems(error)
            return
        st.session_state["reg_edit_refused"] = error.problems  # shown over the reloaded form
    else:
        st.session_state["reg_flash"] = ("reg_saved", {})
    # Saved, or someone changed the outlet meanwhile: reopen the form on the outlet as it is now.
    reload()
    dataset_info.clear()  # the data has a new version: cached results are not reused
    st.rerun()


open_outlets = outlets[outlets["status"] == "open"]
receiver_labels = {int(row["id"]): outlet_label(row) for _, row in open_outlets.iterrows()}

# Read-only roles get no "new outlet" tab at all (not a tab that only says they cannot use it).
tabs = st.tabs([t("reg_tab_list"), t("reg_tab_outlet"), *([t("reg_tab_new")] if may_edit else []), t("reg_tab_log")])
list_tab, outlet_tab, log_tab = tabs[0], tabs[1], tabs[-1]
new_tab = tabs[2] if may_edit else None

# --- All outlets of the scope -----------------------------------------------------------------
with list_tab:
    filters = st.columns(3)
    chosen_statuses = filters[0].multiselect(
        t("reg_filter_status"),
        list(STATUSES),
        default=["open", "planned"],
        format_func=status_labels.get,
        key="reg_filter_status",
        placeholder=t("widget_choose"),
    )
    chosen_types = filters[1].multiselect(
        t("reg_filter_type"),
        list(OUTLET_TYPES),
        format_func=type_labels.get,
        key="reg_filter_type",
        placeholder=t("widget_choose"),
    )
    search = filters[2].text_input(t("reg_filter_search"), key="reg_filter_search").strip().lower()
    shown = outlets[outlets["status"].isin(chosen_statuses)]
    if chosen_types:
        shown = shown[shown["outlet_type"].isin(chosen_types)]
    if search:
        text = shown["code"].str.lower() + " " + shown["name_zh"] + " " + shown["name_en"].str.lower()
        shown = shown[text.str.contains(search, regex=False)]
    st.caption(t("reg_list_count", shown=format_count(len(shown), lang), total=format_count(len(outlets), lang)))
    table = registry_table(shown, lang)
    if shown["data_origin"].notna().any():  # a demo of several provinces: real or synthetic province
        origins = shown["data_origin"].map(lambda v: t(f"data_origin_{v}") if isinstance(v, str) else MISSING)
        table.insert(2, t("col_data_origin"), origins.to_numpy())
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("reg_export"),
        frames_to_xlsx({t("reg_tab_list"): table}),
        file_name=f"outlets_{unit['code']}.xlsx",
        mime=XLSX,
        key="reg_export",
    )

# --- One outlet -------------------------------------------------------------------------------
with outlet_tab:
    if outlets.empty:
        st.info(t("reg_no_outlets"))
    else:
        labels = {int(row["id"]): outlet_label(row) for _, row in outlets.iterrows()}
        if st.session_state.get("reg_outlet") not in labels:
            st.session_state["reg_outlet"] = unit["id"] if unit["id"] in labels else next(iter(labels))
        outlet_id = st.selectbox(t("reg_pick_outlet"), list(labels), format_func=labels.get, key="reg_outlet")
        record = run_query(queries_registry.outlet_record, outlet_id)
        timeline = run_query(queries_registry.change_log, outlet_id)

        st.markdown(
            f"**{status_labels[record['status']]}** · {type_labels.get(record['outlet_type'], MISSING)} · "
            f"{t('reg_field_opened_on')} {record['opened_on'] or MISSING} · {record[f'parent_name_{lang}']}"
        )
        facts = card_grid("reg_fact_cards", 4)
        counters = (record["cash_counters"] or 0) + (record["non_cash_counters"] or 0)
        facts[0].metric(t("reg_counters"), format_count(counters, lang))
        facts[1].metric(t("reg_field_staff_count"), format_count(record["staff_count"], lang))
        facts[2].metric(t("reg_area"), format_count(record["floor_area_m2"], lang))
        facts[3].metric(
            t("reg_monthly_cost_card"),
            format_compact_money(monthly_cost(record), lang),
            help=format_money(monthly_cost(record), lang),
        )
        if record["status"] == "merged":
            st.info(t("reg_merged_into", code=record["merged_into_code"] or MISSING, date=str(record["closed_on"])))

        data_tab, life_tab, docs_tab = st.tabs([t("reg_tab_master"), t("reg_tab_lifecycle"), t("reg_tab_documents")])
        with data_tab:
            left, right = st.columns([3, 2])
            left.dataframe(master_data_table(record, lang), hide_index=True, width="stretch", height=640)
            districts = run_query(queries.district_outlines, outlet_id)
            deck = outlet_map(record, timeline, open_outlets, districts, lang, map_style)
            if deck is not None:
                right.pydeck_chart(deck, height=360)
                right.caption(t("reg_map_caption"))
            if may_edit and record["status"] in ("open", "planned"):
                edit_form(record, outlet_id)
        with life_tab:
            if timeline.empty:
                st.info(t("reg_no_events"))
            else:
                st.dataframe(event_summary(timeline, lang), hide_index=True, width="stretch")
            if may_edit:
                others = {key: label for key, label in receiver_labels.items() if key != outlet_id}
                actions = (
                    ["relocate", "renovate", "merge", "close"]
                    if record["status"] == "open"
                    else ["open", "close"]
                    if record["status"] == "planned"
                    else []
                )
                action_labels = {action: t(f"reg_action_{action}") for action in actions}
                if actions:
                    action = st.radio(
                        t("reg_action"), actions, format_func=action_labels.get, horizontal=True, key="reg_action"
                    )
                    with st.form(f"reg_life_{outlet_id}_{action}"):
                        st.caption(t(f"reg_action_{action}_help"))
                        on = st.date_input(t("reg_field_event_date"), today, max_value=today)
                        if action == "relocate":
                            place = st.columns(2)
                            lon = place[0].number_input(t("reg_field_lon"), value=record["lon"], format="%.6f")
                            lat = place[1].number_input(t("reg_field_lat"), value=record["lat"], format="%.6f")
                            address = st.columns(2)
                            address_zh = address[0].text_input(t("reg_field_address_zh"), record["address_zh"] or "")
                            address_en = address[1].text_input(t("reg_field_address_en"), record["address_en"] or "")
                        elif action == "renovate":
                            cost_columns = st.columns(2)
                            cost = cost_columns[0].number_input(t("reg_field_cost_rmb"), min_value=0.0, step=10_000.0)
                            days = cost_columns[1].number_input(t("reg_field_closed_days"), 0, 365, 0)
                        elif action in ("merge", "close"):
                            receiver = st.selectbox(
                                t("reg_field_receiver"), [None, *others], format_func=lambda k: others.get(k, MISSING)
                            )
                        reason = st.text_input(t("reg_field_reason"))
                        if st.form_submit_button(t(f"reg_action_{action}"), type="primary"):
                            if action == "relocate":
                                apply(
                                    changes.relocate_outlet, "reg_relocated", outlet_id, on, lon, lat,
                                    address_zh, address_en, reason,
                                )  # fmt: skip
                            elif action == "renovate":
                                apply(changes.renovate_outlet, "reg_renovated", outlet_id, on, cost, days, reason)
                            elif action == "merge":
                                apply(changes.merge_outlet, "reg_merged", outlet_id, receiver, on, reason)
                            elif action == "close":
                                apply(changes.close_outlet, "reg_closed", outlet_id, on, receiver, reason)
                            else:
                                apply(changes.open_outlet, "reg_opened", outlet_id, on, reason)
        with docs_tab:
            if not record["documents"]:
                st.info(t("reg_no_documents"))
            for document in record["documents"]:
                row = st.columns([6, 1])
                row[0].markdown(f"[{document['title']}]({document['url']}) · {document['added_by'] or MISSING}")
                if may_edit and row[1].button(t("reg_remove"), key=f"reg_doc_remove_{document['id']}"):
                    apply(changes.remove_document, "reg_document_removed", document["id"])
            if may_edit:
                with st.form(f"reg_doc_{outlet_id}", clear_on_submit=True):
                    title = st.text_input(t("reg_field_title"))
                    url = st.text_input(t("reg_field_url"), placeholder="https://intranet/…")
                    if st.form_submit_button(t("reg_add_document")):
                        apply(changes.add_document, "reg_document_added", outlet_id, title, url)

# --- A new outlet -----------------------------------------------------------------------------
if new_tab is not None:
    with new_tab:
        parents = run_query(queries_registry.registry_parents, unit["id"])
        if parents.empty:
            st.info(t("reg_no_parents"))
        else:
            st.caption(t("reg_new_help"))
            cells = run_query(queries_market.market_demand_cells, unit["id"])
            if not cells.empty:
                view = maps.view_for(cells["lon"], cells["lat"], height_px=420)
                districts = run_query(queries.district_outlines, unit["id"])
                base = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if not districts.empty else []
                event = st.pydeck_chart(
                    maps.build_deck([*base, pick_layer(cells)], view, map_style),
                    height=420,
                    on_select="rerun",
                    selection_mode="single-object",
                    key="reg_pick_map",
                )
                point = picked_point(event)
                if point is not None and point != st.session_state.get("reg_picked"):
                    st.session_state["reg_picked"] = point
                    st.session_state["reg_new_lon"], st.session_state["reg_new_lat"] = point
                st.caption(t("reg_pick_caption"))
            parent_labels = {int(row["id"]): f"{row['code']} · {name_of(row)}" for _, row in parents.iterrows()}
            with st.form("reg_new", clear_on_submit=False):
                names = st.columns(3)
                new = {
                    "code": names[0].text_input(t("reg_field_code"), key="reg_new_code"),
                    "name_zh": names[1].text_input(t("reg_field_name_zh"), key="reg_new_name_zh"),
                    "name_en": names[2].text_input(t("reg_field_name_en"), key="reg_new_name_en"),
                }
                kinds = st.columns(3)
                new["outlet_type"] = kinds[0].selectbox(
                    t("reg_field_outlet_type"), list(OUTLET_TYPES), format_func=type_labels.get, key="reg_new_type"
                )
                new["parent_id"] = kinds[1].selectbox(
                    t("reg_field_parent_id"), list(parent_labels), format_func=parent_labels.get, key="reg_new_parent"
                )
                planned = kinds[2].toggle(t("reg_new_planned"), key="reg_new_planned")
                place = st.columns(3)
                new["lon"] = place[0].number_input(t("reg_field_lon"), value=None, format="%.6f", key="reg_new_lon")
                new["lat"] = place[1].number_input(t("reg_field_lat"), value=None, format="%.6f", key="reg_new_lat")
                new["opened_on"] = place[2].date_input(
                    t("reg_field_opened_on"), today, max_value=dt.date(today.year + 10, 12, 31), key="reg_new_opened_on"
                )
                address = st.columns(2)
                new["address_zh"] = address[0].text_input(t("reg_field_address_zh"), key="reg_new_address_zh")
                new["address_en"] = address[1].text_input(t("reg_field_address_en"), key="reg_new_address_en")
                new |= number_inputs("reg_new", {})
                if st.form_submit_button(t("reg_create"), type="primary"):
                    apply(changes.create_outlet, "reg_created", new | {"status": "planned" if planned else "open"})

# --- Change log of the scope ------------------------------------------------------------------
with log_tab:
    log = run_query(queries_registry.change_log, unit["id"])
    if log.empty:
        st.info(t("reg_no_events"))
    else:
        kinds = sorted(log["event_type"].unique())
        kind_labels = {kind: t(f"reg_event_{kind}") for kind in kinds}
        chosen = st.multiselect(
            t("reg_filter_event"),
            kinds,
            default=kinds,
            format_func=kind_labels.get,
            key="reg_log_kinds",
            placeholder=t("widget_choose"),
        )
        summary = event_summary(log[log["event_type"].isin(chosen)], lang)
        st.caption(t("reg_log_caption", count=format_count(len(summary), lang)))
        st.dataframe(summary, hide_index=True, width="stretch")
        st.download_button(
            t("reg_export"),
            frames_to_xlsx({t("reg_tab_log"): summary}),
            file_name=f"change_log_{unit['code']}.xlsx",
            mime=XLSX,
            key="reg_log_export",
        )
