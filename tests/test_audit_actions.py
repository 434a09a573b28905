"""Every audit action the app writes has a name in both languages (the audit-log page shows the
name, the download keeps the code too).

The codes are found in the source: the action argument of every call that writes an audit line
(``write_audit`` and the modules' small wrappers around it), as a string literal or a module
constant. A call whose action is a variable must be one of the wrappers listed here, whose own
callers pass literals, so nothing escapes the scan.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config.audit_texts import ACTION_TEXTS
from config.translations import TEXTS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["app.py", "ui", "pages", "reports", "data", "jobs"]

#: Functions that write an audit line, and the position of their action argument.
WRITERS = {"write_audit": 2, "_finish": 2, "_audit": 2, "end_session": 0}
#: (file, function) of the wrappers whose action is a parameter: their callers are scanned.
WRAPPERS = {
    ("data/accounts.py", "_finish"),
    ("data/registry.py", "_finish"),
    ("data/importer/pipeline.py", "_audit"),
    ("ui/session.py", "end_session"),
}


def _python_files():
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(path.rglob("*.py"))


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` constants, also imported ones' names are resolved by value
    lookups across files (see :func:`written_actions`)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _enclosing_functions(tree: ast.Module) -> dict[int, str]:
    """Line number of every call → the name of the function it sits in."""
    owner = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    owner.setdefault(id(node), function.name)
    return owner


def written_actions() -> tuple[set[str], list[str]]:
    """The action codes the source writes, and the calls whose action could not be resolved."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()}
    constants: dict[str, str] = {}
    for tree in trees.values():
        constants |= _module_strings(tree)  # action constants are imported by name (FAILED_ACTION)
    codes, unresolved = set(), []
    for path, tree in trees.items():
        relative = path.relative_to(ROOT).as_posix()
        owners = _enclosing_functions(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = WRITERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            action = node.args[position]
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                codes.add(action.value)
            elif isinstance(action, ast.Name) and action.id in constants and action.id.isupper():
                codes.add(constants[action.id])
            elif (relative, owners.get(id(node))) not in WRAPPERS:
                unresolved.append(f"{relative}:{node.lineno} {ast.unparse(action)}")
    return codes, unresolved


def test_the_scan_finds_the_known_actions():
    codes, unresolved = written_actions()
    assert not unresolved, f"audit calls whose action the scan cannot read: {unresolved}"
    # A few from each kind of writer: a literal, an imported constant, a wrapper's caller.
    assert {"login", "drop_folder_failed", "outlet_edited", "logout", "import_confirmed"} <= codes


def test_every_written_action_has_a_name_in_both_languages():
    codes, _ = written_actions()
    missing = sorted(code for code in codes if f"audit_action_{code}" not in TEXTS)
    assert not missing, f"audit actions without a name in config/audit_texts.py: {missing}"
    for code in codes:
        names = TEXTS[f"audit_action_{code}"]
        assert names["zh"].strip() and names["en"].strip() and names["zh"] != names["en"]


@pytest.mark.parametrize("key", sorted(ACTION_TEXTS))
def test_action_names_are_distinct(key):
    others = {k: v for k, v in ACTION_TEXTS.items() if k != key}
    assert ACTION_TEXTS[key]["en"] not in {v["en"] for v in others.values()}
    assert ACTION_TEXTS[key]["zh"] not in {v["zh"] for v in others.values()}
