"""The pictures of the documents are made by ``docs/screens.py``; the suite runs it,
so that it keeps working as the screens change."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "screens.py"
COMMITTED = ROOT / "docs" / "screens"


def shown_in_documents() -> set[str]:
    """The pictures the documents show, by file name."""
    return {
        Path(target).name
        for document in (ROOT / "docs").glob("*.md")
        for target in re.findall(r"!\[[^\]]*\]\((screens/[^)\s]+)\)", document.read_text("utf-8"))
    }


@pytest.mark.sqlite_only  # the script makes its own SQLite desk
def test_the_script_makes_every_picture_the_documents_show(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    made = {path.name for path in tmp_path.glob("*.svg")}
    assert made == {path.name for path in COMMITTED.glob("*.svg")}, "docs/screens/ is the output"
    assert shown_in_documents() == made, "every picture is shown, and every one shown is made"
    for name in made:
        picture = (tmp_path / name).read_text("utf-8")
        assert picture.startswith("<svg") and picture.rstrip().endswith("</svg>"), name
