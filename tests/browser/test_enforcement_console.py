"""The staff console's 执行案件 view in Chromium: a clerk finds an application in the queue, dockets
it (a 执 number appears), records 网络查控, and the steps are stored. Backend only (no Rasa)."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from browserkit import db, verified_token
from deploy.stack import COURT_PYTHON, ROOT, Ports, Stack

PASSWORD = "Enforce-2026-clerk"
ZHANG = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(Ports.free(), tmp_path_factory.mktemp("enforcement-stack"))
    try:
        stack.start_backend()
        stack.wait_until_ready()
        subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", "zxclerk", "--name", "执行书记员",
                        "--role", "clerk", "--court", "京0105", "--password-stdin"], input=PASSWORD + "\n", text=True,
                       check=True, cwd=ROOT, capture_output=True,
                       env={**os.environ, "COURT_DATABASE_URL": stack.database_url, "COURT_DEV_MODE": "1"})
        yield stack
    finally:
        stack.stop()


def test_a_clerk_dockets_and_records_a_step(backend, open_page):
    token = verified_token(backend, ZHANG)
    due = datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=10)
    applied = requests.post(f"{backend.backend_url}/api/v1/enforcements", timeout=10,
                            headers={"Authorization": f"Bearer {token}"},
                            json={"basis_kind": "judgment", "basis_number": "(2026)京0105民初77号",
                                  "respondent": {"name": "李四"}, "amount": "50000",
                                  "property_leads": [{"kind": "vehicle", "detail": "京A12345"}],
                                  "performance_last_day": due.isoformat(), "interrupted": False,
                                  "court_code": "京0105"})
    assert applied.status_code == 201, applied.text
    number = applied.json()["number"]

    page = open_page("enforcement-console")
    page.goto(f"{backend.backend_url}/staff#/enforcements")
    page.fill("#login-username", "zxclerk")
    page.fill("#login-password", PASSWORD)
    page.press("#login-password", "Enter")
    expect(page.locator("#who")).to_contain_text("执行书记员")
    page.goto(f"{backend.backend_url}/staff#/enforcements")
    expect(page.locator("nav a[data-view=enforcements]")).to_have_text("执行案件")
    expect(page.locator("#view-enforcements")).to_contain_text(number)
    page.click(f"text={number}")
    expect(page.locator("#view-enforcements")).to_contain_text("需核实执行依据")  # not a case of ours
    expect(page.locator("#view-enforcements")).to_contain_text("京A12345")
    page.click("text=立案执行")
    expect(page.locator("#view-enforcements")).to_contain_text("（20")
    expect(page.locator("#view-enforcements")).to_contain_text("京0105执")
    page.select_option("#e-step", "online_search")
    page.fill("#e-note", "已冻结存款")
    page.click("text=记录进展")
    expect(page.locator("#view-enforcements .timeline")).to_contain_text("网络查控：已冻结存款")
    assert [s for (s,) in db(backend, "SELECT step FROM enforcement_steps ORDER BY id")] == ["docketed", "online_search"]
    assert db(backend, "SELECT status FROM enforcements") == [("docketed",)]
