"""How long the generated 起诉状 takes to render, and where the time goes.

Run: PYTHONPATH=. .venv-court/bin/python bench/complaint_pdf.py [N]
   or: make bench-pdf
Prints the CPU time of the first render (which parses the font, once per process), the median CPU
time of N renders after it (default 20; the goal is ≤ 50 ms), what parsing the font alone costs,
and the PDF size. CPU time (time.process_time), not wall time: the machine is shared.
"""
from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from decimal import Decimal

from court.services import complaint as c


def sample() -> c.ComplaintData:
    person = c.PartyData("plaintiff", "person", "张三", "11010519491231002X", "13800138000",
                         address="北京市朝阳区建国路88号")
    company = c.PartyData("defendant", "organisation", "北京某某科技有限公司", address="北京市海淀区中关村大街1号",
                          legal_representative="王五", representative_title="总经理")
    return c.ComplaintData(
        court_name="北京市朝阳区人民法院", case_type="民间借贷纠纷", parties=(person, company),
        claims=(("判令被告归还借款5万元", Decimal("50000")), ("判令被告支付利息3000元", Decimal("3000")),
                ("诉讼费由被告承担", None)),
        amount=Decimal("53000"), facts="2023年3月被告向原告借款5万元，约定半年归还，至今未还。" * 4,
        evidence=({"name": "借条", "source": "原告持有", "purpose": "证明借款事实"},), signed_on=date(2026, 11, 28))


def main(n: int) -> None:
    import fpdf  # noqa: F401  (imports outside the timings)
    from court.services.complaint_font import ParsedFont

    font = c.find_font(tuple(c.font_candidates()))
    if font is None:
        sys.exit("no CJK font found: run `make pdf-font` or set COURT_PDF_FONT")
    data = sample()
    start = time.process_time()
    c.render(data, font)
    first = time.process_time() - start
    times, loads = [], []
    for _ in range(n):
        start = time.process_time()
        pdf = c.render(data, font)
        times.append(time.process_time() - start)
    for _ in range(3):
        start = time.process_time()
        ParsedFont.load(font)
        loads.append(time.process_time() - start)
    print(f"font              {font}")
    print(f"first render      {first * 1000:.0f} ms CPU (parses the font: once per process)")
    print(f"render median     {statistics.median(times) * 1000:.1f} ms CPU over {n} runs (goal ≤ 50 ms)")
    print(f"font parse alone  {statistics.median(loads) * 1000:.0f} ms CPU (what every render paid before)")
    print(f"PDF size          {len(pdf):,} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
