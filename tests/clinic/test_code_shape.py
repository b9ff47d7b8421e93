"""The shape the code keeps (issue 13): templates stay readable line by line, and the import
contracts (pyproject.toml, checked by ``lint-imports`` in ``make test``) hold."""

import subprocess
import sys
from pathlib import Path

from tests.services import ROOT

TEMPLATE_LINE_LIMIT = 300


def templates():
    skipped = {".venv", "var", "node_modules", "static", "build"}
    for path in Path(ROOT).rglob("*.html"):
        if not skipped & set(path.relative_to(ROOT).parts):
            yield path


def test_no_template_line_is_longer_than_300_characters():
    long_lines = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > TEMPLATE_LINE_LIMIT
    ]
    assert long_lines == []


def test_import_contracts_hold():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert (result.returncode, "BROKEN" in result.stdout) == (0, False), result.stdout[-2000:]
