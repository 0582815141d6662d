"""Load benchmark of the court backend on SQLite and PostgreSQL: `python -m bench` or `bench/run.sh`.

For each database it starts the real server (`python -m court serve`, which migrates first) on a
free port, obtains a litigant token the way a litigant does (identity/verify → the code from the
dev SMS outbox → identity/confirm) when that endpoint exists, and drives it with an in-process
asyncio load generator (aiohttp): `POST /api/v1/filings` (valid bodies, a unique Idempotency-Key
each) and `POST /api/v1/fees/calculate`, at 1 and at 50 concurrent clients. Each scenario is
bounded by a number of requests and by time, after a short warm-up. Prints one table.

PostgreSQL uses its own database (`court_bench`, created if missing, emptied before each run);
SQLite a fresh file in a temporary folder. Nothing else is touched.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import aiohttp

from deploy.stack import free_port  # one way to find a free loopback port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PYTHON = ROOT / ".venv-court" / "bin" / "python"
PG_ADMIN_URL = os.environ.get("COURT_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = os.environ.get("COURT_BENCH_PG_DB", "court_bench")
PG_SERVER = os.environ.get("COURT_BENCH_PG_SERVER", "postgres@127.0.0.1:5432")

# The bench litigant: a valid ID number (checksum, birth date) and mobile, the plaintiff of every filing.
LITIGANT = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


def filing_body(seq: int) -> dict[str, Any]:
    """A valid filing (as in tests/court/test_filings_api.py); `seq` makes the facts differ a little."""
    return {
        "case_type": "民间借贷纠纷",
        "court_code": "京0105",
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": LITIGANT["name"], "id_number": LITIGANT["id_number"],
             "phone": LITIGANT["phone"]},
            {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
             "legal_representative": "李四"},
        ],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": f"2023年3月被告向原告借款5万元，约定半年归还，至今未还。（压测 {seq}）",
        "channel": "rest",
        "conversation_id": f"bench-{seq}",
    }


FEE_BODY = json.dumps({"category": "property", "amount": "100000"}).encode()


# ------------------------------------------------------------------------------------------------
# The server


@dataclass
class Server:
    backend: str
    url: str  # the database URL
    base: str  # http://127.0.0.1:port
    process: subprocess.Popen
    log_path: Path
    workers: int = 1

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def serve_supports(python: str, flag: str, root: Path) -> bool:
    out = subprocess.run([python, "-m", "court", "serve", "--help"], cwd=root, capture_output=True, text=True)
    return flag in out.stdout


async def start_server(
    backend: str, db_url: str, python: str, workdir: Path, root: Path = ROOT, timeout: float = 60,
    workers: int = 1, render: bool = False,
) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update({
        "COURT_DATABASE_URL": db_url,
        "COURT_UPLOAD_DIR": str(workdir / "uploads"),
        "COURT_DEADLINE_JOB": "0",  # no background job competing with the load
        "COURT_SWEEP_JOB": "0",
        "COURT_FILINGS_PER_DAY": "1000000000",  # one litigant's token files the whole load: not the limit's test
        "COURT_DEV_MODE": "1",  # the SMS outbox is where the benchmark reads its codes
        # The complaint worker renders each filing's 起诉状 after its answer (--render); off, the
        # renders wait in complaint_renders and the figures are the request path's alone.
        "COURT_COMPLAINT_WORKER": "1" if render else "0",
        "COURT_SECRET_KEY": env.get("COURT_SECRET_KEY") or "bench-secret",  # one key for all workers
        "PYTHONUNBUFFERED": "1",
    })
    cmd = [python, "-m", "court", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    if serve_supports(python, "--no-access-log", root):
        cmd.append("--no-access-log")  # one log line per request would be measured too
    log_path = workdir / f"server-{backend}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(backend, db_url, f"http://127.0.0.1:{port}", process, log_path, workers)
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the {backend} server exited ({process.returncode}):\n{server.log_tail()}")
            try:
                async with session.get(server.base + "/health") as resp:
                    if resp.status == 200:
                        return server
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"the {backend} server did not answer /health in {timeout:.0f} s:\n{server.log_tail()}")
            await asyncio.sleep(0.2)


async def prepare_postgres() -> str:
    """Create the bench database if missing; its URL for the backend."""
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", PG_DATABASE):
            await conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    finally:
        await conn.close()
    return f"postgresql+asyncpg://{PG_SERVER}/{PG_DATABASE}"


def _plain_pg(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def empty_postgres(url: str) -> None:
    """Empty every table of the bench database (after the server has migrated it)."""
    import asyncpg

    conn = await asyncpg.connect(_plain_pg(url), timeout=10)
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
        if tables:
            await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


async def latest_sms(server: Server, phone: str) -> Optional[str]:
    sql = "SELECT text FROM sms_outbox WHERE phone = {} ORDER BY id DESC LIMIT 1"
    if server.backend == "postgresql":
        import asyncpg

        conn = await asyncpg.connect(_plain_pg(server.url), timeout=10)
        try:
            return await conn.fetchval(sql.format("$1"), phone)
        finally:
            await conn.close()
    path = server.url.split("///", 1)[1]
    with sqlite3.connect(path) as conn:
        row = conn.execute(sql.format("?"), (phone,)).fetchone()
    return row[0] if row else None


async def litigant_token(server: Server) -> Optional[str]:
    """A litigant bearer token via identity/verify + the SMS code + identity/confirm; None without that endpoint."""
    async with aiohttp.ClientSession() as session:
        async with session.post(server.base + "/api/v1/identity/verify", json=LITIGANT) as resp:
            if resp.status in (404, 405):
                return None
            body = await resp.json(content_type=None)
            if resp.status >= 300:
                raise RuntimeError(f"identity/verify answered {resp.status}: {body}")
        text = await latest_sms(server, LITIGANT["phone"])
        match = re.search(r"(?<!\d)(\d{6})(?!\d)", text or "")
        if match is None:
            raise RuntimeError(f"no 6-digit code in the SMS outbox (last message: {text!r})")
        confirm = {"challenge_id": body["challenge_id"], "code": match.group(1)}
        async with session.post(server.base + "/api/v1/identity/confirm", json=confirm) as resp:
            body = await resp.json(content_type=None)
            if resp.status != 200:
                raise RuntimeError(f"identity/confirm answered {resp.status}: {body}")
            return body["token"]


# ------------------------------------------------------------------------------------------------
# The load


@dataclass
class Result:
    backend: str
    endpoint: str
    concurrency: int
    requests: int = 0
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    per_second: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    first_error: str = ""
    server_cpu_ms: float = 0.0  # the backend processes' CPU time per request
    render_cpu_ms: float = 0.0  # the complaint render processes' CPU time per request (--render)
    workers: int = 1  # backend processes (court serve --workers)
    postgres_cpu_ms: float = 0.0  # PostgreSQL's CPU time per request (PostgreSQL runs only)


Request = Callable[[int], tuple[str, bytes, dict[str, str]]]


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU time of a process so far (Linux /proc), with its reaped children's if asked."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """The live processes under `pid` (children, grandchildren, …)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _is_render_process(pid: int) -> bool:
    """A process of the complaint worker's pool (multiprocessing spawn, or its resource tracker)."""
    try:
        return b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def process_tree_cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time of the backend's processes (the server and its `--workers`) and, apart, of its
    complaint render processes (court/jobs/complaint_renders.py), all live descendants counted."""
    backend, render = cpu_seconds(pid), 0.0
    for child in descendants(pid):
        if _is_render_process(child):
            render += cpu_seconds(child)
        else:
            backend += cpu_seconds(child)
    return backend, render


def postgres_cpu_seconds() -> float:
    """CPU time of all of PostgreSQL on this machine: live processes, plus the backends that ended
    (counted in the postmaster's children time). Other clients of the server count too: a rough figure."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            total += cpu_seconds(int(stat.parent.name), children=True)
    return total


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


async def drive(
    session: aiohttp.ClientSession, base: str, make: Request, expect: int, concurrency: int,
    max_requests: int, max_seconds: float, counter: list[int],
) -> tuple[list[float], Counter, str, float]:
    """`concurrency` workers sending requests until `max_requests` are sent or `max_seconds` pass."""
    latencies: list[float] = []
    errors: Counter = Counter()
    first_error = ""
    sent = 0
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal sent, first_error
        while sent < max_requests and time.perf_counter() < deadline:
            sent += 1
            counter[0] += 1
            path, body, headers = make(counter[0])
            t0 = time.perf_counter()
            try:
                async with session.post(base + path, data=body, headers=headers) as resp:
                    payload = await resp.read()
                    status = resp.status
            except aiohttp.ClientError as err:
                errors[type(err).__name__] += 1
                first_error = first_error or repr(err)
                continue
            latencies.append(time.perf_counter() - t0)
            if status != expect:
                errors[str(status)] += 1
                first_error = first_error or f"{status} {payload[:300].decode(errors='replace')}"

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, first_error, time.perf_counter() - started


async def scenario(
    backend: str, server: "Server", endpoint: str, make: Request, expect: int, concurrency: int,
    max_requests: int, max_seconds: float, warmup: int, counter: list[int],
    render_wait: Optional[Callable[[], Any]] = None,
) -> Result:
    base = server.base
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        if warmup:
            await drive(session, base, make, expect, concurrency, warmup, max_seconds, counter)
        if render_wait and expect == 201:  # the warm-up's renders are not this row's
            await render_wait()
        cpu0, render0 = process_tree_cpu_seconds(server.process.pid)
        pg0 = postgres_cpu_seconds() if backend == "postgresql" else 0.0
        latencies, errors, first_error, seconds = await drive(
            session, base, make, expect, concurrency, max_requests, max_seconds, counter)
        if render_wait and expect == 201:  # the renders of this row's filings, done after their answers
            await render_wait()
        cpu1, render1 = process_tree_cpu_seconds(server.process.pid)
        cpu, render = cpu1 - cpu0, render1 - render0
        pg = postgres_cpu_seconds() - pg0 if backend == "postgresql" else 0.0
    latencies.sort()
    done = max(1, len(latencies))
    ok = len(latencies) - sum(v for k, v in errors.items() if k.isdigit())
    return Result(
        backend=backend, endpoint=endpoint, concurrency=concurrency, requests=len(latencies) + sum(
            v for k, v in errors.items() if not k.isdigit()),
        ok=ok, errors=dict(errors), seconds=round(seconds, 3), per_second=round(ok / seconds, 1) if seconds else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 2), p95_ms=round(percentile(latencies, 0.95) * 1000, 2),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 2), first_error=first_error,
        server_cpu_ms=round(1000 * cpu / done, 3), postgres_cpu_ms=round(1000 * pg / done, 3),
        render_cpu_ms=round(1000 * render / done, 3), workers=server.workers,
    )


