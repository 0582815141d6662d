"""Training and start-up benchmark of the Rasa model: `python -m bench.rasa_train` (`make bench-train`).

Prints what issue 11 asks of training and start-up, each a figure and none of them a timed test:
1. one full `rasa train --force` (the same command as `make train`, into a temporary folder), its
   wall and CPU seconds, and the seconds of each graph component that trains, taken from Rasa's own
   "Starting/Finished training component" log lines as they arrive — summed into NLU and Core;
2. the model's size and its largest members (the tar is what `rasa run` unpacks and loads);
3. `rasa run --enable-api` on a free port, started as deploy/stack.py starts it (through
   deploy/rasa_main.py): seconds from start until `/model/parse` answers, then a few parses, then the
   server's resident memory (VmRSS of the process and its children); `--compare` also starts Rasa's
   own `rasa run` (its model loader traces a training step per TensorFlow model).

CPU seconds are the steadier figure on a shared machine: wall seconds grow with whatever else runs.
Standard library only, so it runs with the Rasa venv's Python or any other.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Optional

from deploy.stack import free_port

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv" / "bin" / "rasa"
OURS = [str(ROOT / ".venv" / "bin" / "python"), "-m", "deploy.rasa_main"]  # as deploy/stack.py starts Rasa
POLICY_SUFFIX = "Policy"
PARSES = ["你好", "我要起诉", "诉讼费多少钱", "我的案子立案了吗", "算了不填了", "是的", "不对",
          "我叫张三，身份证11010519491231002X", "我要起訴，電話１３８００１３８０００", "转人工"]
_LOG_LINE = re.compile(r"(Starting to train|Finished training) component '([^']+)'")


def _cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def train(out: Path) -> dict:
    """Run one full training and time each component from its log lines."""
    args = [str(RASA), "train", "--force", "--domain", "domain.yml", "--fixed-model-name", "assistant",
            "--out", str(out)]
    started, cpu_before = time.monotonic(), _cpu_seconds_of_children()
    open_since: dict[str, float] = {}
    seconds: dict[str, float] = defaultdict(float)
    log = out / "train.log"
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout is not None
        for line in proc.stdout:
            sink.write(line)
            match = _LOG_LINE.search(line)
            if match:
                verb, name = match.groups()
                if verb.startswith("Starting"):
                    open_since[name] = time.monotonic()
                elif name in open_since:
                    seconds[name] += time.monotonic() - open_since.pop(name)
        if proc.wait() != 0:
            sys.exit(f"rasa train failed, see {log}")
    wall, cpu = time.monotonic() - started, _cpu_seconds_of_children() - cpu_before
    core = sum(s for n, s in seconds.items() if n.endswith(POLICY_SUFFIX))
    nlu = sum(s for n, s in seconds.items() if not n.endswith(POLICY_SUFFIX))
    return {"wall_s": wall, "cpu_s": cpu, "nlu_components_s": nlu, "core_policies_s": core,
            "components_s": dict(sorted(seconds.items(), key=lambda kv: -kv[1]))}


def model_size(model: Path, top: int = 6) -> dict:
    with tarfile.open(model) as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: -m.size)
        largest = [(m.name, m.size) for m in members[:top]]
        unpacked = sum(m.size for m in members)
    return {"model_mb": model.stat().st_size / 1e6, "unpacked_mb": unpacked / 1e6,
            "largest": [(name, round(size / 1e6, 2)) for name, size in largest]}


def _parse(port: int, text: str, timeout: float = 5.0) -> Optional[dict]:
    body = json.dumps({"text": text}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/model/parse", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _rss_mb(pid: int) -> float:
    """VmRSS of the process and its descendants, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def start(model: Path, timeout: float, rasa: Optional[list[str]] = None) -> dict:
    """Start-to-ready seconds and RSS after a few parses of a `rasa run --enable-api`."""
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        log = open(Path(scratch) / "rasa.log", "wb")
        started = time.monotonic()
        proc = subprocess.Popen([*(rasa or OURS), "run", "--enable-api", "-i", "127.0.0.1", "--port", str(port),
                                 "--model", str(model)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
        try:
            ready = None
            while time.monotonic() - started < timeout and proc.poll() is None:
                if _parse(port, "你好", timeout=2.0):
                    ready = time.monotonic() - started
                    break
                time.sleep(0.25)
            if ready is None:
                sys.exit(f"Rasa did not answer /model/parse within {timeout:.0f} s")
            intents = [(_parse(port, text) or {}).get("intent", {}).get("name") for text in PARSES]
            return {"ready_s": ready, "rss_mb": _rss_mb(proc.pid), "parsed": dict(zip(PARSES, intents))}
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="skip training and measure this model instead")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench-train")
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--compare", action="store_true", help="also start Rasa's own `rasa run` (its own loader)")
    args = parser.parse_args()

    figures: dict = {}
    model = args.model
    if model is None:
        args.out.mkdir(parents=True, exist_ok=True)
        figures["train"] = train(args.out)
        model = args.out / "assistant.tar.gz"
        t = figures["train"]
        print(f"train (full rasa train)   {t['wall_s']:.0f} s wall, {t['cpu_s']:.0f} s CPU")
        print(f"  NLU components          {t['nlu_components_s']:.0f} s")
        print(f"  Core policies           {t['core_policies_s']:.0f} s")
        for name, secs in t["components_s"].items():
            print(f"    {name:<28}{secs:6.1f} s")
    figures["model"] = model_size(model)
    m = figures["model"]
    print(f"model                     {m['model_mb']:.1f} MB ({m['unpacked_mb']:.1f} MB unpacked)")
    for name, mb in m["largest"]:
        print(f"    {mb:6.2f} MB  {name}")
    figures["start"] = start(model, args.ready_timeout)
    s = figures["start"]
    print(f"rasa run ready            {s['ready_s']:.1f} s (load average {os.getloadavg()[0]:.1f})")
    print(f"RSS after {len(PARSES)} parses       {s['rss_mb']:.0f} MB")
    if args.compare:
        figures["start_rasas_own"] = own = start(model, args.ready_timeout, [str(RASA)])
        print(f"Rasa's own rasa run ready {own['ready_s']:.1f} s (load average {os.getloadavg()[0]:.1f}), "
              f"RSS {own['rss_mb']:.0f} MB, same intents: {own['parsed'] == s['parsed']}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
