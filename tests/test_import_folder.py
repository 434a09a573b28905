"""Loading a folder of import files (``python -m data.importer load DIR``): which kind each file
holds (manifest or name), dependency order, all or nothing, dry run, exit codes, messages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config.import_texts import import_message
from data.importer.__main__ import main as cli
from data.importer.folder import (
    LOAD_ORDER,
    FolderError,
    kind_from_name,
    load_folder,
    load_position,
    plan_folder,
)
from data.importer.pipeline import BatchError
from data.importer.spec import KINDS
from data.kpi_rollup import is_current
from data.schema import AuditLog, CompetitorOutlet, DatasetInfo, ImportBatch, KpiMonthly, OrgUnit, Target
from tests.test_importer import table_checksums

# Who supplies the rows a reference names: an import kind, or reference data that the
# migrations write (metric catalogue) or that is not imported (district outlines).
PROVIDED_BY = {
    "outlet_code": "org_units",
    "home_outlet_code": "org_units",
    "unit_code": "org_units",
    "city_code": "org_units",
    "employee_no": "staff",
    "relationship_manager_no": "staff",
    "customer_no": "customers",
    "any_customer_no": "customers",
    "personal_customer_no": "customers",
    "corporate_customer_no": "customers",
    "any_product_code": "products",
    "personal_deposit": "products",
    "corporate_deposit": "products",
    "personal_loan": "products",
    "corporate_loan": "products",
    "product_holding": "products",
    "complaint_no": "complaints",
}
REFERENCE_DATA = {"metric_code", "base_metric_code", "district_code"}

# A small folder for the fixture network: a new outlet N1 under sub-branch U4 and files that
# refer to it, named so that the alphabetical order is not the dependency order.
ORG_UNITS = (
    "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat\n"
    "N1,新网点,New outlet,outlet,U4,sub_office,150100,111.10,40.10\n"
)
KPIS = "outlet_code,metric_code,month,value\nN1,deposits_personal,2026-11,500000\nU6,deposits_personal,2026-11,7\n"
TARGETS = "unit_code,metric_code,period_start,period_end,value\nN1,deposits_total,2026-01-01,2026-12-31,900000\n"
BAD_TARGETS = "unit_code,metric_code,period_start,period_end,value\nN1,deposits_total,2026-01-01,2026-12-31,lots\n"
COMPETITORS = (
    "bank_code,bank_name_zh,bank_name_en,name,city_code,lon,lat\n"
    "BOC,中国银行,Bank of China,中行新华,150100,111.1,40.1\n"
)
BAD_COMPETITORS = COMPETITORS.replace("111.1", "east")


def write(folder, files: dict[str, str]):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def good_folder(tmp_path):
    return write(
        tmp_path / "extracts",
        {
            "competitor_outlets.csv": COMPETITORS,
            "monthly_kpis_2026-11.csv": KPIS,
            "org_units.csv": ORG_UNITS,
            "targets.csv": TARGETS,
        },
    )


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def audit_actions(engine) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()


# --- the order ------------------------------------------------------------------------------


def test_load_order_names_every_kind_once():
    """A new import kind must be given its place in the load order (and no stale name stays)."""
    assert len(set(LOAD_ORDER)) == len(LOAD_ORDER)
    assert set(KINDS) - set(LOAD_ORDER) == set(), "add the new kind to data.importer.folder.LOAD_ORDER"
    assert set(LOAD_ORDER) - set(KINDS) == set()


def test_load_order_puts_what_a_kind_refers_to_before_it():
    for kind in KINDS.values():
        for column in kind.columns:
            reference = column.reference
            if reference is None or reference in REFERENCE_DATA:
                continue
            assert reference in PROVIDED_BY, f"{kind.name}.{column.name}: which kind supplies {reference!r}?"
            assert load_position(PROVIDED_BY[reference]) < load_position(kind.name), (kind.name, reference)
    assert LOAD_ORDER[0] == "org_units"


def test_a_kind_without_a_place_is_an_error():
    with pytest.raises(KeyError, match="LOAD_ORDER"):
        load_position("no_such_kind")


@pytest.mark.parametrize(
    ("name", "kind", "order"),
    [
        ("customers.csv", "customers", None),
        ("CUSTOMERS.CSV", "customers", None),
        ("customers_2026-10.xlsx", "customers", None),
        ("03_customers.csv", "customers", 3),
        ("10-monthly_kpis.2026.csv", "monthly_kpis", 10),
        ("personal_deposits 2026-10.csv", "personal_deposits", None),
        ("complaint_status_changes.csv", "complaint_status_changes", None),
        ("complaints_2026.csv", "complaints", None),
        ("customerlist.csv", None, None),
        ("2026-10_customers.csv", None, 2026),
        ("kpis.csv", None, None),
    ],
)
def test_kind_from_the_file_name(name, kind, order):
    assert kind_from_name(name) == (kind, order)


def test_files_go_in_dependency_order_then_by_number_then_by_name(tmp_path):
    folder = write(
        tmp_path / "f",
        {
            "targets.csv": "",
            "monthly_kpis_b.csv": "",
            "monthly_kpis_a.csv": "",
            "10_org_units.csv": "",
            "2_org_units.csv": "",
            "org_units_z.csv": "",
            ".hidden": "",
        },
    )
    (folder / "archive").mkdir()  # sub-folders are not read
    planned = [(f.name, f.kind) for f in plan_folder(folder)]
    assert planned == [
        ("2_org_units.csv", "org_units"),
        ("10_org_units.csv", "org_units"),
        ("org_units_z.csv", "org_units"),
        ("monthly_kpis_a.csv", "monthly_kpis"),
        ("monthly_kpis_b.csv", "monthly_kpis"),
        ("targets.csv", "targets"),
    ]


def test_every_unknown_file_is_named_at_once(tmp_path):
    folder = write(tmp_path / "f", {"customers.csv": "", "notes.txt": "", "kpis.csv": "", "old.xls": ""})
    with pytest.raises(FolderError) as refused:
        plan_folder(folder)
    problems = {(key, params["file"]) for key, params in refused.value.problems}
    assert problems == {
        ("import_folder_not_csv_or_xlsx", "notes.txt"),
        ("import_folder_not_csv_or_xlsx", "old.xls"),
        ("import_folder_unknown_file", "kpis.csv"),
    }


def test_the_manifest_decides_kinds_and_order(tmp_path):
    folder = write(
        tmp_path / "f",
        {
            "manifest.csv": "文件,类型,顺序\nunits_b.csv,org_units,1\nunits_a.csv,org_units,2\nkpi.csv,monthly_kpis,\n",
            "units_a.csv": "",
            "units_b.csv": "",
            "kpi.csv": "",
        },
    )
    assert [(f.name, f.kind, f.order) for f in plan_folder(folder)] == [
        ("units_b.csv", "org_units", 1),
        ("units_a.csv", "org_units", 2),
        ("kpi.csv", "monthly_kpis", None),
    ]


def test_every_manifest_problem_is_named_at_once(tmp_path):
    folder = write(
        tmp_path / "f",
        {
            "manifest.csv": "file,kind,order\n"
            "a.csv,org_units,\n"
            "a.csv,org_units,\n"
            "missing.csv,customers,\n"
            "b.csv,kpis,\n"
            "c.csv,targets,first\n"
            ",targets,\n"
            "notes.txt,targets,\n",
            "a.csv": "",
            "b.csv": "",
            "c.csv": "",
            "d.csv": "",
            "notes.txt": "",
        },
    )
    with pytest.raises(FolderError) as refused:
        plan_folder(folder)
    assert [key for key, _ in refused.value.problems] == [
        "import_folder_manifest_twice",
        "import_folder_manifest_missing_file",
        "import_folder_manifest_unknown_kind",
        "import_folder_manifest_bad_order",
        "import_folder_manifest_required",
        "import_folder_not_csv_or_xlsx",
        "import_folder_not_in_manifest",
    ]
    assert refused.value.problems[-1][1] == {"file": "d.csv"}
    for key, params in refused.value.problems:
        assert import_message(key, "zh", **params) and import_message(key, "en", **params)


def test_a_manifest_without_its_columns_or_in_another_encoding_is_refused(tmp_path):
    folder = write(tmp_path / "f", {"manifest.csv": "name,type\na.csv,org_units\n", "a.csv": ""})
    with pytest.raises(FolderError) as refused:
        plan_folder(folder)
    assert refused.value.problems == [("import_folder_manifest_columns", {"header": "name,type"})]
    (folder / "manifest.csv").write_bytes("文件,类型\na.csv,org_units\n".encode("gbk"))
    with pytest.raises(FolderError) as refused:
        plan_folder(folder)
    assert refused.value.problems == [("import_folder_manifest_not_utf8", {})]


def test_an_empty_folder_or_a_file_is_refused(tmp_path):
    with pytest.raises(FolderError) as refused:
        plan_folder(write(tmp_path / "empty", {}))
    assert refused.value.problems[0][0] == "import_folder_no_files"
    with pytest.raises(FolderError) as refused:
        plan_folder(tmp_path / "nowhere")
    assert refused.value.problems[0][0] == "import_folder_not_a_folder"


# --- loading, on both backends --------------------------------------------------------------


def test_confirmed_folder_loads_every_file_in_dependency_order(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    with network.connect() as connection:
        version_before = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar()
    assert cli(["load", str(folder), "--database-url", url_of(network), "--confirm", "--user", "ops"]) == 0
    out = capsys.readouterr().out
    assert "4 files to load in dependency order" in out
    assert "[1/4] org_units.csv (org_units): 1 rows" in out  # first although last by name
    assert "[3/4] targets.csv (targets): 1 rows" in out
    assert "[4/4] competitor_outlets.csv (competitor_outlets): 1 rows" in out
    assert "4 files loaded in one transaction (5 rows)" in out
    with network.connect() as connection:
        outlet = connection.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.code == "N1")).one()
        assert outlet.path == f"/1/2/4/{outlet.id}/"
        kpi = connection.execute(select(KpiMonthly.value).where(KpiMonthly.outlet_id == outlet.id)).scalar_one()
        assert kpi == 500000
        assert connection.execute(select(Target.value).where(Target.org_unit_id == outlet.id)).scalar_one() == 900000
        batches = connection.execute(select(ImportBatch.kind, ImportBatch.status).order_by(ImportBatch.id)).all()
        assert batches == [
            ("org_units", "confirmed"),
            ("monthly_kpis", "confirmed"),
            ("targets", "confirmed"),
            ("competitor_outlets", "confirmed"),
        ]
        version = connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar()
        assert version != version_before and version.startswith("folder-")
        assert is_current(connection)  # the roll-up was rebuilt for the folder's data version
        audit = connection.execute(select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "folder_loaded"))
        username, detail = audit.one()
    assert username == "ops" and detail["rows"] == 5 and len(detail["batches"]) == 4


def test_one_refused_file_leaves_the_database_as_it_was(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "competitor_outlets.csv").write_text(BAD_COMPETITORS, encoding="utf-8")  # the last file loaded
    before = table_checksums(network)
    assert cli(["load", str(folder), "--database-url", url_of(network), "--confirm"]) == 1
    captured = capsys.readouterr()
    assert "[3/4] targets.csv" in captured.out  # the files before it went in ...
    assert "competitor_outlets.csv:2 [lon] 'east': Not a number." in captured.err
    assert "competitor_outlets.csv: 1 errors in 1 rows." in captured.err
    assert (
        "competitor_outlets.csv (competitor_outlets) was refused: nothing from this folder was loaded" in captured.err
    )
    assert table_checksums(network) == before  # ... and were rolled back with it
    assert audit_actions(network)[-1] == "folder_refused"


def test_a_file_refused_as_a_whole_is_reported(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "monthly_kpis_2026-11.csv").write_bytes(b"")
    before = table_checksums(network)
    assert cli(["load", str(folder), "--database-url", url_of(network), "--confirm"]) == 1
    assert "monthly_kpis_2026-11.csv: The file is empty." in capsys.readouterr().err
    assert table_checksums(network) == before


def test_dry_run_checks_everything_and_changes_nothing(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    before = table_checksums(network)
    assert cli(["load", str(folder), "--database-url", url_of(network)]) == 0
    assert "all 4 files valid (5 rows)" in capsys.readouterr().out
    assert table_checksums(network) == before
    # Later files are checked against the earlier ones: without the tree, N1 is unknown.
    (folder / "org_units.csv").unlink()
    assert cli(["load", str(folder), "--database-url", url_of(network)]) == 1
    assert "monthly_kpis_2026-11.csv:2 [outlet_code] 'N1'" in capsys.readouterr().err
    assert table_checksums(network) == before


def test_unknown_file_is_refused_before_anything_is_loaded(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    (folder / "kpi_notes.csv").write_text("whatever\n", encoding="utf-8")
    before = table_checksums(network)
    assert cli(["load", str(folder), "--database-url", url_of(network), "--confirm"]) == 1
    captured = capsys.readouterr()
    assert "kpi_notes.csv: which kind of data is this?" in captured.err
    assert "Nothing was loaded" in captured.err and "files to load" not in captured.out
    assert table_checksums(network) == before


def test_chinese_messages(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    url = url_of(network)
    assert cli(["load", str(folder), "--database-url", url, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "按依赖顺序导入4个文件" in out and "[1/4] org_units.csv（org_units）：1行" in out
    assert "全部4个文件校验通过（共5行）" in out
    (folder / "targets.csv").write_text(BAD_TARGETS, encoding="utf-8")
    assert cli(["load", str(folder), "--database-url", url, "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "targets.csv:2 [value] 'lots': 不是数字" in err
    assert "targets.csv（targets）被拒绝：本文件夹的数据全部未导入" in err
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    assert cli(["load", str(folder), "--database-url", url, "--lang", "zh"]) == 1
    assert "readme.txt：只导入CSV和Excel（.xlsx）文件" in capsys.readouterr().err


def test_exit_codes_for_bad_arguments_and_databases(network, tmp_path):
    folder = good_folder(tmp_path)
    with pytest.raises(SystemExit) as usage:
        cli(["load", str(tmp_path / "nowhere"), "--database-url", url_of(network)])
    assert usage.value.code == 2
    assert cli(["load", str(folder), "--database-url", "postgresql://nobody@127.0.0.1:1/x"]) == 2
    assert cli(["load", str(folder), "--database-url", f"sqlite:///{tmp_path / 'new.sqlite'}"]) == 2  # not migrated


def test_only_stewards_and_admins_load_a_folder(network, tmp_path):
    files = plan_folder(good_folder(tmp_path))
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        load_folder(network, files, "exec", confirm=True)
    assert refused.value.key == "import_not_allowed"
    assert table_checksums(network) == before
    outcome = load_folder(network, files, "steward", confirm=True)
    assert outcome.ok and outcome.committed and [f.rows for f in outcome.loaded] == [1, 2, 1, 1]
    assert count(network, CompetitorOutlet) == 3


def test_the_same_folder_twice_is_refused_the_second_time(network, tmp_path, capsys):
    folder = good_folder(tmp_path)
    url = url_of(network)
    assert cli(["load", str(folder), "--database-url", url, "--confirm"]) == 0
    before = table_checksums(network)
    assert cli(["load", str(folder), "--database-url", url, "--confirm"]) == 1
    assert "org_units.csv: This file was already imported" in capsys.readouterr().err
    assert table_checksums(network) == before


def kpi_value(engine, outlet_code: str) -> list[float]:
    with engine.connect() as connection:
        return (
            connection.execute(
                select(KpiMonthly.value)
                .join(OrgUnit, OrgUnit.id == KpiMonthly.outlet_id)
                .where(OrgUnit.code == outlet_code, KpiMonthly.metric_code == "deposits_personal")
                .where(KpiMonthly.import_batch_id.is_not(None))
            )
            .scalars()
            .all()
        )


def test_restating_folders_and_files_replace_rows_loaded_earlier(network, tmp_path, capsys):
    url = url_of(network)
    assert cli(["load", str(good_folder(tmp_path)), "--database-url", url, "--confirm"]) == 0
    assert kpi_value(network, "U6") == [7]
    fix = "outlet_code,metric_code,month,value\nU6,deposits_personal,2026-11,8\n"
    again = write(tmp_path / "again", {"monthly_kpis_fix.csv": fix})
    capsys.readouterr()
    assert cli(["load", str(again), "--database-url", url, "--confirm"]) == 1
    assert "Already in the database" in capsys.readouterr().err
    assert cli(["load", str(again), "--database-url", url, "--confirm", "--restate"]) == 0
    assert "1 rows restate earlier data" in capsys.readouterr().out
    assert kpi_value(network, "U6") == [8]
    single = tmp_path / "kpis.csv"
    single.write_text(fix.replace(",8\n", ",9\n"), encoding="utf-8")
    assert cli(["monthly_kpis", str(single), "--database-url", url, "--confirm", "--restate", "--lang", "zh"]) == 0
    assert "其中 1 行更正此前导入的数据" in capsys.readouterr().out
    assert kpi_value(network, "U6") == [9]
    # The tree is never restated: a restating folder with units is refused as a whole.
    before = table_checksums(network)
    units = write(tmp_path / "units", {"org_units.csv": ORG_UNITS.replace("N1,", "N2,"), "monthly_kpis.csv": fix})
    assert cli(["load", str(units), "--database-url", url, "--confirm", "--restate"]) == 1
    assert "Organisation units cannot be restated" in capsys.readouterr().err
    assert table_checksums(network) == before


def test_an_account_extract_confirmed_and_marked_complete_gives_the_outlets_kpis(network, tmp_path, capsys):
    url = url_of(network)
    products = (
        "code,family,segment,name_zh,name_en,annual_margin_rate\nDD-P,demand_deposit,personal,活期,Demand,0.018\n"
    )
    assert (
        cli(["load", str(write(tmp_path / "shelf", {"products.csv": products})), "--database-url", url, "--confirm"])
        == 0
    )
    deposits = tmp_path / "personal_deposits_2026-11.csv"
    deposits.write_text(
        "month,outlet_code,customer_no,product_code,account_no,balance_rmb\n"
        "2026-11,U6,C001,DD-P,A1,1000.5\n"
        "2026-11,U6,C002,DD-P,A2,2000\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as usage:  # marking needs the confirm
        cli(["personal_deposits", str(deposits), "--database-url", url, "--complete"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:  # and an account extract
        cli(["monthly_kpis", str(deposits), "--database-url", url, "--confirm", "--complete"])
    assert usage.value.code == 2
    capsys.readouterr()
    assert cli(["personal_deposits", str(deposits), "--database-url", url, "--confirm", "--complete"]) == 0
    assert "marked complete: 1 outlet-months" in capsys.readouterr().out
    with network.connect() as connection:
        derived = connection.execute(
            select(KpiMonthly.value, KpiMonthly.source).where(
                KpiMonthly.outlet_id == 6, KpiMonthly.metric_code == "deposits_personal", KpiMonthly.source.is_not(None)
            )
        ).one()
    assert derived == (3000.5, "accounts")


def test_a_folder_loaded_with_complete_marks_its_extracts_and_a_batch_can_be_marked_later(network, tmp_path, capsys):
    url = url_of(network)
    products = (
        "code,family,segment,name_zh,name_en,annual_margin_rate\nDD-P,demand_deposit,personal,活期,Demand,0.018\n"
    )
    deposits = (
        "month,outlet_code,customer_no,product_code,account_no,balance_rmb\n"
        "2026-11,U6,C001,DD-P,A1,1000.5\n2026-11,U7,C002,DD-P,A2,2000\n"
    )
    folder = write(tmp_path / "month", {"01_products.csv": products, "02_personal_deposits.csv": deposits})
    with pytest.raises(SystemExit) as usage:  # marking needs the confirm
        cli(["load", str(folder), "--database-url", url, "--complete"])
    assert usage.value.code == 2
    assert cli(["load", str(folder), "--database-url", url, "--confirm", "--complete"]) == 0
    out = capsys.readouterr().out
    assert "marked complete: 2 outlet-months" in out
    with network.connect() as connection:
        derived = dict(
            connection.execute(
                select(KpiMonthly.outlet_id, KpiMonthly.value).where(
                    KpiMonthly.metric_code == "deposits_personal", KpiMonthly.source == "accounts"
                )
            ).all()
        )
        batches = dict(connection.execute(select(ImportBatch.kind, ImportBatch.id)).all())
    assert derived == {6: 1000.5, 7: 2000.0}
    assert cli(["mark-complete", str(batches["personal_deposits"]), "--database-url", url, "--lang", "zh"]) == 0
    assert capsys.readouterr().out.strip() == import_message(
        "import_cli_marked_complete", "zh", batch=batches["personal_deposits"], pairs=2
    )

    with pytest.raises(SystemExit) as usage:
        cli(["mark-complete", "first", "--database-url", url])
    assert usage.value.code == 2
    capsys.readouterr()
    assert cli(["mark-complete", str(batches["products"]), "--database-url", url]) == 1  # not an account extract
    assert str(batches["products"]) in capsys.readouterr().err
