"""The documentation: README's links into docs/ lead somewhere, the generated import reference is
up to date, the site's navigation names real files and builds strictly offline, and no text cites
an issue number or a document that is not in the repository."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from config.settings import PROJECT_ROOT
from data.importer import docs as import_docs

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
MKDOCS = PROJECT_ROOT / "mkdocs.yml"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def local_links(path) -> list[str]:
    """The targets of the Markdown links of ``path`` that are files of the repository."""
    return [target for target in LINK.findall(path.read_text(encoding="utf-8")) if "://" not in target]


def nav_files(entries) -> list[str]:
    """Every file named in mkdocs.yml's ``nav`` (nested sections flattened)."""
    files = []
    for entry in entries:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            files += nav_files(value) if isinstance(value, list) else [value]
    return files


def test_every_file_the_readme_links_exists():
    links = local_links(README)
    assert any(link.startswith("docs/") for link in links)
    assert "CHANGELOG.md" in links
    missing = [link for link in links if not (PROJECT_ROOT / link).is_file()]
    assert missing == []


def test_the_readme_keeps_the_two_commands_and_the_ci_statement():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    assert "`.ci/run` calls `make lint` and then `make test`" in text
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_import_kinds_page_is_generated_from_the_specifications():
    """docs/data-loading/kinds.md is what ``python -m data.importer.docs --write`` writes."""
    assert import_docs.PAGE_PATH.read_text(encoding="utf-8") == import_docs.render()
    page = import_docs.render()
    for name, kind in import_docs.KINDS.items():
        assert f"## `{name}`: {kind.title_en} ({kind.title_zh})" in page
        for column in kind.columns:
            assert f"| `{column.name}` | {column.header_zh} |" in page, (name, column.name)


def test_the_generator_check_fails_on_a_stale_page(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "kinds.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(import_docs, "PAGE_PATH", stale)
    assert import_docs.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert import_docs.main(["--write"]) == 0
    assert import_docs.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == import_docs.render()


def test_the_navigation_names_existing_pages_and_nothing_is_fetched():
    config = yaml.safe_load(MKDOCS.read_text(encoding="utf-8"))
    files = nav_files(config["nav"])
    assert [f for f in files if not (DOCS / f).is_file()] == []
    assert len(files) == len(set(files))
    assert config["theme"]["font"] is False  # no Google fonts
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert not {"social", "privacy", "optimize"} & set(plugins)
    assert config["site_dir"].startswith("var/")


def test_make_lint_builds_the_site_strictly():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile[makefile.index("\nlint:") :]
    assert "mkdocs build --strict" in lint


@pytest.mark.skipif(sys.platform == "win32", reason="the build runs in the project's venv")
def test_the_site_builds_strictly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PROJECT_ROOT)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index


def test_no_issue_numbers_or_missing_documents_are_cited():
    texts = [README, PROJECT_ROOT / "CHANGELOG.md", *DOCS.rglob("*.md")]
    issue = re.compile(r"\bissues? \d+\b", re.IGNORECASE)
    assert [str(p) for p in texts if issue.search(p.read_text(encoding="utf-8"))] == []
    code = [
        p
        for folder in ("analytics", "data", "ui", "pages", "config", "reports", "tests")
        for p in (PROJECT_ROOT / folder).rglob("*.py")
    ]
    missing_document = "DOMAIN" + ".md"  # a document that was never in the repository (docs/domain.md is)
    assert [str(p) for p in code if missing_document in p.read_text(encoding="utf-8")] == []
