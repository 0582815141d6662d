"""The command line behind the Makefile: `python -m deploy run [--profile production]` and `python -m deploy shell`."""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path
from typing import Optional

from deploy.stack import MODEL, RASA_BIN, ROOT, Ports, signals_deferred, start_stack


def run(profile: str = "embedded", replicas: int = 2, ports: Optional[Ports] = None,
        var_dir: Optional[Path] = None) -> None:
    """The whole stack on 127.0.0.1 (backend 8080, actions 5055, Rasa 5005) until Ctrl-C or SIGTERM.

    The production profile puts a load balancer on 5005 and N Rasa replicas behind it on 5006…
    (PostgreSQL, Redis, RabbitMQ: deploy/profiles.py). A stop requested at any moment — while
    starting, or again while stopping — leaves nothing running (Stack.start / Stack.stop); a port
    in use is named with its owner and nothing starts.
    """
    # From the first instant: `kill` is a Ctrl-C, so that a stop while starting stops what started.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        stack, var, replicas_line = _start(profile, replicas, ports, var_dir)
    except KeyboardInterrupt:
        print("\n启动中收到停止信号，已停止全部服务。", flush=True)
        sys.exit(130)
    except (RuntimeError, ValueError) as err:  # a port taken, a service down, nginx missing: say which
        sys.exit(f"未能启动：{err}")
    print(
        f"\n已启动:\n"
        f"  当事人页面 / 后台 API  {stack.backend_url}/   (API: {stack.backend_url}/api/v1)\n"
        f"  动作服务器            http://127.0.0.1:{stack.ports.actions}/health\n"
        f"  Rasa REST             {stack.rasa_url}/webhooks/rest/webhook\n"
        f"  Rasa socket.io        {stack.rasa_url}/socket.io\n"
        f"{replicas_line}"
        f"  日志                  {var}/*.log\n"
        "按 Ctrl-C 停止全部服务。",
        flush=True,
    )
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        with signals_deferred():  # a second signal now only hurries the stop (SIGKILL at once)
            print("\n正在停止…", flush=True)
            stack.stop()
            print("已停止。", flush=True)


def _start(profile: str, replicas: int, ports: Optional[Ports], var_dir: Optional[Path]):
    """The started stack, its log directory and the replicas' lines for the banner."""
    if profile == "production":
        from deploy.profiles import consecutive_free_ports, start_production

        var = var_dir or ROOT / "var" / "production"
        print(f"正在启动生产配置：法院后台（PostgreSQL）、动作服务器、{replicas} 个 Rasa 副本和负载均衡（nginx）…",
              flush=True)
        replica_ports = consecutive_free_ports(replicas) if ports else None
        stack = start_production(ports or Ports(), var, replicas=replicas, replica_ports=replica_ports, to_log=True)
        fakes = f"{stack.fakes.notice()}\n" if stack.fakes else "  外部服务：全部为环境变量中配置的真实服务\n"
        return stack, var, "".join(f"  Rasa 副本 {i}            {stack.replica_url(i - 1)}\n"
                                   for i in range(1, len(stack.replica_ports) + 1)) + fakes
    var = var_dir or ROOT / "var"
    print("正在启动法院后台、动作服务器和 Rasa（首次加载模型约需半分钟）…", flush=True)
    return start_stack(ports or Ports(), var, to_log=True), var, ""


def parse_ports(value: str) -> Ports:
    """--ports free | BACKEND,ACTIONS,RASA (e.g. 8080,5055,5005)."""
    if value == "free":
        return Ports.free()
    try:
        backend, actions, rasa = (int(p) for p in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("--ports takes free or BACKEND,ACTIONS,RASA") from None
    return Ports(backend, actions, rasa)


def shell() -> None:
    """Chat in the terminal: backend and actions in the background, `rasa shell` in front."""
    stack = start_stack(Ports(), ROOT / "var", to_log=True, rasa=False)
    try:
        subprocess.run([str(RASA_BIN / "rasa"), "shell", "--model", str(MODEL),
                        "--endpoints", str(stack.endpoints_file())], cwd=ROOT, check=False)
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy")
    parser.add_argument("command", choices=["run", "shell"])
    parser.add_argument("--profile", choices=["embedded", "production"], default="embedded",
                        help="production: PostgreSQL, Redis, RabbitMQ, N Rasa replicas behind nginx (run only)")
    parser.add_argument("--replicas", type=int, default=2, help="Rasa replicas in the production profile")
    parser.add_argument("--ports", type=parse_ports, default=None,
                        help="free, or BACKEND,ACTIONS,RASA (default 8080,5055,5005; replicas follow RASA or free ones)")
    parser.add_argument("--var", type=Path, default=None, help="directory for logs and SQLite files (default var/)")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    if args.command == "run":
        run(args.profile, args.replicas, args.ports, args.var)
    elif args.profile != "embedded":
        parser.error("shell runs the embedded profile only")
    else:
        shell()


if __name__ == "__main__":
    sys.exit(main())
