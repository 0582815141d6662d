"""Starting and stopping the stack (deploy/stack.py, `python -m deploy run`) whatever arrives when.

Seen before (issue 11): a stop requested while the stack was still starting, or a second signal
while it stopped, left servers running in their own sessions (an embedded Rasa kept 5005), and the
next start hung with nginx unable to bind, saying nothing. Every server the stack starts carries
COURT_STACK_DIR in its environment; these tests look for any process still carrying theirs.
No model is needed: the stack is stopped before Rasa would have loaded one.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deploy.stack import ROOT, check_ports_free, free_port, port_owner

PYTHON = ROOT / ".venv" / "bin" / "python"


def stack_processes(var: Path) -> list[int]:
    """Live processes started for the stack in `var` (zombies have no readable environment)."""
    marker = f"COURT_STACK_DIR={var}".encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker in f.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            pass
    return found


def wait_until(check, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)
    return result


def deploy_run(var: Path, ports: str) -> subprocess.Popen:
    return subprocess.Popen([str(PYTHON), "-m", "deploy", "run", "--ports", ports, "--var", str(var)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def kill_leftovers(var: Path) -> None:
    for pid in stack_processes(var):  # only if a test failed: never leave its servers behind
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


@pytest.mark.parametrize("signals", [[signal.SIGTERM], [signal.SIGINT], [signal.SIGTERM, signal.SIGINT]],
                         ids=["sigterm", "ctrl-c", "sigterm-then-ctrl-c"])
def test_a_stop_while_the_stack_is_starting_leaves_nothing_running(tmp_path: Path, signals):
    ports = [free_port() for _ in range(3)]
    proc = deploy_run(tmp_path, ",".join(map(str, ports)))
    try:
        wait_until(lambda: len(stack_processes(tmp_path)) >= 3, "backend, action server and Rasa spawned")
        assert proc.poll() is None  # still waiting for them to answer: starting
        for sig in signals:
            proc.send_signal(sig)
            time.sleep(0.2)
        out, _ = proc.communicate(timeout=60)
        assert "已启动" not in out, out
        assert proc.returncode == 130, out
        assert stack_processes(tmp_path) == []
        check_ports_free({"backend": ports[0], "actions": ports[1], "rasa": ports[2]})  # all released
    finally:
        if proc.poll() is None:
            proc.kill()
        kill_leftovers(tmp_path)


STUBBORN_STACK = textwrap.dedent("""
    import signal, sys, time
    from pathlib import Path
    from deploy.stack import Ports, Stack

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stack = Stack(Ports.free(), Path(sys.argv[1]))
    # A server slow to stop (it ignores SIGTERM) with a child of its own in its process group.
    stack._spawn("stubborn", [sys.executable, "-c",
        "import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "subprocess.Popen([sys.executable, '-c', 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)']); "
        "time.sleep(600)"], {}, True)
    time.sleep(1.0)
    print("stopping", flush=True)
    stack.stop(grace=600)
    print("stopped", flush=True)
""")


def test_a_second_signal_while_stopping_hurries_the_stop_and_leaves_nothing(tmp_path: Path):
    proc = subprocess.Popen([sys.executable, "-c", STUBBORN_STACK, str(tmp_path)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "stopping"
        assert len(stack_processes(tmp_path)) == 2  # the server and its child
        time.sleep(1.0)  # ordering, not timing: stop() has begun (it prints only when done)
        proc.send_signal(signal.SIGTERM)  # during stop(): not an interruption, a "hurry"
        rest, _ = proc.communicate(timeout=120)  # the grace was 600 s: only the hurry ends it sooner
        assert rest.strip() == "stopped" and proc.returncode == 0, rest
        assert stack_processes(tmp_path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        kill_leftovers(tmp_path)


def test_a_start_that_finds_its_port_taken_names_it_and_its_owner_and_starts_nothing(tmp_path: Path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        assert port_owner(taken).startswith(f"pid {os.getpid()} ")
        proc = deploy_run(tmp_path, f"{free_port()},{free_port()},{taken}")
        try:
            out, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            kill_leftovers(tmp_path)
    assert proc.returncode != 0
    assert f"端口 {taken}（rasa）已被占用：pid {os.getpid()}" in out, out
    assert stack_processes(tmp_path) == []


def test_test_ports_are_chosen_below_the_ephemeral_range_so_no_outgoing_connection_takes_them():
    """A port from bind(0) is one an outgoing connection (to PostgreSQL, Redis) can take before a Rasa
    replica binds it a minute later: test-prod once failed with errno 98 so."""
    from deploy.stack import _ephemeral_range

    low, _ = _ephemeral_range()
    ports = {free_port() for _ in range(20)}
    assert all(1024 <= p < low for p in ports) and len(ports) > 1
