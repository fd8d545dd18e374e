"""`make audit`: known vulnerabilities in our dependencies (pip-audit) and risky code (bandit).

pip-audit runs twice: on the pins in requirements*.txt exactly as written, and on the installed
environment (which adds the dependencies of our dependencies). It asks PyPI's vulnerability
data for each package version. The build fails on any vulnerability that is not in
.security/pip-audit-ignore.txt with a reason, and on any bandit finding.

pip-audit says "No known vulnerabilities found" even when it could ask about nothing (the
service unreachable: every package skipped). We count instead: when no package could be
checked, that is reported as NOT AUDITED, and fails the build under AUDIT_STRICT=1 (a machine
that reaches the service); when only some could not be checked, the build fails.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / ".security" / "pip-audit-ignore.txt"
BIN = Path(sys.executable).parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]


def read_ignores(path=IGNORE_FILE):
    """{vulnerability id: reason}; a line is "ID reason", and the reason is required."""
    ignores, problems = {}, []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            problems.append(f"{path.name}:{number}: {vuln_id} has no reason; write why it is "
                            "safe to ignore after the id.")
        ignores[vuln_id] = reason.strip()
    return ignores, problems


def judge(report, ignores):
    """From pip-audit's JSON report: (audited, skipped, findings, ignored) where findings and
    ignored are lines to print."""
    audited = skipped = 0
    findings, ignored, skip_reasons = [], [], []
    for dep in report["dependencies"]:
        if "skip_reason" in dep:
            skipped += 1
            skip_reasons.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            fix = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            line = f"{dep['name']} {dep['version']}: {' / '.join(ids)} (fixed in: {fix})"
            reason = next((ignores[i] for i in ids if i in ignores), None)
            if reason is None:
                findings.append(line)
            else:
                ignored.append(f"{line}, ignored: {reason}")
    return audited, skipped, findings, ignored, skip_reasons


def pip_audit(args):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        result = subprocess.run(
            [str(BIN / "pip-audit"), "--progress-spinner", "off", "-f", "json", "-o", out.name,
             *args], cwd=ROOT, capture_output=True, text=True)
        if result.returncode not in (0, 1):  # 1: vulnerabilities found, judged below
            sys.exit(f"pip-audit failed:\n{result.stderr}")
        return json.loads(Path(out.name).read_text() or '{"dependencies": []}')


def audit_dependencies(strict):
    ignores, problems = read_ignores()
    failed = bool(problems)
    for problem in problems:
        print(f"FAIL {problem}")
    pins = [a for name in REQUIREMENTS for a in ("-r", name)]
    for label, args in [("pinned requirements", ["--no-deps", "--disable-pip", *pins]),
                        ("installed environment", [])]:
        audited, skipped, findings, ignored, skip_reasons = judge(pip_audit(args), ignores)
        print(f"pip-audit, {label}: {audited} packages checked, {len(findings)} vulnerable, "
              f"{len(ignored)} ignored with a reason, {skipped} could not be checked.")
        for line in ignored:
            print(f"  ignored {line}")
        for line in findings:
            print(f"  FAIL {line}")
        failed |= bool(findings)
        if skipped and not audited:
            print(f"  NOT AUDITED: the vulnerability service answered for none of the "
                  f"{skipped} packages (first: {skip_reasons[0]}).")
            failed |= strict
        elif skipped:
            for reason in skip_reasons:
                print(f"  FAIL could not be checked: {reason}")
            failed = True
    return failed


def audit_code():
    print("bandit on apps/ and workbench/ (config: .security/bandit.yaml):")
    result = subprocess.run([str(BIN / "bandit"), "-c", ".security/bandit.yaml", "-r", "apps",
                             "workbench", "-q", "-f", "txt"], cwd=ROOT)
    return result.returncode != 0


def main():
    strict = os.environ.get("AUDIT_STRICT", "") not in ("", "0", "false")
    failed = audit_dependencies(strict)
    failed |= audit_code()
    if failed:
        sys.exit("audit: FAILED (see FAIL lines above)")
    print("audit: passed")


if __name__ == "__main__":
    main()
