"""What the bot says, shaped for WeChat: numbered options instead of buttons, byte-limited pieces.

Pure functions, no I/O. WeChat text messages show no buttons, so the options of a bot turn are
listed as numbers the user can reply with; a customer-service text may hold at most 2048 bytes
of UTF-8, so long replies are cut at line, then sentence, then character boundaries.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

import cn2an

MAX_CONTENT_BYTES = 2048
CHOOSE_HEADER = "回复数字选择："

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;…])")
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十]{1,3}")
_CHOICE_DECORATION = re.compile(r"^(?:第|选)?\s*(?P<n>[^\s.。、)）号项个]+)\s*(?:[.。、)）]|号|项|个)?$")


@dataclass(frozen=True)
class Option:
    """One button: what the user sees and what Rasa receives when it is chosen."""

    title: str
    payload: str


@dataclass
class Turn:
    """One bot turn as a single text, plus the options its numbers stand for (in order)."""

    text: str
    options: list[Option] = field(default_factory=list)


def render_turn(messages: Iterable[dict[str, Any]]) -> Turn:
    """Join a turn's messages (as `CollectingOutputChannel` stores them) into one text.

    One text rather than one per message: WeChat allows only a few customer-service messages per
    user message. Buttons become a numbered list right after the message that carried them;
    numbering runs on across the turn so that every number means exactly one option.
    """
    parts: list[str] = []
    options: list[Option] = []
    for message in messages:
        for key in ("text", "image", "attachment"):
            value = message.get(key)
            if value:
                parts.append(str(value).strip())
        buttons = [b for b in message.get("buttons") or [] if b.get("title") or b.get("payload")]
        if buttons:
            lines = [CHOOSE_HEADER]
            for button in buttons:
                title = str(button.get("title") or button.get("payload"))
                options.append(Option(title, str(button.get("payload") or title)))
                lines.append(f"{len(options)}. {title}")
            parts.append("\n".join(lines))
    return Turn("\n\n".join(p for p in parts if p), options)


def parse_choice(text: str) -> Optional[int]:
    """The option number in a reply such as "1", "１", "一", "2.", "第3个"; None if it is not one."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    m = _CHOICE_DECORATION.match(s)
    if not m:
        return None
    n = m.group("n")
    if n.isascii() and n.isdigit() and len(n) <= 3:
        return int(n)
    if _CHINESE_NUMERAL.fullmatch(n):
        try:
            return int(cn2an.cn2an(n, "normal"))
        except (ValueError, KeyError):
            return None
    return None


def choose(text: str, options: list[Option]) -> Optional[str]:
    """The payload the user picked by number, or None when the reply is not a valid number."""
    n = parse_choice(text)
    if n is None or not 1 <= n <= len(options):
        return None
    return options[n - 1].payload


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_cut(text: str, limit: int) -> list[str]:
    """Cut by characters so that no multi-byte character is split."""
    pieces, current, size = [], [], 0
    for ch in text:
        n = utf8_len(ch)
        if size + n > limit and current:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += n
    if current:
        pieces.append("".join(current))
    return pieces


def _units(text: str, limit: int) -> list[str]:
    """Lines (with their newline), lines too long cut into sentences, sentences too long cut hard."""
    units: list[str] = []
    for line in text.splitlines(keepends=True):
        if utf8_len(line) <= limit:
            units.append(line)
            continue
        for sentence in _SENTENCE_END.split(line):
            if not sentence:
                continue
            units.extend([sentence] if utf8_len(sentence) <= limit else _hard_cut(sentence, limit))
    return units


def split_message(text: str, limit: int = MAX_CONTENT_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line or sentence boundaries where possible."""
    text = text.strip()
    if not text:
        return []
    if utf8_len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for unit in _units(text, limit):
        if current and utf8_len(current) + utf8_len(unit) > limit:
            pieces.append(current)
            current = ""
        current += unit
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]