def filing_request(token: Optional[str], run_id: str) -> Request:
    # One body, encoded once: the server parses and stores every request in full all the same,
    # and the client's own JSON encoding stays out of the measurement. The key makes each one new.
    body = json.dumps(filing_body(0), ensure_ascii=False).encode()
    auth = {"Authorization": f"Bearer {token}"} if token else {}

    def make(seq: int) -> tuple[str, bytes, dict[str, str]]:
        return "/api/v1/filings", body, {
            "Content-Type": "application/json", "Idempotency-Key": f"bench-{run_id}-{seq}", **auth}

    return make


def fee_request(_seq: int) -> tuple[str, bytes, dict[str, str]]:
    return "/api/v1/fees/calculate", FEE_BODY, {"Content-Type": "application/json"}


async def pending_renders(server: Server) -> int:
    """Complaints still to render (0 on a backend without the complaint worker's table)."""
    sql = "SELECT count(*) FROM complaint_renders WHERE status = 'pending'"
    try:
        if server.backend == "postgresql":
            import asyncpg

            conn = await asyncpg.connect(_plain_pg(server.url), timeout=10)
            try:
                return await conn.fetchval(sql)
            finally:
                await conn.close()
        with sqlite3.connect(server.url.split("///", 1)[1]) as conn:
            return conn.execute(sql).fetchone()[0]
    except Exception:  # noqa: BLE001 — an older checkout (--backend-root) has no such table
        return 0


