"""`make lint`'s dependency audit fails on a vulnerability and says loudly when it could not audit at all."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tools import audit_dependencies


def fake_pip_audit(monkeypatch: pytest.MonkeyPatch, answers: dict[str, tuple[str, str]]) -> None:
    """pip-audit answering each service (-s NAME) with this stdout and stderr."""

    def run(command: list[str], **_options: Any) -> subprocess.CompletedProcess[str]:
        stdout, stderr = answers[command[-1]]
        return subprocess.CompletedProcess(command, 1 if "vulns" in stdout else 0, stdout, stderr)

    monkeypatch.setattr(audit_dependencies.subprocess, "run", run)


def report(*dependencies: dict[str, Any]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_vulnerable_package_fails_the_build_naming_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vulnerable = {"name": "flask", "version": "0.12", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["1.0"]}]}
    fake_pip_audit(monkeypatch, {"pypi": (report(vulnerable), ""), "osv": ("", "")})
    assert audit_dependencies.main() == 1
    assert "flask 0.12: PYSEC-0000-1 (fixed in 1.0)" in capsys.readouterr().out


def test_a_clean_audit_passes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    clean = {"name": "flask", "version": "3.1.3", "vulns": []}
    fake_pip_audit(monkeypatch, {"pypi": (report(clean), ""), "osv": ("", "")})
    assert audit_dependencies.main() == 0
    assert "1 packages audited, no known vulnerabilities" in capsys.readouterr().out


def test_without_a_reachable_service_it_says_it_could_not_audit_and_passes_unless_required(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_found = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)"}
    fake_pip_audit(
        monkeypatch,
        {"pypi": (report(not_found), ""), "osv": ("", "requests.exceptions.ConnectionError: api.osv.dev")},
    )
    assert audit_dependencies.main() == 0
    out = capsys.readouterr().out
    assert "COULD NOT AUDIT" in out and "not found' for all 1 packages" in out and "ConnectionError" in out
    monkeypatch.setenv("PIP_AUDIT_REQUIRED", "1")
    assert audit_dependencies.main() == 1
