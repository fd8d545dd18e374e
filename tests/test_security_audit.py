"""The judging in scripts/security_audit.py (`make audit`): a vulnerability fails the build
unless ignored with a reason, and a report where nothing could be checked is not a pass."""
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "security_audit.py"
spec = importlib.util.spec_from_file_location("security_audit", SCRIPT)
security_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(security_audit)

# Made-up ids: the shape of pip-audit's JSON report, not a real advisory.
VULN = {"id": "PYSEC-2000-1", "aliases": ["CVE-2000-0001", "GHSA-aaaa-bbbb-cccc"],
        "fix_versions": ["4.2.11"]}


def report(*deps):
    return {"dependencies": list(deps)}


def test_a_vulnerability_is_a_finding():
    audited, skipped, findings, ignored, _ = security_audit.judge(report(
        {"name": "django", "version": "4.2.10", "vulns": [VULN]},
        {"name": "shapely", "version": "2.2.0", "vulns": []},
    ), {})
    assert (audited, skipped, ignored) == (2, 0, [])
    assert findings == ["django 4.2.10: PYSEC-2000-1 / CVE-2000-0001 / GHSA-aaaa-bbbb-cccc "
                        "(fixed in: 4.2.11)"]


@pytest.mark.parametrize("listed", ["PYSEC-2000-1", "CVE-2000-0001"])
def test_an_ignored_vulnerability_is_reported_with_its_reason(listed):
    _, _, findings, ignored, _ = security_audit.judge(report(
        {"name": "django", "version": "4.2.10", "vulns": [VULN]}), {listed: "no Truncator"})
    assert findings == []
    assert ignored[0].endswith("ignored: no Truncator")


def test_packages_that_could_not_be_checked_are_counted():
    audited, skipped, findings, _, reasons = security_audit.judge(report(
        {"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"},
    ), {})
    assert (audited, skipped, findings) == (0, 1, [])
    assert reasons == ["django: Dependency not found on PyPI"]


def test_an_ignored_id_needs_a_reason(tmp_path):
    path = tmp_path / "ignore.txt"
    path.write_text("# comment\n\nGHSA-dddd-eeee-ffff only in the admin, which is off\n"
                    "PYSEC-2099-1\n", "utf-8")
    ignores, problems = security_audit.read_ignores(path)
    assert ignores["GHSA-dddd-eeee-ffff"] == "only in the admin, which is off"
    assert problems == ["ignore.txt:4: PYSEC-2099-1 has no reason; write why it is safe to "
                        "ignore after the id."]


def test_the_committed_ignore_list_is_valid():
    _, problems = security_audit.read_ignores()
    assert problems == []


def test_audit_fails_on_a_vulnerable_pin(monkeypatch, capsys):
    monkeypatch.setattr(security_audit, "pip_audit", lambda args: report(
        {"name": "django", "version": "4.2.10", "vulns": [VULN]}))
    assert security_audit.audit_dependencies(strict=False) is True
    assert "FAIL django 4.2.10" in capsys.readouterr().out


@pytest.mark.parametrize("strict", [False, True])
def test_nothing_checked_is_not_audited_and_fails_only_when_strict(monkeypatch, capsys, strict):
    monkeypatch.setattr(security_audit, "pip_audit", lambda args: report(
        {"name": "django", "version": "5.2.19", "skip_reason": "not found"}))
    assert security_audit.audit_dependencies(strict=strict) is strict
    assert "NOT AUDITED" in capsys.readouterr().out


def test_some_packages_unchecked_fails(monkeypatch):
    monkeypatch.setattr(security_audit, "pip_audit", lambda args: report(
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "private-pkg", "version": "1.0", "skip_reason": "not on PyPI"}))
    assert security_audit.audit_dependencies(strict=False) is True
