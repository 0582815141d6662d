/* Staff console: the 司法救助 application of a filing (《诉讼费用交纳办法》第四十四条至第五十一条) and the
clerk's decision — approve, partly (a 减交 by a percentage, at least 30 %, 第四十六条) or refuse with written
reasons (第四十八条第三款) — before docketing (第四十九条). console.js announces each rendered filing with a
"court:filing" event carrying its helpers; this file only listens. */
(function () {
  "use strict";

  function panel(d) {
    var h = d.h, f = d.view.filing, r = f.fee_relief;
    var box = h("div", { className: "box", id: "relief-panel" },
      h("p", null, h("strong", { text: "申请" + r.kind_label }), h("span", { text: "　状态：" + r.status_label })),
      h("p", { text: "理由：" + r.ground_label + (r.article ? "（" + r.article + "）" : "") }),
      r.reason ? h("p", { text: "申请人说明：" + r.reason }) : null,
      h("p", { className: "muted", text: "应提交的材料（在“材料”中查看当事人上传的证明）：" + r.materials.join("；") }));
    if (r.decision) {
      var dec = r.decision;
      box.appendChild(h("p", { text: "决定：" + r.status_label + (dec.reduction_percent ? "，减交 " + dec.reduction_percent + "%" : "") +
        (dec.reason ? "；理由：" + dec.reason : "") + "（" + dec.decided_by + "）" }));
      return box;
    }
    if (f.status !== "pending_review" || !d.canDecide) {
      box.appendChild(h("p", { className: "note", text: "尚未作出决定。" }));
      return box;
    }
    var percent = h("input", { id: "relief-percent", type: "number", min: "30", max: "99", step: "1" });
    var reason = h("textarea", { id: "relief-reason", rows: 2 });
    var result = h("p", { role: "status", className: "muted" });
    function decide(body, button) {
      button.disabled = true;
      result.textContent = "正在提交…";
      d.api("/api/v1/staff/filings/" + encodeURIComponent(f.id) + "/fee-relief", { method: "POST", body: body })
        .then(function (view) { d.toast("司法救助决定已记录，交费通知将按决定发出。"); d.rerender(view); })
        .catch(function (e) { button.disabled = false; result.textContent = e.message; result.className = "error"; });
    }
    function text(node) { return node.value.trim() || null; }
    var approve = h("button", { type: "button", className: "primary", id: "relief-approve", text: "准予" + r.kind_label });
    approve.addEventListener("click", function () {
      decide({ decision: "approve", reduction_percent: r.kind === "reduction" ? text(percent) : null, reason: text(reason) }, approve);
    });
    var partly = h("button", { type: "button", className: "secondary", id: "relief-partly", text: "部分准予（按比例减交）" });
    partly.addEventListener("click", function () {
      if (!text(percent)) { result.textContent = "请填写准予减交的比例（不低于30%）。"; result.className = "error"; percent.focus(); return; }
      decide({ decision: "partly", reduction_percent: text(percent), reason: text(reason) }, partly);
    });
    var refuse = h("button", { type: "button", className: "danger", id: "relief-refuse", text: "不予准许" });
    refuse.addEventListener("click", function () {
      if (!text(reason)) { result.textContent = "不予准许的，应当书面说明理由。"; result.className = "error"; reason.focus(); return; }
      decide({ decision: "refuse", reason: text(reason) }, refuse);
    });
    box.appendChild(h("label", { "for": "relief-percent", text: "减交比例（%，减交或部分准予时填写）" }));
    box.appendChild(percent);
    box.appendChild(h("label", { "for": "relief-reason", text: "理由（不予准许时必填）" }));
    box.appendChild(reason);
    box.appendChild(h("div", { className: "actions" }, approve, partly, refuse));
    box.appendChild(result);
    return box;
  }

  document.addEventListener("court:filing", function (event) {
    var d = event.detail;
    if (!d || !d.view || !d.view.filing.fee_relief) { return; }
    d.body.appendChild(d.h("h2", { text: "司法救助申请" }));
    d.body.appendChild(panel(d));
  });
}());
