/* 执行案件 in the staff console: the review queue of enforcement applications, one application with
 * its checks, 立案执行 / 不予受理, and the progress steps sent to the applicant.
 * console.js calls window.CourtConsoleViews.enforcements(arg, kit) for #/enforcements[/number];
 * kit holds console.js's helpers (api, h, append, clear, toast, me, money, when). The view's section and
 * its menu entry are added when this file runs (deferred, before console.js: the page is parsed). */
(function () {
  "use strict";

  var STATUS = { pending: "待审查", docketed: "执行中", rejected: "不予受理", terminated: "终结本次执行程序", closed: "已结案", "": "全部" };
  var STEPS = { online_search: "网络查控", disposal: "财产处置", payout: "执行款发放", terminated: "终结本次执行程序", closed: "结案" };
  var DECIDERS = { clerk: true, judge: true };
  var section = null;

  function canDecide(kit) { var m = kit.me(); return !!(m && DECIDERS[m.role]); }
  function badge(kit, status, label) { return kit.h("span", { className: "badge " + status, text: label }); }
  function failed(kit, err, where) {
    kit.clear(where);
    kit.append(where, kit.h("p", { className: "error", role: "alert", text: (err && err.message) || "操作未成功，请稍后再试。" }));
  }

  function ensureChrome() {
    if (section) { return; }
    var nav = document.getElementById("nav");
    var link = document.createElement("a");
    link.href = "#/enforcements";
    link.setAttribute("data-view", "enforcements");
    link.textContent = "执行案件";
    nav.appendChild(link);
    section = document.createElement("section");
    section.id = "view-enforcements";
    section.className = "view";
    section.hidden = true;
    section.setAttribute("aria-label", "执行案件");
    document.getElementById("main").appendChild(section);
  }

  function list(kit, status) {
    var h = kit.h;
    kit.clear(section);
    var select = h("select", { id: "e-status" }, Object.keys(STATUS).map(function (key) {
      return h("option", { value: key, selected: key === status, text: STATUS[key] });
    }));
    select.addEventListener("change", function () { list(kit, select.value); });
    var summary = h("p", { className: "summary", role: "status" });
    var body = h("tbody");
    kit.append(section, [h("h1", { text: "执行案件" }),
      h("div", { className: "filters" }, h("div", { className: "field" }, h("label", { "for": "e-status", text: "状态" }), select)),
      summary,
      h("div", { className: "table-wrap" }, h("table", { className: "grid" },
        h("thead", null, h("tr", null, ["申请号", "执行案号", "执行依据", "申请执行人", "被执行人", "申请金额", "执行法院", "状态"].map(function (t) {
          return h("th", { scope: "col", text: t });
        }))), body))]);
    kit.api("/api/v1/staff/enforcements" + (status ? "?status=" + encodeURIComponent(status) : "")).then(function (page) {
      summary.textContent = "共 " + page.total + " 件";
      page.enforcements.forEach(function (e) {
        body.appendChild(h("tr", null,
          h("td", null, h("a", { href: "#/enforcements/" + encodeURIComponent(e.number), text: e.number })),
          h("td", { text: e.case_number || "—" }),
          h("td", { text: e.basis.kind_label + " " + (e.basis.case_number || e.basis.document || "") }),
          h("td", { text: e.applicant.name }), h("td", { text: e.respondent.name }),
          h("td", { className: "num", text: e.amount ? kit.money(e.amount) : (e.acts || "—") }),
          h("td", { text: e.court.name }), h("td", null, badge(kit, e.status, e.status_label))));
      });
    }).catch(function (err) { failed(kit, err, summary); });
  }

  function row(h, label, value) { return [h("dt", { text: label }), h("dd", { text: value || "—" })]; }

  function detail(kit, number) {
    var h = kit.h;
    kit.clear(section);
    kit.append(section, [h("p", null, h("a", { href: "#/enforcements", className: "back", text: "← 返回执行案件" })),
      h("h1", { text: "执行申请 " + number })]);
    var body = h("div");
    section.appendChild(body);
    kit.api("/api/v1/staff/enforcements/" + encodeURIComponent(number)).then(function (e) { render(kit, body, e); })
      .catch(function (err) { failed(kit, err, body); });
  }

  function render(kit, body, e) {
    var h = kit.h;
    kit.clear(body);
    kit.append(body, h("dl", { className: "box" }, [
      row(h, "状态", e.status_label), row(h, "执行案号", e.case_number),
      row(h, "执行依据", e.basis.kind_label + " " + (e.basis.case_number || e.basis.document || "") +
        (e.basis.confirmed ? "（本院记录：已生效）" : "（需核实执行依据及其生效情况）")),
      row(h, "申请执行人", e.applicant.name + "（" + e.applicant.id_number + "）"),
      row(h, "被执行人", e.respondent.name + (e.respondent.id_number ? "（" + e.respondent.id_number + "）" : "")),
      row(h, "申请执行金额", e.amount ? kit.money(e.amount) : null), row(h, "申请执行行为", e.acts),
      row(h, "财产线索", e.property_leads.map(function (l) { return l.kind_label + "：" + l.detail; }).join("；")),
      row(h, "履行期限最后一日", e.performance_last_day), row(h, "时效中断日", e.interrupted_on),
      row(h, "申请执行期间届满日", e.period_last_day), row(h, "执行法院", e.court.name),
      row(h, "管辖提示", e.court_note), row(h, "执行申请费", e.fee.text), row(h, "不予受理理由", e.reject_reason)]));
    kit.append(body, [h("h2", { text: "执行进展" }), h("ol", { className: "timeline box" }, e.steps.map(function (s) {
      return h("li", null, kit.when(s.at) + " " + s.label + (s.note ? "：" + s.note : ""));
    }))]);
    if (!canDecide(kit)) { return; }
    var result = h("p", { role: "status" });
    function post(path, payload, button) {
      button.disabled = true;
      kit.api("/api/v1/staff/enforcements/" + encodeURIComponent(e.number) + path, { method: "POST", body: payload })
        .then(function (updated) { kit.toast("已保存，并已通知申请执行人。"); render(kit, body, updated); })
        .catch(function (err) { button.disabled = false; result.textContent = err.message; result.className = "error"; });
    }
    if (e.status === "pending") {
      var reason = h("textarea", { id: "e-reason", rows: 3 });
      var accept = h("button", { type: "button", className: "primary", text: "立案执行" });
      var reject = h("button", { type: "button", text: "不予受理" });
      accept.addEventListener("click", function () { post("/review", { decision: "accept" }, accept); });
      reject.addEventListener("click", function () { post("/review", { decision: "reject", reason: reason.value }, reject); });
      kit.append(body, h("div", { className: "box" }, [h("h2", { text: "审查决定" }),
        h("label", { "for": "e-reason", text: "不予受理的理由" }), reason, h("div", { className: "actions" }, accept, reject), result]));
    } else if (e.status === "docketed") {
      var step = h("select", { id: "e-step" }, Object.keys(STEPS).map(function (k) { return h("option", { value: k, text: STEPS[k] }); }));
      var note = h("input", { id: "e-note", placeholder: "说明（将发送给申请执行人）" });
      var record = h("button", { type: "button", className: "primary", text: "记录进展" });
      record.addEventListener("click", function () {
        post("/steps", note.value ? { step: step.value, note: note.value } : { step: step.value }, record);
      });
      kit.append(body, h("div", { className: "box" }, [h("h2", { text: "记录执行进展" }),
        h("label", { "for": "e-step", text: "进展" }), step, h("label", { "for": "e-note", text: "说明" }), note,
        h("div", { className: "actions" }, record), result]));
    }
  }

  window.CourtConsoleViews = window.CourtConsoleViews || {};
  window.CourtConsoleViews.enforcements = function (arg, kit) {
    ensureChrome();
    if (arg) { detail(kit, arg); } else { list(kit, "pending"); }
  };
  ensureChrome();
})();
