"""The staff console's 电子卷宗 on a filing: the catalogue as a table and the full file as a PDF, on a
desktop screen and a 360 px phone (court/static/staff/case_file.js)."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from browserkit import LI, verified_token


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
def test_console_shows_and_downloads_the_case_file(stack, clerk, open_page, viewport, tmp_path):
    token = verified_token(stack, LI)
    filing = requests.post(f"{stack.backend_url}/api/v1/filings", timeout=10, headers={
        "Authorization": f"Bearer {token}"}, json={
        "case_type": "民间借贷纠纷", "court_code": "京0105",
        "parties": [{"role": "plaintiff", "kind": "person", "name": LI["name"], "id_number": LI["id_number"],
                     "phone": LI["phone"]},
                    {"role": "defendant", "kind": "person", "name": "赵六", "address": "北京市朝阳区朝阳北路1号"}],
        "claims": [{"text": "判令被告归还借款2万元", "amount": "20000"}],
        "facts": "2024年1月被告向原告借款2万元，至今未还。", "channel": "rest"})
    assert filing.status_code == 201, filing.text
    number = filing.json()["id"]

    username, password = clerk
    console = open_page("clerk", viewport=viewport)
    console.goto(stack.backend_url + "/staff")
    console.fill("#login-username", username)
    console.fill("#login-password", password)
    console.press("#login-password", "Enter")
    expect(console.locator("#nav")).to_be_visible()
    console.goto(f"{stack.backend_url}/staff#/filings/{number}")
    section = console.locator("#case-file")
    expect(section).to_be_visible()
    section.locator("button", has_text="查看卷宗目录").click()
    table = console.locator("#case-file-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("民事起诉状")
    expect(table).to_contain_text("当事人可阅")
    expect(section).to_contain_text("共 1 件")
    with console.expect_download() as download:
        section.locator("button", has_text="下载完整电子卷宗").click()
    saved = tmp_path / "case-file.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"电子卷宗-{number}.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    expect(section).to_contain_text("已记入访问审计")
