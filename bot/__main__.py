"""The command line behind the Makefile: `python -m bot run` and `python -m bot shell`."""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys

from bot.stack import MODEL, RASA_BIN, ROOT, Ports, start_stack


def run() -> None:
    """The whole stack on 127.0.0.1 (backend 8080, actions 5055, Rasa 5005) until Ctrl-C."""
    print("正在启动法院后台、动作服务器和 Rasa（首次加载模型约需半分钟）…", flush=True)
    stack = start_stack(Ports(), ROOT / "var", to_log=True)
    print(
        f"\n已启动:\n"
        f"  当事人页面 / 后台 API  {stack.backend_url}/   (API: {stack.backend_url}/api/v1)\n"
        f"  动作服务器            http://127.0.0.1:{stack.ports.actions}/health\n"
        f"  Rasa REST             {stack.rasa_url}/webhooks/rest/webhook\n"
        f"  Rasa socket.io        {stack.rasa_url}/socket.io\n"
        f"  日志                  {ROOT / 'var'}/*.log\n"
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
    parser = argparse.ArgumentParser(prog="python -m bot")
    parser.add_argument("command", choices=["run", "shell"])
    args = parser.parse_args(argv)
    {"run": run, "shell": shell}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
