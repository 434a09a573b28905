"""The monthly results bulletin (简报) as an A4 PDF and as an Excel workbook, in Chinese or English.

The page reads the figures through the scoped queries and passes them in a
:class:`BulletinData`; this module only lays them out. The PDF embeds a CJK font found on the
system (Debian ``fonts-wqy-microhei`` or ``fonts-noto-cjk``; nothing is downloaded): when none is
found :class:`BulletinFontError` says so. Charts are drawn with matplotlib (Agg, offline) as PNG
images. Tables in the PDF show the top of long lists; the Excel workbook has every row.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import shutil
import string
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from fontTools import subset  # noqa: E402
from fontTools.pens.cu2quPen import Cu2QuPen  # noqa: E402
from fontTools.pens.ttGlyphPen import TTGlyphPen  # noqa: E402
from fontTools.ttLib import TTCollection, TTFont, newTable  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from analytics.bulletin import biggest_movers  # noqa: E402
from analytics.peers import rank_with_movement  # noqa: E402
from analytics.targets import assess_targets, make_period  # noqa: E402
from config.formatting import MISSING, format_change, format_ratio, format_value  # noqa: E402
from config.metrics import BY_CODE  # noqa: E402
from config.translations import TEXTS  # noqa: E402
from reports.excel import frames_to_xlsx  # noqa: E402

#: The CJK fonts the README names, by Debian package: the PDF tests run once with each.
NAMED_CJK_FONTS = {
    "fonts-wqy-microhei": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}
#: Fonts tried in order (Debian paths); the first that exists is embedded.
CJK_FONT_CANDIDATES = (
    *NAMED_CJK_FONTS.values(),
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
HEADLINE_CODES = (
    "deposits_total",
    "loans_total",
    "fee_income_total",
    "operating_income",
    "cost_income_ratio",
    "e_channel_rate",
    "customers_active",
    "avg_wait_minutes",
)
TARGET_CODES = (
    "deposits_total",
    "loans_total",
    "fee_income_total",
    "customers_vip",
    "customers_new",
    "e_channel_rate",
    "avg_wait_minutes",
)
PDF_RANKING_ROWS = 15
MOVERS = 5
STATUS_COLOURS = {"green": "#1a9850", "amber": "#fdae61", "red": "#d73027"}


class BulletinFontError(RuntimeError):
    """No CJK font on the system; ``key`` is the translation key of the message."""

    key = "bulletin_err_no_font"


def find_cjk_font() -> Path | None:
    """Path of a CJK font on this machine (known Debian paths, then ``fc-list :lang=zh``)."""
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-list"):
        try:
            listing = subprocess.run(
                ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in sorted(listing.splitlines()):
            path = Path(line.split(":")[0].strip())
            if path.suffix.lower() in (".ttf", ".ttc", ".otf") and path.is_file():
                return path
    return None


@dataclass
class BulletinData:
    """Everything one bulletin shows (already read within the user's scope).

    ``unit``: the unit's facts (``data.queries.unit_info``); ``headline``: metric_code, value,
    previous_month, last_year (``headline_kpis``); ``children``: one row per child unit with
    names and one column per metric (``kpi_by_child``); ``league``: outlets with value,
    previous_value, rank, previous_rank, movement for ``ranking_code``; ``targets``: the year-to-date
    target assessment (``analytics.targets.assess_targets``, as on the KPI explorer and My outlet) of
    the unit (``unit_id`` = the unit) and of its open children, with unit_id, name_zh and name_en;
    ``alerts``: open alerts (outlet names, rule, metric, severity, value, status) or None when
    alerts are not available; ``labels``: id, label_zh, label_en of the units shown
    (``data.unit_labels``: the name, or "名称（上级支行）" / "Name (sub-branch)" where names repeat),
    empty to show bare names.
    """

    unit: dict
    month: dt.date
    lang: str
    headline: pd.DataFrame
    children: pd.DataFrame
    ranking_code: str
    league: pd.DataFrame
    targets: pd.DataFrame
    alerts: pd.DataFrame | None = None
    synthetic: bool = False
    labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["id", "label_zh", "label_en"]))
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


def _t(lang: str, key: str, **values) -> str:
    text = TEXTS[key][lang]
    return text.format(**values) if values else text


def _metric_name(code: str, lang: str) -> str:
    metric = BY_CODE[code]
    return metric.name_zh if lang == "zh" else metric.name_en


def _value(code: str, value, lang: str) -> str:
    return format_value(None if pd.isna(value) else float(value), BY_CODE[code].unit, lang)


def _movement(value) -> str:
    if pd.isna(value):
        return MISSING
    value = int(value)
    return f"▲{value}" if value > 0 else (f"▼{-value}" if value < 0 else "=")


def status_text(rag, lang: str) -> str:
    """A target status (green/amber/red) in the app's own words (``kpi_rag_*``, as on the KPI
    explorer and My outlet: 达标 / 接近目标 / 落后)."""
    return _t(lang, f"kpi_rag_{rag}") if isinstance(rag, str) and f"kpi_rag_{rag}" in TEXTS else MISSING


# --------------------------------------------------------------------------- collecting the figures


def collect_bulletin(
    read: Callable,
    unit: dict,
    month: dt.date,
    lang: str,
    ranking_code: str,
    synthetic: bool = False,
    label_root: int | None = None,
) -> BulletinData:
    """Read and compute everything the bulletin shows except the alerts (``alerts`` is None).

    ``read(query, *args)`` runs a scoped query of ``data.queries``/``data.queries_comparison`` for
    the caller (the pages pass ``ui.data_access.run_query``; scripts ``lambda q, *a: q(engine,
    scope, *a)``), so every figure stays within the caller's scope. Outlets are labelled as on
    the app's pages over the units below ``label_root`` (the pages pass the user's scope root,
    so a label reads the same everywhere; default: the bulletin's unit).
    """
    from data import queries
    from data import queries_comparison as qc
    from data import queries_performance as performance

    unit_id = unit["id"]
    headline = read(queries.headline_kpis, unit_id, month, list(HEADLINE_CODES))
    children = read(queries.kpi_by_child, unit_id, month, [ranking_code])
    if unit["level"] == "outlet":
        children = children.iloc[0:0]
    league = read(qc.league_table, unit_id, ranking_code, month, "month", None)
    league = league.join(
        rank_with_movement(league["value"], league["previous_value"], BY_CODE[ranking_code].higher_is_better)
    )
    period = make_period("ytd", month)
    summary = read(performance.kpi_period_summary, unit_id, TARGET_CODES, "ytd", month, None)
    own = assess_targets(summary.rename(columns={"value": "actual"}), month, period_months=period.length)
    own = own.assign(unit_id=unit_id, name_zh=unit["name_zh"], name_en=unit["name_en"])
    parts = [own]
    children_targets = read(performance.kpi_period_by_child, unit_id, TARGET_CODES, "ytd", month, None)
    children_targets = children_targets[children_targets["status"] == "open"]
    if not children_targets.empty:
        parts.append(
            assess_targets(
                children_targets.rename(columns={"value": "actual", "id": "unit_id"}),
                month,
                period_months=period.length,
            )
        )
    targets = pd.concat(parts, ignore_index=True)
    targets = targets[targets["target"].notna()].reset_index(drop=True)
    labels = read(queries.unit_labels, unit_id if label_root is None else label_root)
    return BulletinData(
        unit=unit,
        month=month,
        lang=lang,
        headline=headline,
        children=children,
        ranking_code=ranking_code,
        league=league,
        targets=targets,
        alerts=None,
        synthetic=synthetic,
        labels=labels[["id", "label_zh", "label_en"]],
    )


def unit_labels(labels: pd.DataFrame, ids, names, lang: str) -> list[str]:
    """The label of each unit id (``labels`` as in :class:`BulletinData`) in ``lang``; a unit
    without one keeps its name. Outlets that share a name read "名称（上级支行）" / "Name (parent)"."""
    by_id = dict(zip(labels["id"].astype(int), labels[f"label_{lang}"])) if len(labels) else {}
    return [by_id.get(int(i), n) if pd.notna(i) else n for i, n in zip(ids, names)]


def labels_of(data: BulletinData, frame: pd.DataFrame, id_column: str = "id", lang: str | None = None) -> list[str]:
    """Labels (see :func:`unit_labels`) of the units in ``frame[id_column]``."""
    lang = lang or data.lang
    return unit_labels(data.labels, frame[id_column], frame[f"name_{lang}"], lang)


def alert_rows(
    findings: pd.DataFrame, filed: pd.DataFrame, lang: str, labels: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The alert rules' findings of the month (``data.queries_performance.alert_findings``) with
    their status from the filed alerts (``alert_list``; unfiled = open), resolved ones left out,
    high severity first, as a display table in ``lang``; outlets by their ``labels`` (see
    :func:`unit_labels`) when given."""
    keys = ["outlet_id", "rule", "metric_code"]
    if not findings.empty and not filed.empty:
        findings = findings.merge(filed[keys + ["status"]], on=keys, how="left")
    if "status" not in findings.columns:
        findings = findings.assign(status=None)
    findings = findings.assign(status=findings["status"].fillna("open"))
    findings = findings[findings["status"] != "resolved"]
    findings = findings.assign(high=findings["severity"] == "high").sort_values(
        ["high", "rule", "code"], ascending=[False, True, True]
    )

    def shown(rule: str, code: str, value) -> str:
        if pd.isna(value):
            return ""
        if rule in ("off_target", "sudden_drop"):  # shortfall or drop, a share
            return format_ratio(float(value))
        return format_value(float(value), BY_CODE[code].unit, lang) if code in BY_CODE else f"{value:,.1f}"

    return pd.DataFrame(
        {
            _t(lang, "bulletin_col_outlet"): unit_labels(
                labels if labels is not None else pd.DataFrame(columns=["id", "label_zh", "label_en"]),
                findings["outlet_id"],
                findings[f"name_{lang}"],
                lang,
            ),
            _t(lang, "bulletin_col_rule"): [_t(lang, f"bulletin_rule_{r}") for r in findings["rule"]],
            _t(lang, "bulletin_col_metric"): [
                _metric_name(c, lang) if c in BY_CODE else "" for c in findings["metric_code"]
            ],
            _t(lang, "bulletin_col_severity"): [_t(lang, f"bulletin_severity_{s}") for s in findings["severity"]],
            _t(lang, "bulletin_col_alert_value"): [
                shown(r, c, v) for r, c, v in zip(findings["rule"], findings["metric_code"], findings["value"])
            ],
            _t(lang, "bulletin_col_alert_status"): [_t(lang, f"bulletin_alert_status_{s}") for s in findings["status"]],
        }
    )