def render_waiter(server: Server, limit_s: float = 600) -> Callable[[], Any]:
    async def wait() -> None:
        deadline = time.monotonic() + limit_s
        while await pending_renders(server) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
    return wait


async def bench_backend(backend: str, args: argparse.Namespace, workdir: Path) -> tuple[list[Result], dict[str, Any]]:
    if backend == "sqlite":
        db_url = f"sqlite+aiosqlite:///{workdir / 'court_bench.db'}"
    else:
        db_url = await prepare_postgres()
    results: list[Result] = []
    info: dict[str, Any] = {"backend": backend}
    for workers in args.workers:
        results += await bench_server(backend, db_url, workers, args, workdir, info)
    return results, info


async def bench_server(backend: str, db_url: str, workers: int, args: argparse.Namespace, workdir: Path,
                       info: dict[str, Any]) -> list[Result]:
    server = await start_server(backend, db_url, args.python, workdir, args.backend_root, workers=workers,
                                render=args.render)
    info.setdefault("pids", []).append(server.process.pid)
    try:
        if backend == "postgresql":
            await empty_postgres(db_url)
        token = await litigant_token(server)
        info["token"] = token is not None
        run_id = f"{int(time.time())}-{backend}-w{workers}"
        counter = [0]
        results = []
        endpoints = [("POST /api/v1/filings", filing_request(token, run_id), 201)]
        if not args.filings_only:
            endpoints.append(("POST /api/v1/fees/calculate", fee_request, 200))
        for concurrency in args.concurrency:
            for endpoint, make, expect in endpoints:
                profiler = None
                if args.py_spy and expect == 201 and concurrency == max(args.concurrency):
                    profiler = start_profiler(args.py_spy, server.process.pid, args.duration,
                                              args.profile_dir / f"{backend}-w{workers}-filings-c{concurrency}.txt")
                result = await scenario(backend, server, endpoint, make, expect, concurrency,
                                        args.requests, args.duration, args.warmup, counter,
                                        render_waiter(server) if args.render else None)
                if profiler is not None:
                    print(finish_profiler(*profiler), file=sys.stderr)
                results.append(result)
                print(f"  {backend:10} w={workers} {endpoint:28} c={concurrency:<3} {result.per_second:8.1f}/s "
                      f"p50 {result.p50_ms:7.2f} ms  p95 {result.p95_ms:7.2f} ms  "
                      f"server CPU {result.server_cpu_ms:.2f} ms/req, render {result.render_cpu_ms:.2f}, "
                      f"PostgreSQL {result.postgres_cpu_ms:.2f} ms/req"
                      + (f"  errors {result.errors}: {result.first_error[:200]}" if result.errors else ""),
                      file=sys.stderr, flush=True)
        return results
    finally:
        server.stop()
        if args.keep_logs:
            print(f"  server log: {server.log_path}", file=sys.stderr)


