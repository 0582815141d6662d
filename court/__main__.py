"""Command line: `python -m court serve|migrate|create-staff`."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from contextlib import suppress
from dataclasses import replace

from aiohttp import web
from aiohttp.log import access_logger

from court.app import create_app
from court.infra.config import Settings
from court.infra.migrate import upgrade
from court.infra.profile import UnsafeProduction, check_profile
from court.rules import privacy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m court", description="法院电子诉讼后台")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--no-access-log", action="store_true", help="do not log every request (load benchmarks)")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("COURT_WORKERS", "1")),
                       help="processes sharing the port (SO_REUSEPORT), one per core (default $COURT_WORKERS or 1)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser("sweep", help="one pass of the sweeper: orphaned uploads, stale drafts (court/jobs/sweeper.py)")
    staff = sub.add_parser("create-staff", help="create a court staff account / 创建法院工作人员账号")
    staff.add_argument("--username", required=True, help="login name (3-32 letters, digits, _ . -)")
    staff.add_argument("--name", required=True, help="姓名 / display name")
    staff.add_argument("--role", required=True, choices=["clerk", "judge", "admin"])
    staff.add_argument("--court", default=None, help="法院代字, e.g. 京0105 (clerk/judge see only this court)")
    staff.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    staff.add_argument("--totp", action="store_true",
                       help="enrol a TOTP second factor and print its otpauth:// URI (always on when COURT_DEV_MODE=0)")
    args = parser.parse_args(argv)
    if args.command == "create-staff":
        sys.exit(create_staff_command(args, Settings.from_env()))
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    privacy.install()  # no ID or mobile number reaches the log unmasked
    if args.command == "migrate":
        upgrade(settings.database_url)
    elif args.command == "sweep":
        upgrade(settings.database_url)
        print(asyncio.run(sweep_once(settings)))
    elif args.command == "serve":
        try:
            check_profile(settings)
        except UnsafeProduction as err:
            print(f"后台拒绝启动 / Refusing to start: {err}", file=sys.stderr)
            sys.exit(2)
        upgrade(settings.database_url)
        if args.workers > 1:
            sys.exit(serve_workers(args, settings))
        serve_one(args, settings)


def serve_one(args: argparse.Namespace, settings: Settings, reuse_port: bool | None = None) -> None:
    # Request lines and header fields up to 64 KiB (aiohttp's default 8190 bytes): a longer one is
    # refused by aiohttp's parser with a text/plain 400 that no handler or middleware sees.
    web.run_app(create_app(settings), host=args.host, port=args.port, print=None, reuse_port=reuse_port,
                access_log=None if args.no_access_log else access_logger, loop=new_event_loop(),
                max_line_size=65536, max_field_size=65536)


def serve_workers(args: argparse.Namespace, settings: Settings) -> int:
    """`serve --workers N`: N forked processes, each the whole app, on one port (SO_REUSEPORT: the kernel
    spreads the connections), so that the backend uses N cores. Forked after the migrations and before
    any event loop. The jobs are safe in several processes (deadlines: conditional updates;
    deliveries: claimed; complaint renders: leased), but Rasa's events are read into transcripts by
    the first worker only. The parent passes SIGTERM/SIGINT on and waits for every worker."""
    children = []
    for index in range(args.workers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                serve_one(args, settings if index == 0 else replace(settings, rasa_events_url=None), reuse_port=True)
            except BaseException:  # noqa: BLE001 — the worker's own traceback, then its exit status
                logging.getLogger(__name__).exception("backend worker %d stopped", index)
                code = 1
            finally:
                os._exit(code)
        children.append(pid)

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            with suppress(ProcessLookupError):
                os.kill(child, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = 0
    for child in children:
        _pid, wait_status = os.waitpid(child, 0)
        status = status or os.waitstatus_to_exitcode(wait_status)
    return status


async def sweep_once(settings: Settings) -> str:
    """`sweep`: what one pass removed (for cron, or after a crash)."""
    from court.infra.db import make_engine, make_sessionmaker
    from court.infra.models import utcnow
    from court.jobs.sweeper import sweep

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return str(await sweep(session, settings, utcnow()))
    finally:
        await engine.dispose()


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop when installed (court/requirements.txt pins it): less CPU per request."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def create_staff_command(args: argparse.Namespace, settings: Settings) -> int:
    """`create-staff`: 0 when created, 1 with a bilingual message on stderr when refused."""
    from court.services.errors import DomainError
    from court.services.staff import check_new_staff, create_staff_cli, new_totp_secret, read_password, totp_uri

    try:
        password = read_password(args.password_stdin)
        new = check_new_staff(args.username, args.name, args.role, args.court, password)
        if args.totp or not settings.dev_mode:  # production logins need the second factor
            new = replace(new, totp_secret=new_totp_secret())
        upgrade(settings.database_url)
        staff = asyncio.run(create_staff_cli(settings.database_url, new))
    except DomainError as err:
        print(f"未创建 / Not created: {err.message}", file=sys.stderr)
        return 1
    where = f"，法院 {staff.court_code}" if staff.court_code else "，全部法院 / all courts"
    print(f"已创建账号 / Created: {staff.username}（{staff.display_name}，{staff.role}{where}）")
    if new.totp_secret:
        print("请用身份验证器扫描或添加以下地址（仅显示这一次）/ Add to an authenticator app (shown once):")
        print(totp_uri(staff.username, new.totp_secret))
    return 0


if __name__ == "__main__":
    main()
