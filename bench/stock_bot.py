"""The reference: Rasa's own `rasa init` bot, trained once under var/stock-bot and served beside ours.

Both run the same Rasa on the same machine in the same benchmark run, so the ratio ours/stock says
what our assistant costs per turn beyond Rasa itself.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from deploy.stack import RASA_BIN, ROOT, free_port

STOCK_DIR = ROOT / "var" / "stock-bot"
# The stock journey: greet, mood_unhappy (cheer up + "did that help?"), affirm, bot_challenge, goodbye.
STOCK_JOURNEY = ["hello", "I am sad", "yes", "are you a bot?", "bye"]


def stock_model() -> Path:
    """The trained stock model; `rasa init --no-prompt` (which trains) only when there is none yet."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    STOCK_DIR.mkdir(parents=True, exist_ok=True)
    print(f"training the stock `rasa init` bot once under {STOCK_DIR} (about a minute)…", flush=True)
    subprocess.run([str(RASA_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"`rasa init` trained no model under {STOCK_DIR}/models")
    return models[-1]


def start_stock(log: Path) -> tuple[subprocess.Popen, str]:
    """`rasa run --enable-api` of the stock bot on a free loopback port; returns the process and its URL."""
    port = free_port()
    out = open(log, "ab")
    proc = subprocess.Popen([str(RASA_BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1", "--port", str(port),
                             "--model", str(stock_model())],
                            cwd=STOCK_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"