# --------------------------------------------------------------------------- tables (shared by PDF and Excel)


def headline_table(data: BulletinData) -> pd.DataFrame:
    """Headline figures as display strings: metric, this month, change on last month and year."""
    lang = data.lang
    rows = []
    for row in data.headline.itertuples(index=False):
        unit = BY_CODE[row.metric_code].unit
        rows.append(
            {
                _t(lang, "bulletin_col_metric"): _metric_name(row.metric_code, lang),
                _t(lang, "bulletin_col_value"): _value(row.metric_code, row.value, lang),
                _t(lang, "bulletin_col_vs_previous"): format_change(row.value, row.previous_month, unit, lang)
                or MISSING,
                _t(lang, "bulletin_col_vs_last_year"): format_change(row.value, row.last_year, unit, lang) or MISSING,
            }
        )
    return pd.DataFrame(rows)


def target_table(data: BulletinData, own: bool) -> pd.DataFrame:
    """Year-to-date target assessment of the unit itself (``own``) or of its children, for display."""
    lang = data.lang
    targets = data.targets
    if targets.empty:
        return pd.DataFrame()
    targets = targets[(targets["unit_id"] == data.unit["id"]) == own]
    codes = targets["metric_code"]
    return pd.DataFrame(
        {
            **({} if own else {_t(lang, "bulletin_col_unit"): labels_of(data, targets, "unit_id")}),
            _t(lang, "bulletin_col_metric"): [_metric_name(c, lang) for c in codes],
            _t(lang, "bulletin_col_target"): [_value(c, v, lang) for c, v in zip(codes, targets["target"])],
            _t(lang, "bulletin_col_actual"): [_value(c, v, lang) for c, v in zip(codes, targets["actual"])],
            _t(lang, "bulletin_col_completion"): targets["completion"].map(format_ratio),
            _t(lang, "bulletin_col_due"): [_value(c, v, lang) for c, v in zip(codes, targets["target_to_date"])],
            _t(lang, "bulletin_col_attainment"): targets["attainment"].map(format_ratio),
            _t(lang, "bulletin_col_status"): targets["rag"].map(lambda s: status_text(s, lang)),
        }
    )


