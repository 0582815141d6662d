"""The command line behind the Makefile: `python -m deploy run [--profile production]` and `python -m deploy shell`."""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys

from deploy.stack import MODEL, RASA_BIN, ROOT, Ports, start_stack


def run(profile: str = "embedded", replicas: int = 2) -> None:
    """The whole stack on 127.0.0.1 (backend 8080, actions 5055, Rasa 5005) until Ctrl-C.

    The production profile puts a load balancer on 5005 and N Rasa replicas behind it on 5006…
    (PostgreSQL, Redis, RabbitMQ: deploy/profiles.py).
    """
    if profile == "production":
        from deploy.profiles import start_production

        var = ROOT / "var" / "production"
        print(f"正在启动生产配置：法院后台（PostgreSQL）、动作服务器、{replicas} 个 Rasa 副本和负载均衡（nginx）…",
              flush=True)
        try:
            stack = start_production(Ports(), var, replicas=replicas, to_log=True)
        except (RuntimeError, ValueError) as err:  # a service down, nginx missing, a bad name: say which
            sys.exit(f"生产配置未能启动：{err}")
        replicas_line = "".join(f"  Rasa 副本 {i}            {stack.replica_url(i - 1)}\n"
                                for i in range(1, len(stack.replica_ports) + 1))
    else:
        var = ROOT / "var"
        print("正在启动法院后台、动作服务器和 Rasa（首次加载模型约需半分钟）…", flush=True)
        stack = start_stack(Ports(), var, to_log=True)
        replicas_line = ""
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
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops cleanly too
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        print("\n正在停止…", flush=True)
        stack.stop()


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
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    if args.command == "run":
        run(args.profile, args.replicas)
    elif args.profile != "embedded":
        parser.error("shell runs the embedded profile only")
    else:
        shell()


if __name__ == "__main__":
    sys.exit(main())
