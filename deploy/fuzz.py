"""`make fuzz`: schemathesis against a running backend's /api/v1/openapi.json, as a litigant and as
staff, counting the generated cases (issue 9: ≥ 10,000 with 0 server errors and 0 responses the
document does not describe).

The backend is started the way `make run` starts it (deploy/stack.py), alone, in development mode
on a fresh SQLite database in a temp folder and a free port. Its credentials come through the
real flows: a litigant by 实名认证 (the code read from the development SMS outbox), an admin made
with `python -m court create-staff` and logged in at /api/v1/staff/session. Each credential gets
its own schemathesis run; the endpoints that would end the run's own token (logout) are left out.

    python -m deploy.fuzz [--max-examples N]   (FUZZ_MAX_EXAMPLES; 100 ≈ 10,000+ cases in all)
    python -m deploy.fuzz --quick              (make test-security: examples and fuzzing phases only,
                                                FUZZ_MAX_EXAMPLES or 3 per operation, well under a minute)

Exit status 0 only when every run found no failure; the figures are printed as one line per run
and a total. Runs in its own virtualenv (court/requirements-fuzz.txt), the backend in .venv-court.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy.stack import COURT_PYTHON, ROOT, Ports, Stack, free_port

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
RESULTS = ROOT / "results" / "fuzz"  # each run's full output and the backend's log
FUZZ_PERSON = {"name": "模糊测试", "id_number": "11010519491231002X", "phone": "13800138000"}
STAFF_PASSWORD = "fuzzing staff password"
# The runs' own credentials must survive them: no logout (the litigant's and the staff member's).
EXCLUDED_OPERATIONS = ["logoutLitigant", "staffLogout"]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.loads(resp.read())


def _wait_healthy(base: str, stack: Stack, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"backend did not start:\n{stack.tail('backend')}")


def litigant_token(base: str, db: Path) -> str:
    """实名认证 end to end: verify, the code from the development outbox, confirm."""
    challenge = _post(base, "/api/v1/identity/verify", FUZZ_PERSON)["challenge_id"]
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT text FROM sms_outbox ORDER BY id DESC LIMIT 1").fetchone()[0]
    code = re.search(r"验证码为(\d{6})", text).group(1)
    return _post(base, "/api/v1/identity/confirm", {"challenge_id": challenge, "code": code})["token"]


def staff_token(base: str, env: dict[str, str]) -> str:
    """An admin (all courts) made by create-staff in development mode, logged in."""
    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", "fuzz_admin",
                    "--name", "模糊测试", "--role", "admin", "--password-stdin"],
                   input=STAFF_PASSWORD + "\n", text=True, check=True, cwd=ROOT, env={**os.environ, **env},
                   stdout=subprocess.DEVNULL)
    return _post(base, "/api/v1/staff/session", {"username": "fuzz_admin", "password": STAFF_PASSWORD})["token"]


def run_schemathesis(base: str, label: str, token: str, max_examples: int, report: Path,
                     phases: str | None = None) -> tuple[int, int, str]:
    """(generated cases, failures, output tail) of one run with `token`."""
    args = [str(SCHEMATHESIS), "run", f"{base}/api/v1/openapi.json", "--url", base,
            *(["--phases", phases] if phases else []),
            "--header", f"Authorization: Bearer {token}", "--checks", CHECKS,
            "--max-examples", str(max_examples), "--seed", "9", "--no-color", "--generation-database", "none",
            "--request-timeout", "30", "--suppress-health-check", "all",
            "--report", "junit", "--report-junit-path", str(report)]  # noqa: the summary is read from stdout
    for operation in EXCLUDED_OPERATIONS:
        args += ["--exclude-operation-id", operation]
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    out = proc.stdout + proc.stderr
    (RESULTS / f"{label}.txt").write_text(out, encoding="utf-8")
    cases = sum(int(n) for n in re.findall(r"(\d+) generated", out))
    found = re.search(r"(\d+) found (\d+) unique failures", out)
    failures = int(found.group(2)) if found else (0 if proc.returncode == 0 else 1)
    return cases, failures, "\n".join(out.splitlines()[-40:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.fuzz")
    parser.add_argument("--quick", action="store_true", help="the small fixed budget of make test-security")
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--min-cases", type=int, default=int(os.environ.get("FUZZ_MIN_CASES", "0")),
                        help="fail unless at least this many cases were generated in all")
    args = parser.parse_args(argv)
    if args.max_examples is None:
        args.max_examples = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3" if args.quick else "100"))
    phases = "examples,fuzzing" if args.quick else None
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="court-fuzz-") as tmp:
        stack = Stack(ports=Ports(free_port(), free_port(), free_port()), var_dir=Path(tmp))
        env = stack.backend_env()
        env.update(COURT_DEADLINE_JOB="0", COURT_SWEEP_JOB="0", COURT_RASA_EVENTS_URL="")
        stack._spawn("backend", [str(COURT_PYTHON), "-m", "court", "serve", "--no-access-log",
                                 "--port", str(stack.ports.backend)], env, True)
        base = stack.backend_url
        try:
            _wait_healthy(base, stack)
            tokens = {"litigant": litigant_token(base, Path(tmp) / "court.db"), "staff": staff_token(base, env)}
            total_cases = total_failures = 0
            for label, token in tokens.items():
                started = time.monotonic()
                cases, failures, tail = run_schemathesis(base, label, token, args.max_examples,
                                                         Path(tmp) / f"{label}.xml", phases)
                total_cases += cases
                total_failures += failures
                print(f"fuzz {label}: {cases} cases, {failures} failures, {time.monotonic() - started:.0f} s")
                if failures:
                    print(f"{tail}\n(all of it: {RESULTS / (label + '.txt')})")
            backend_log = stack.logs["backend"].read_text(encoding="utf-8", errors="replace")
            (RESULTS / "backend.log").write_text(backend_log, encoding="utf-8")
            errors = backend_log.count("unhandled error")
            print(f"fuzz total: {total_cases} cases, {total_failures} failures, {errors} server errors logged")
        finally:
            stack.stop()
    ok = total_failures == 0 and errors == 0 and total_cases >= args.min_cases
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