def league_display(data: BulletinData) -> pd.DataFrame:
    """The league table for display: rank, movement, outlet, parent, value."""
    lang = data.lang
    league = data.league.sort_values(["rank", "code"], na_position="last")
    return pd.DataFrame(
        {
            _t(lang, "bulletin_col_rank"): league["rank"].map(lambda r: MISSING if pd.isna(r) else str(int(r))),
            _t(lang, "bulletin_col_movement"): league["movement"].map(_movement),
            _t(lang, "bulletin_col_outlet"): labels_of(data, league),
            _t(lang, "bulletin_col_parent"): league[f"parent_{lang}"],
            _metric_name(data.ranking_code, lang): [_value(data.ranking_code, v, lang) for v in league["value"]],
        }
    )


def movers_tables(data: BulletinData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Biggest improvers and decliners of the ranking metric, for display."""
    lang = data.lang
    code = data.ranking_code
    up, down = biggest_movers(data.league, MOVERS, BY_CODE[code].higher_is_better, key="id")

    def show(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                _t(lang, "bulletin_col_outlet"): labels_of(data, frame),
                _t(lang, "bulletin_col_value"): [_value(code, v, lang) for v in frame["value"]],
                _t(lang, "bulletin_col_vs_previous"): [
                    format_change(v, p, BY_CODE[code].unit, lang) or MISSING
                    for v, p in zip(frame["value"], frame["previous_value"])
                ],
            }
        )

    return show(up), show(down)


def alerts_table(data: BulletinData) -> pd.DataFrame | None:
    """The alerts as given (already display-ready), or None when alerts are not available."""
    return data.alerts


# --------------------------------------------------------------------------- charts


@functools.lru_cache(maxsize=4)
def _chart_font(font: Path) -> str:
    """Register ``font`` with matplotlib (once per process; every face of a collection) and
    return the family name of the face the PDF uses (:func:`cjk_face_index`)."""
    font_manager.fontManager.addfont(str(font))
    index = cjk_face_index(str(font))
    if index == 0:
        return font_manager.FontProperties(fname=str(font)).get_name()
    collection = TTCollection(str(font), lazy=True)
    try:
        return collection.fonts[index]["name"].getDebugName(1)
    finally:
        collection.close()


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def children_chart(data: BulletinData, family: str) -> bytes | None:
    """Horizontal bars of the ranking metric per child unit (PNG), None without data."""
    code = data.ranking_code
    if data.children.empty or code not in data.children.columns:
        return None
    frame = data.children.dropna(subset=[code]).sort_values(code)
    if frame.empty:
        return None
    frame = frame.tail(20)
    unit = BY_CODE[code].unit
    scale, suffix = _axis_scale(unit, frame[code].abs().max(), data.lang)
    figure, axis = plt.subplots(figsize=(7.2, max(2.2, 0.28 * len(frame) + 1.0)))
    positions = range(len(frame))  # one bar per child unit, even where two share a label
    axis.barh(positions, frame[code] / scale, color="#2c7fb8")
    axis.set_yticks(positions, labels_of(data, frame))
    axis.set_title(_t(data.lang, "bulletin_chart_children", metric=_metric_name(code, data.lang)), fontfamily=family)
    axis.set_xlabel(suffix, fontfamily=family)
    for label in axis.get_yticklabels():
        label.set_fontfamily(family)
    axis.grid(axis="x", alpha=0.3)
    return _png(figure)


def target_chart(data: BulletinData, family: str) -> bytes | None:
    """Year-to-date attainment of the unit's own targets (PNG, 100 % = on track), None without."""
    targets = data.targets
    if targets.empty:
        return None
    own = targets[(targets["unit_id"] == data.unit["id"]) & targets["attainment"].notna()]
    if own.empty:
        return None
    names = [_metric_name(c, data.lang) for c in own["metric_code"]]
    colours = [STATUS_COLOURS.get(s, "#999999") for s in own["rag"]]
    figure, axis = plt.subplots(figsize=(7.2, 0.4 * len(own) + 1.4))
    axis.barh(names, own["attainment"] * 100, color=colours)
    axis.axvline(100, color="#252525", linewidth=1.2, linestyle="--")
    axis.set_title(_t(data.lang, "bulletin_chart_targets"), fontfamily=family)
    axis.set_xlabel(_t(data.lang, "bulletin_axis_attainment"), fontfamily=family)
    for label in axis.get_yticklabels():
        label.set_fontfamily(family)
    handles = [Patch(color=colour, label=status_text(status, data.lang)) for status, colour in STATUS_COLOURS.items()]
    axis.legend(
        handles=handles, prop={"family": family}, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False
    )
    axis.grid(axis="x", alpha=0.3)
    return _png(figure)


def _axis_scale(unit: str, largest: float, lang: str) -> tuple[float, str]:
    """Divisor and axis label so money reads in 万元/亿元 (zh) or RMB m/bn (en)."""
    if unit != "rmb":
        return 1.0, _t(lang, f"bulletin_axis_{unit}") if f"bulletin_axis_{unit}" in TEXTS else ""
    if lang == "zh":
        return (1e8, "亿元") if largest >= 1e8 else (1e4, "万元")
    return (1e9, "RMB bn") if largest >= 1e9 else (1e6, "RMB m")


# --------------------------------------------------------------------------- PDF


def _characters(data: BulletinData, frames: list[pd.DataFrame | None]) -> str:
    """Every character the PDF can contain: the interface texts in the bulletin's language, the
    unit's names, the cells and headers of the tables shown, ASCII and the symbols used."""
    characters = set(string.printable) | set("▲▼=—·…%²，、：（）")
    for texts in TEXTS.values():
        characters.update(texts[data.lang])
    characters.update(str(data.unit["name_zh"]) + str(data.unit["name_en"]))
    for frame in frames:
        if frame is None:
            continue
        characters.update("".join(str(c) for c in frame.columns))
        for column in frame.columns:
            characters.update("".join(frame[column].map(str)))
    return "".join(sorted(characters))


@functools.lru_cache(maxsize=8)
def cjk_face_index(font: str) -> int:
    """Index of the face to use in a font collection (.ttc/.otc): the Simplified Chinese face
    where the collection has one (Noto Sans CJK holds JP, KR, SC, TC, HK; JP comes first and
    would give Japanese glyph shapes), else the first. 0 for a single font."""
    if not font.lower().endswith((".ttc", ".otc")):
        return 0
    collection = TTCollection(font, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            family = face["name"].getDebugName(1) or ""
            if family.endswith(" SC") and "Mono" not in family:
                return index
    finally:
        collection.close()
    return 0


def _quadratic_outlines(ttfont: TTFont) -> None:
    """Replace a CFF (PostScript) font's outlines by TrueType ones, in place.

    fpdf2 embeds a CID-keyed CFF font (Noto Sans CJK) with its own encoding CMap, whose text
    layer some readers (pypdf) decode one byte at a time ("\\x00内\\x00蒙…"); as TrueType the font
    is embedded exactly as WenQuanYi is (Identity-H), so the text reads the same with either.
    Curves are approximated to within 1 font unit (of 1,000 per em).
    """
    order = ttfont.getGlyphOrder()
    glyph_set = ttfont.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    ttfont["loca"] = newTable("loca")
    ttfont["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for table in ("CFF ", "VORG"):
        if table in ttfont:
            del ttfont[table]
    glyf.compile(ttfont)
    hmtx = ttfont["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = ttfont["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 1 if attribute == "maxZones" else 0)
    maxp.compile(ttfont)
    post = ttfont["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}  # no glyph names needed
    ttfont.sfntVersion = "\x00\x01\x00\x00"


@functools.lru_cache(maxsize=8)
def _font_subset(font: str, characters: str) -> bytes:
    """The glyphs of ``characters`` from ``font`` (its Simplified Chinese face in a collection,
    :func:`cjk_face_index`) as a small TrueType font.

    A CJK font has ~20,000 glyphs; fpdf2 parses every glyph of a font it is given (seconds),
    so the PDF gets a font with only the glyphs it can need (fpdf2 subsets it again on output).
    A CFF-based font (Noto) gets TrueType outlines (:func:`_quadratic_outlines`).
    """
    index = cjk_face_index(font)
    ttfont = TTFont(font, fontNumber=index, lazy=True) if font.lower().endswith((".ttc", ".otc")) else TTFont(font)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" and the like
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(ttfont)
    if "CFF " in ttfont:
        _quadratic_outlines(ttfont)
    buffer = io.BytesIO()
    ttfont.save(buffer)
    return buffer.getvalue()


class _BulletinPdf(FPDF):
    def __init__(self, font: Path, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font("cjk", "", str(font))
        self.add_font("cjk", "B", str(font))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)

    def multi_cell(self, *args, align: str = "L", **kwargs):
        """Paragraphs align left: fpdf2 justifies by default, which spread the lines of a
        Chinese note (no spaces to stretch) with huge gaps between characters."""
        return super().multi_cell(*args, align=align, **kwargs)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def _section(pdf: _BulletinPdf, title: str) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("cjk", "B", 13)
    pdf.set_text_color(31, 78, 121)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font("cjk", size=9)


def _table(pdf: _BulletinPdf, frame: pd.DataFrame, widths: tuple[float, ...] | None = None) -> None:
    if frame is None or frame.empty:
        return
    pdf.set_font("cjk", size=8.5)
    heading = FontFace(emphasis="B", fill_color=(220, 230, 241))
    with pdf.table(
        col_widths=widths,
        headings_style=heading,
        line_height=5.5,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        first_row_as_headings=True,
    ) as table:
        table.row([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False):
            table.row(["" if v is None else str(v) for v in values])
    pdf.ln(2)


def _image(pdf: _BulletinPdf, png: bytes | None) -> None:
    if png is None:
        return
    width = pdf.w - pdf.l_margin - pdf.r_margin
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        height = width * image.height / image.width
    if pdf.get_y() + height > pdf.h - 18:
        pdf.add_page()
    pdf.image(io.BytesIO(png), w=width)
    pdf.ln(2)


def bulletin_pdf(data: BulletinData, font: Path | None = None) -> bytes:
    """The bulletin as an A4 portrait PDF (bytes) with an embedded CJK font."""
    font = font or find_cjk_font()
    if font is None:
        raise BulletinFontError("no CJK font found (install fonts-wqy-microhei or fonts-noto-cjk)")
    tables = {
        "headline": headline_table(data),
        "own_targets": target_table(data, own=True),
        "league": league_display(data),
        "children_targets": target_table(data, own=False),
    }
    tables["up"], tables["down"] = movers_tables(data)
    characters = _characters(data, [*tables.values(), alerts_table(data), data.children])
    with tempfile.TemporaryDirectory(prefix="bulletin-font-") as folder:
        subset_path = Path(folder) / "cjk-subset.ttf"
        subset_path.write_bytes(_font_subset(str(font), characters))
        return _render_pdf(data, tables, subset_path, _chart_font(font))


def _render_pdf(data: BulletinData, tables: dict[str, pd.DataFrame], font: Path, family: str) -> bytes:
    lang = data.lang
    unit_name = data.unit[f"name_{lang}"]
    month = data.month.strftime("%Y-%m")
    pdf = _BulletinPdf(font, _t(lang, "bulletin_footer", unit=unit_name, month=month))
    pdf.set_title(_t(lang, "bulletin_pdf_title", unit=unit_name, month=month))
    pdf.set_author("BranchScope")
    pdf.set_creation_date(data.generated_at)
    pdf.add_page()

    pdf.set_font("cjk", "B", 18)
    pdf.multi_cell(0, 10, _t(lang, "bulletin_pdf_title", unit=unit_name, month=month), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(90)
    pdf.cell(
        0, 6, _t(lang, "bulletin_generated", at=data.generated_at.isoformat(sep=" ")), new_x="LMARGIN", new_y="NEXT"
    )
    if data.synthetic:
        pdf.cell(0, 6, _t(lang, "bulletin_demo_note"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)

    _section(pdf, _t(lang, "bulletin_section_headline"))
    _table(pdf, tables["headline"], (70, 45, 32.5, 32.5))

    _section(pdf, _t(lang, "bulletin_section_targets"))
    own_targets = tables["own_targets"]
    if own_targets.empty:
        pdf.multi_cell(0, 6, _t(lang, "bulletin_no_targets"), new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, own_targets, (40, 28, 28, 20, 28, 20, 16))
        pdf.set_font("cjk", size=8)
        pdf.multi_cell(0, 4.5, _t(lang, "bulletin_targets_note"), new_x="LMARGIN", new_y="NEXT")
        _image(pdf, target_chart(data, family))

    metric = _metric_name(data.ranking_code, lang)
    _section(pdf, _t(lang, "bulletin_section_ranking", metric=metric))
    league = tables["league"]
    _table(pdf, league.head(PDF_RANKING_ROWS), (16, 18, 62, 50, 34))
    if len(league) > PDF_RANKING_ROWS:
        pdf.set_font("cjk", size=8)
        pdf.multi_cell(
            0,
            4.5,
            _t(lang, "bulletin_more_in_excel", shown=PDF_RANKING_ROWS, total=len(league)),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    _section(pdf, _t(lang, "bulletin_section_movers", metric=metric))
    up, down = tables["up"], tables["down"]
    pdf.set_font("cjk", "B", 10)
    pdf.cell(0, 6, _t(lang, "bulletin_improvers"), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, up, (90, 50, 40)) if not up.empty else pdf.cell(0, 6, MISSING, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "B", 10)
    pdf.cell(0, 6, _t(lang, "bulletin_decliners"), new_x="LMARGIN", new_y="NEXT")
    _table(pdf, down, (90, 50, 40)) if not down.empty else pdf.cell(0, 6, MISSING, new_x="LMARGIN", new_y="NEXT")

    _section(pdf, _t(lang, "bulletin_section_children", metric=metric))
    _image(pdf, children_chart(data, family))

    outlet_targets = tables["children_targets"]
    if not outlet_targets.empty:
        _section(pdf, _t(lang, "bulletin_section_outlet_targets"))
        behind = outlet_targets[outlet_targets[_t(lang, "bulletin_col_status")] == status_text("red", lang)]
        pdf.multi_cell(
            0,
            5,
            _t(lang, "bulletin_outlets_behind", count=len(behind), total=len(outlet_targets)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        _table(pdf, behind.head(20), (30, 28, 22, 22, 18, 22, 20, 18))

    _section(pdf, _t(lang, "bulletin_section_alerts"))
    alerts = alerts_table(data)
    if alerts is None:
        pdf.multi_cell(0, 5, _t(lang, "bulletin_alerts_unavailable"), new_x="LMARGIN", new_y="NEXT")
    elif alerts.empty:
        pdf.multi_cell(0, 5, _t(lang, "bulletin_no_alerts"), new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, alerts.head(30))
    return bytes(pdf.output())


# --------------------------------------------------------------------------- Excel


def sheet_names(lang: str) -> dict[str, str]:
    """Sheet key → sheet title of the bulletin workbook, in ``lang``."""
    keys = ("headline", "targets", "outlet_targets", "ranking", "movers", "children", "alerts")
    return {key: _t(lang, f"bulletin_sheet_{key}") for key in keys}


def bulletin_xlsx(data: BulletinData) -> bytes:
    """The bulletin as a workbook: one sheet per section, every row, raw numbers where they help."""
    lang = data.lang
    names = sheet_names(lang)
    code = data.ranking_code
    metric = _metric_name(code, lang)
    league = data.league.sort_values(["rank", "code"], na_position="last")
    ranking = pd.DataFrame(
        {
            _t(lang, "bulletin_col_rank"): league["rank"],
            _t(lang, "bulletin_col_previous_rank"): league["previous_rank"],
            _t(lang, "bulletin_col_movement"): league["movement"],
            _t(lang, "bulletin_col_code"): league["code"],
            _t(lang, "bulletin_col_outlet"): labels_of(data, league),
            _t(lang, "bulletin_col_parent"): league[f"parent_{lang}"],
            f"{metric} ({data.month:%Y-%m})": league["value"],
            f"{metric} ({_t(lang, 'bulletin_previous_period')})": league["previous_value"],
        }
    )
    up, down = movers_tables(data)
    movers = pd.concat(
        [
            up.assign(**{_t(lang, "bulletin_col_direction"): _t(lang, "bulletin_improvers")}),
            down.assign(**{_t(lang, "bulletin_col_direction"): _t(lang, "bulletin_decliners")}),
        ],
        ignore_index=True,
    )
    children = data.children
    child_columns = [c for c in children.columns if c in BY_CODE]
    by_child = pd.DataFrame({_t(lang, "bulletin_col_unit"): labels_of(data, children) if not children.empty else []})
    for column in child_columns:
        by_child[_metric_name(column, lang)] = children[column].to_numpy()
    sheets = {
        names["headline"]: headline_table(data),
        names["targets"]: target_table(data, own=True),
        names["outlet_targets"]: target_table(data, own=False),
        names["ranking"]: ranking,
        names["movers"]: movers,
        names["children"]: by_child,
        names["alerts"]: data.alerts
        if data.alerts is not None
        else pd.DataFrame({_t(lang, "bulletin_col_note"): [_t(lang, "bulletin_alerts_unavailable")]}),
    }
    return frames_to_xlsx(sheets)
