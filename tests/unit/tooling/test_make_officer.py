"""`make officer` without EMAIL says how to call it, and sets up or migrates nothing first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_officer_without_an_email_changes_nothing(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    try:
        run = subprocess.run(
            ["make", "--no-print-directory", "officer", f"VENV={venv}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("make officer without EMAIL went on to install and migrate")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "usage: make officer EMAIL=" in run.stdout
    assert not venv.exists(), "a virtual environment was made before the arguments were checked"
