"""Messages and page texts of the import area "folder" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once).

They are the messages of ``python -m data.importer load DIR`` (see :mod:`data.importer.folder`):
what is wrong with the folder or its manifest (nothing is loaded then), one progress line per
file, and the summary.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_folder_not_a_folder": {
        "zh": "{folder} 不是文件夹。",
        "en": "{folder} is not a folder.",
    },
    "import_folder_no_files": {
        "zh": "文件夹 {folder} 中没有要导入的文件。",
        "en": "The folder {folder} holds no file to load.",
    },
    "import_folder_unknown_file": {
        "zh": "{file}：无法判断是哪类数据。请以数据类型开头命名文件（如 customers.csv、03_customers_2026-10.xlsx），"
        "或在 manifest.csv 中列出。可用类型：{kinds}。",
        "en": "{file}: which kind of data is this? Start the file name with its kind (e.g. customers.csv, "
        "03_customers_2026-10.xlsx) or list it in manifest.csv. Known kinds: {kinds}.",
    },
    "import_folder_not_csv_or_xlsx": {
        "zh": "{file}：只导入CSV和Excel（.xlsx）文件。请另存为其中一种，或移出该文件夹。",
        "en": "{file}: only CSV and Excel (.xlsx) files are loaded. Save it as one of them or move it out of the "
        "folder.",
    },
    "import_folder_manifest_not_utf8": {
        "zh": "manifest.csv 不是UTF-8文本，请另存为UTF-8。",
        "en": "manifest.csv is not UTF-8 text; save it as UTF-8.",
    },
    "import_folder_manifest_columns": {
        "zh": "manifest.csv 的表头必须有 file（文件）和 kind（类型）两列，可加 order（顺序）列；现为：{header}。",
        "en": "manifest.csv needs the columns file (文件) and kind (类型), and may have order (顺序); its header is: "
        "{header}.",
    },
    "import_folder_manifest_required": {
        "zh": "manifest.csv 第{line}行：文件和类型都必须填写。",
        "en": "manifest.csv line {line}: both file and kind are required.",
    },
    "import_folder_manifest_missing_file": {
        "zh": "manifest.csv 第{line}行：文件夹中没有文件 {file}。",
        "en": "manifest.csv line {line}: there is no file {file} in the folder.",
    },
    "import_folder_manifest_unknown_kind": {
        "zh": "manifest.csv 第{line}行：{file} 的类型 {kind} 不存在。可用类型：{kinds}。",
        "en": "manifest.csv line {line}: {file} has the unknown kind {kind}. Known kinds: {kinds}.",
    },
    "import_folder_manifest_twice": {
        "zh": "manifest.csv 第{line}行：{file} 已在第{first}行列出。",
        "en": "manifest.csv line {line}: {file} is already listed on line {first}.",
    },
    "import_folder_manifest_bad_order": {
        "zh": "manifest.csv 第{line}行：顺序 {order} 不是整数。",
        "en": "manifest.csv line {line}: the order {order} is not a whole number.",
    },
    "import_folder_not_in_manifest": {
        "zh": "{file} 在文件夹中，但未列入 manifest.csv：请列出它或将其移出文件夹。",
        "en": "{file} is in the folder but not in manifest.csv: list it there or move it out of the folder.",
    },
    "import_folder_refused_nothing_loaded": {
        "zh": "文件夹有误，未导入任何数据。",
        "en": "Nothing was loaded: the folder has the problems above.",
    },
    "import_folder_plan": {
        "zh": "按依赖顺序导入{count}个文件（一个事务，全部成功才入库）：",
        "en": "{count} files to load in dependency order (one transaction, all or nothing):",
    },
    "import_folder_file_done": {
        "zh": "[{index}/{total}] {file}（{kind}）：{rows}行，{seconds}秒",
        "en": "[{index}/{total}] {file} ({kind}): {rows} rows, {seconds} s",
    },
    "import_folder_file_errors": {
        "zh": "{file}：{rows}行中有{errors}处错误。",
        "en": "{file}: {errors} errors in {rows} rows.",
    },
    "import_folder_file_refused": {
        "zh": "{file}（{kind}）被拒绝：本文件夹的数据全部未导入（已回滚）。",
        "en": "{file} ({kind}) was refused: nothing from this folder was loaded (rolled back).",
    },
    "import_folder_all_valid": {
        "zh": "全部{count}个文件校验通过（共{rows}行）。这是试运行，未做任何更改；加 --confirm 才会导入。",
        "en": "all {count} files valid ({rows} rows). This was a dry run and nothing was changed; add --confirm "
        "to load them.",
    },
    "import_cli_marked_complete": {
        "zh": "第{batch}批明细已标记为完整：{pairs}个网点月份，据此得出网点的存贷款指标。",
        "en": "Batch {batch} marked complete: {pairs} outlet-months; the outlets' KPIs are derived from it.",
    },
    "import_cli_complete_needs_extract": {
        "zh": "--complete 只用于账户明细（{kinds}）或文件夹导入（load），且须同时使用 --confirm。",
        "en": "--complete is for account extracts ({kinds}) or a folder (load) only, together with --confirm.",
    },
    "import_folder_loaded": {
        "zh": "已在一个事务中导入{count}个文件（共{rows}行），用时{seconds}秒。",
        "en": "{count} files loaded in one transaction ({rows} rows) in {seconds} s.",
    },
}
