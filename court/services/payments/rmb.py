"""Amounts in Chinese capital numerals (人民币大写), as on a payment voucher: 2300.00 → 贰仟叁佰元整."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("仟", "佰", "拾", "")
_GROUPS = ("", "万", "亿", "万亿")


def _group(n: int) -> str:
    """0 < n < 10000 in capitals, one 零 for each run of inner zeros (1001 → 壹仟零壹)."""
    out, zero = [], False
    for i, ch in enumerate(f"{n:04d}"):
        d = int(ch)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _IN_GROUP[i])
    return "".join(out)


def integer_words(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large for capital numerals")
    out: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        out.append(_group(g) + _GROUPS[index])
        pending_zero = False
    return "".join(out)


def rmb_upper(amount: Decimal) -> str:
    """Yuan (Decimal, rounded half-up to the fen) in capitals: 1.05 → 壹元零伍分, 0.5 → 伍角, 0 → 零元整."""
    if amount < 0:
        raise ValueError("negative amount")
    fen_total = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if jiao == 0 and fen == 0:
        return f"{integer_words(yuan)}元整"
    text = f"{integer_words(yuan)}元" if yuan else ""
    if jiao:
        text += f"{DIGITS[jiao]}角"
    elif yuan:
        text += "零"
    if fen:
        text += f"{DIGITS[fen]}分"
    return text
