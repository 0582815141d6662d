"""/api/v1/policy: GetPolicy — the court's filing rules a client needs before it starts (no login).

Accepted document types and the size limit (as enforced by court/infra/uploads.py), the courts (a
count and where to look them up: the full list is long), the case types (案由) offered on the
form, where the fee rules come from, and the payment deadline with its article.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from aiohttp import web

from court.data import case_type_catalogue
from court.infra.app_keys import SETTINGS
from court.infra.config import Settings
from court.infra.uploads import ACCEPTED, size_label
from court.jobs import deadlines
from court.rules.courts import all_courts
from court.rules.fees import load_schedule
from court.services.documents import DEFAULT_KIND, KINDS

routes = web.RouteTableDef()


@lru_cache(maxsize=1)
def _static_part() -> dict[str, Any]:
    """What does not depend on settings: read once from court/data and court/rules."""
    case_data = case_type_catalogue()
    schedule = load_schedule()
    return {
        "courts": {
            "count": len(all_courts()),
            "search_url": "/api/v1/courts?q={名称或地区}",
            "detail_url": "/api/v1/courts/{code}",
        },
        "case_types": {
            "regulation": case_data["regulation"],
            "items": [
                {"name": c["name"], "part": c["part"], "fee_category": c["fee_category"],
                 "is_property": c["is_property"], "amount": c["amount"]}
                for c in case_data["case_types"]
            ],
        },
        "fees": {
            "regulation": f"{schedule['regulation']}（国务院令第481号）",
            "calculate_url": "/api/v1/fees/calculate",
            "categories": [
                {"category": key, "label": rule["label"], "article": rule["article"], "fee_type": rule["fee_type"]}
                for key, rule in schedule["categories"].items()
            ],
        },
        "payment": {
            "deadline_days": deadlines.PAYMENT_DAYS,
            "rule": deadlines.PAYMENT_RULE,
            "basis": deadlines.PAYMENT_BASIS,
            "consequence": deadlines.CONSEQUENCE,
            "consequence_basis": deadlines.CONSEQUENCE_BASIS,
            "relief": ["缓交", "减交", "免交"],
        },
    }


def policy_json(settings: Settings) -> dict[str, Any]:
    static = _static_part()
    return {
        "documents": {
            "max_bytes": settings.upload_max_bytes,
            "max_size_label": size_label(settings.upload_max_bytes),
            "max_files_per_filing": settings.upload_max_files,
            "types": [
                {"code": t.code, "content_type": t.content_type, "extensions": [f".{e}" for e in t.extensions],
                 "label": t.label}
                for t in ACCEPTED
            ],
            "kinds": [{"code": code, "label": label} for code, label in KINDS.items()],
            "default_kind": DEFAULT_KIND,
            "note": "文件类型按文件内容识别，与文件名或声明的类型无关。",
        },
        **static,
    }


@routes.get("/api/v1/policy")
async def get_policy(request: web.Request) -> web.Response:
    return web.json_response(policy_json(request.app[SETTINGS]), headers={"Cache-Control": "public, max-age=300"})