def start_profiler(py_spy: str, pid: int, seconds: float, out: Path) -> tuple[subprocess.Popen, Path]:
    """py-spy sampling the server (collapsed stacks) while a scenario runs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(out), "--rate", "250",
         "--duration", str(max(1, int(seconds))), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return process, out


def finish_profiler(process: subprocess.Popen, out: Path, top: int = 25) -> str:
    """Wait for py-spy; the functions where the server spent its time (inclusive), as text."""
    _out, err = process.communicate()
    if process.returncode != 0 or not out.exists():
        return f"  py-spy failed: {err.decode(errors='replace')[-500:]}"
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"  py-spy: {total} samples of the server, collapsed stacks in {out}", "  inclusive:"]
    lines += [f"    {100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top)]
    lines.append("  self:")
    lines += [f"    {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    head = ("database", "workers", "endpoint", "clients", "requests", "errors", "ok/s", "p50 ms", "p95 ms", "p99 ms",
            "server CPU ms/req", "render CPU ms/req", "PG CPU ms/req")
    rows = [head, tuple("---" for _ in head)]
    for r in results:
        rows.append((r.backend, str(r.workers), r.endpoint, str(r.concurrency), str(r.requests),
                     str(sum(r.errors.values())), f"{r.per_second:.0f}", f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}",
                     f"{r.p99_ms:.1f}", f"{r.server_cpu_ms:.2f}", f"{r.render_cpu_ms:.2f}" if r.render_cpu_ms else "–",
                     f"{r.postgres_cpu_ms:.2f}" if r.backend == "postgresql" else "–"))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--concurrency", default="1,50", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--duration", type=float, default=10.0, help="at most this many seconds per scenario")
    parser.add_argument("--requests", type=int, default=20000, help="at most this many requests per scenario")
    parser.add_argument("--warmup", type=int, default=200, help="requests sent first and not measured")
    parser.add_argument("--python", default=str(DEFAULT_PYTHON), help="the backend's Python (.venv-court)")
    parser.add_argument("--backend-root", type=Path, default=ROOT,
                        help="the checkout whose `court` package is served (default: this one)")
    parser.add_argument("--workers", default="1", help="comma-separated backend process counts (court serve --workers)")
    parser.add_argument("--filings-only", action="store_true", help="only POST /api/v1/filings")
    parser.add_argument("--render", action="store_true", help="run the complaint worker too, and wait for "
                        "each row's renders before reading the CPU (render CPU apart)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--keep-logs", action="store_true", help="keep the server logs and print where")
    parser.add_argument("--py-spy", metavar="PATH", help="profile the server with this py-spy during the "
                        "filings run at the highest concurrency (pip install py-spy in any venv)")
    parser.add_argument("--profile-dir", type=Path, default=ROOT / "var" / "bench-profiles",
                        help="where the py-spy stacks go (default var/bench-profiles)")
    args = parser.parse_args(argv)
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.workers = [int(w) for w in args.workers.split(",")]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in ("sqlite", "postgresql"):
            parser.error(f"unknown backend {backend!r}")

    workdir = Path(tempfile.mkdtemp(prefix="court-bench-"))
    results: list[Result] = []
    infos = []
    try:
        for backend in backends:
            backend_results, info = asyncio.run(bench_backend(backend, args, workdir))
            results += backend_results
            infos.append(info)
    finally:
        if not args.keep_logs:
            shutil.rmtree(workdir, ignore_errors=True)

    tokens = ", ".join(f"{i['backend']} {'yes' if i.get('token') else 'no'}" for i in infos)
    print(f"\nMachine: {os.cpu_count()} CPU, Python {platform.python_version()}; "
          f"at most {args.requests} requests or {args.duration:g} s per row, after {args.warmup} warm-up requests; "
          f"litigant token: {tokens}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"infos": infos, "results": [asdict(r) for r in results]}, indent=1,
                                        ensure_ascii=False))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    try:
        import uvloop  # the load generator needs its own CPU share: keep it cheap when uvloop is there
    except ImportError:
        pass
    else:
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    sys.exit(main())
