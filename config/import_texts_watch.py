"""Messages and page texts of the drop-folder loader (``python -m data.importer watch DIR``, see
:mod:`data.importer.watch`) in both languages, merged into the import messages by
:mod:`config.import_texts` (a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "import_watch_no_folder": {
        "zh": "投放文件夹 {folder} 不存在。",
        "en": "The drop folder {folder} does not exist.",
    },
    "import_watch_bad_interval": {
        "zh": "--interval 须为正数（秒）。",
        "en": "--interval must be a positive number of seconds.",
    },
    "import_watch_database_unusable": {
        "zh": "数据库 {url} 无法使用（连不上或未升级到最新结构）。",
        "en": "The database at {url} is not usable (unreachable or not migrated to the latest schema).",
    },
    "import_watch_started": {
        "zh": "开始监视投放文件夹 {folder}，每{interval}秒检查一次（Ctrl+C 或 SIGTERM 结束）。",
        "en": "Watching the drop folder {folder} every {interval} s (Ctrl+C or SIGTERM ends it).",
    },
    "import_watch_stopped": {
        "zh": "已停止监视：成功{loaded}个，失败{failed}个。",
        "en": "Stopped watching: {loaded} loaded, {failed} failed.",
    },
    "import_watch_none_ready": {
        "zh": "{folder} 中没有已就绪（含 READY 标记）的子文件夹。",
        "en": "No sub-folder of {folder} is ready (holds the READY marker).",
    },
    "import_watch_summary": {
        "zh": "投放文件夹处理完毕：成功{loaded}个，失败{failed}个。",
        "en": "Drop folder done: {loaded} loaded, {failed} failed.",
    },
    "import_watch_folder_done": {
        "zh": "{folder} 已导入，移至 {destination}。",
        "en": "{folder} loaded; moved to {destination}.",
    },
    "import_watch_folder_failed": {
        "zh": "{folder} 导入失败，移至 {destination}（原因见其中的 result.txt）。",
        "en": "{folder} failed; moved to {destination} (see result.txt there).",
    },
    "import_watch_unexpected_error": {
        "zh": "意外错误，本文件夹的数据全部未导入（已回滚）：{error}",
        "en": "Unexpected error; nothing from this folder was loaded (rolled back): {error}",
    },
    "import_watch_audit_failed": {
        "zh": "无法写入审计日志：{error}",
        "en": "The audit line could not be written: {error}",
    },
    "import_watch_failures_title": {
        "zh": "近{days}天有{count}个投放文件夹导入失败（文件夹已移至 failed/，原因见其中的 result.txt）："
        "修正文件后移回投放文件夹并重新放置 READY 标记即可重试。",
        "en": "{count} drop-folder deliveries failed in the last {days} days (moved to failed/, see result.txt "
        "there). Fix the files, move the folder back into the drop folder with a new READY marker to retry.",
    },
    "import_watch_failure_line": {
        "zh": "{at} · {folder}：{errors}",
        "en": "{at} · {folder}: {errors}",
    },
}
