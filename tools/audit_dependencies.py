"""Audit the installed Python packages for known vulnerabilities with pip-audit, honestly.

`make lint` runs this. It asks each vulnerability service in turn (PyPI's JSON API, then OSV):
- a service that answers: any vulnerable package fails the build, listed with its fix versions;
- a service that cannot be reached, or answers "not found" for every package (as PyPI's JSON API
  does from a machine that only reaches a package mirror), did not audit anything. pip-audit itself
  then says "No known vulnerabilities found", which would be a lie; this script says instead, loudly,
  "COULD NOT AUDIT" and why, and does not fail the build, unless PIP_AUDIT_REQUIRED=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SERVICES = {"pypi": "PyPI's JSON API (pypi.org/pypi/<name>/json)", "osv": "OSV (api.osv.dev)"}
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
TIMEOUT_SECONDS = 300


@dataclass
class Answer:
    """What one service said: audited packages, those it could not audit, the vulnerable ones, or why it failed."""

    audited: list[str]
    skipped: list[str]
    vulnerable: list[str]
    failure: str = ""


def ask(service: str) -> Answer:
    """Run pip-audit against one service and read its JSON report."""
    command = [str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "--format", "json", "-s", service]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return Answer([], [], [], f"no answer within {TIMEOUT_SECONDS} s")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or ["pip-audit printed nothing"])[-1]
        return Answer([], [], [], last[:300])
    audited, skipped, vulnerable = [], [], []
    for dependency in report.get("dependencies", []):
        label = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            skipped.append(label)
            continue
        audited.append(label)
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            vulnerable.append(f"{label}: {vulnerability.get('id')} (fixed in {fixes})")
    return Answer(audited, skipped, vulnerable)


def main() -> int:
    """0 when audited and clean, or when no service could audit (said loudly); 1 on a vulnerability."""
    reasons = []
    for service, description in SERVICES.items():
        answer = ask(service)
        if answer.vulnerable:
            print(f"pip-audit ({description}): KNOWN VULNERABILITIES — raise these pins:")
            print("\n".join(f"  {line}" for line in answer.vulnerable))
            return 1
        if answer.audited:
            print(f"pip-audit ({description}): {len(answer.audited)} packages audited, no known vulnerabilities.")
            if answer.skipped:
                print(f"  not audited (unknown to the service): {', '.join(answer.skipped)}")
            return 0
        reasons.append(
            f"{description}: {answer.failure}"
            if answer.failure
            else f"{description}: answered 'not found' for all {len(answer.skipped)} packages"
        )
    banner = "=" * 78
    print(banner)
    print("COULD NOT AUDIT the Python dependencies: no network to a vulnerability service.")
    for reason in reasons:
        print(f"  - {reason}")
    print("Nothing was checked. Run `make lint` (or tools/audit_dependencies.py) where the network reaches")
    print("pypi.org or api.osv.dev before a release.")
    print(banner)
    return 1 if os.environ.get("PIP_AUDIT_REQUIRED") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
