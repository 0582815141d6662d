"""Finding 7, the channel half: what the logs of the Rasa side keep.

* Phone numbers written the ways people write them pass Rasa's log masking (logging.yml).
* The Rasa API token travels as ``?token=`` (Rasa 3.6 reads its static token only from the query
  string), and the load balancer's access log recorded every query string.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path

import pytest
from aiohttp import web

from deploy.profiles import NGINX, render_nginx_config
from deploy.stack import ROOT, free_port
from tests.channels.fake_wechat import LoopbackApp

LOG_SCRIPT = """
import logging, logging.config, sys, yaml
logging.config.dictConfig(yaml.safe_load(open("logging.yml", encoding="utf-8")))
logging.getLogger("rasa.core.processor").warning("Received user message '%s'", sys.argv[1])
"""


@pytest.mark.parametrize("written", ["+8613800138000", "138-0013-8000", "138 0013 8000", "+86 138 0013 8000",
                                     "0086-138-0013-8000", "１３８００１３８０００"])
def test_every_way_of_writing_a_phone_number_is_masked_in_rasas_log(written):
    out = subprocess.run([sys.executable, "-c", LOG_SCRIPT, f"我的电话是{written}，请回电"], cwd=ROOT,
                         capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT)}).stderr
    assert "我的电话是" in out and "****" in out
    message = unicodedata.normalize("NFKC", out).split("我的电话是", 1)[1]  # not the log line's timestamp
    digits = "".join(ch for ch in message if ch.isdigit())
    assert "0013" not in digits  # the middle four digits are gone
    assert "13800138000" not in digits


class Upstream(LoopbackApp):
    """Stands in for a Rasa replica behind the balancer."""

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", lambda request: web.json_response({"ok": True}))
        return app


@pytest.mark.skipif(not NGINX.exists(), reason="nginx is installed by `make nginx`")
def test_the_balancers_access_log_keeps_no_query_string(tmp_path: Path):
    secret = "rasa-api-token-that-must-not-be-logged"
    with Upstream() as upstream:
        port = free_port()
        (tmp_path / "temp").mkdir()
        conf = tmp_path / "nginx.conf"
        conf.write_text(render_nginx_config(port, [upstream.port]), encoding="utf-8")
        nginx = subprocess.Popen([str(NGINX), "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/conversations/wx:o123/tracker/events?output_channel=latest&token={secret}"
            for _ in range(100):
                try:
                    with urllib.request.urlopen(urllib.request.Request(url, data=b"[]", method="POST"), timeout=2) as r:
                        assert r.status == 200
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("nginx did not answer")
        finally:
            nginx.send_signal(signal.SIGQUIT)  # graceful: requests finish and are logged first
            nginx.wait(10)
    log = (tmp_path / "access.log").read_text(encoding="utf-8")
    assert "POST /conversations/wx:o123/tracker/events" in log
    assert secret not in log and "token=" not in log
