"""What the submit turn says of the generated 起诉状 (actions/filing.py complaint_reply): the backend
answers before rendering it (court/jobs/complaint_renders.py) and sends the link afterwards."""
from __future__ import annotations

from actions.filing import complaint_reply
from bot.texts import COMPLAINT_COMING


def test_while_it_is_rendered_the_litigant_is_told_it_follows():
    reply = complaint_reply({"id": "LA20261128000001", "complaint": None, "complaint_pending": True})
    assert reply == COMPLAINT_COMING and "起诉状" in reply and "发到这里" in reply


def test_an_attached_complaint_is_offered_by_its_link(monkeypatch):
    monkeypatch.setenv("COURT_PUBLIC_BASE_URL", "https://court.example")
    reply = complaint_reply({"complaint": {"download_url": "/api/v1/documents/ab/download?expires=1&sig=00"},
                             "complaint_pending": False})
    assert reply is not None and "https://court.example/api/v1/documents/ab/download?expires=1&sig=00" in reply


def test_without_a_font_nothing_is_promised():
    assert complaint_reply({"complaint": None, "complaint_pending": False}) is None
    assert complaint_reply({"complaint": None}) is None  # an older backend
