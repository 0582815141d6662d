/* Staff console: the dashboard (数据看板, /api/v1/staff/dashboard) with ECharts (vendored from npm by
 * `make web`, served from this origin) and the NLU inbox (未识别消息, /api/v1/staff/nlu-inbox).
 * Loaded before console.js, which calls the views registered here with its helpers
 * (api, h, clear, toast, me): window.CourtConsoleViews[name](arg, kit). Values from the server
 * are put on the page as text only. */
(function () {
  "use strict";

  var COLORS = ["#a61b1b", "#c9a14a", "#1a5fb4", "#1a7f37", "#9a6700", "#6e40c9", "#57606a", "#cf222e"];
  var charts = [];

  function $(id) { return document.getElementById(id); }

  function pct(rate) { return rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%"; }

  function num(value, unit) { return value === null || value === undefined ? "—" : String(value) + (unit || ""); }

  function query() {
    var q = new URLSearchParams();
    if ($("d-from").value) { q.set("date_from", $("d-from").value); }
    if ($("d-to").value) { q.set("date_to", $("d-to").value); }
    if ($("d-court").value.trim()) { q.set("court", $("d-court").value.trim()); }
    return q.toString();
  }

  function chart(id, option) {
    var node = $(id);
    var existing = window.echarts.getInstanceByDom(node);
    var c = existing || window.echarts.init(node, null, { renderer: "canvas" });
    c.setOption(Object.assign({ color: COLORS, animation: false, textStyle: { fontFamily: "inherit" } }, option), true);
    if (!existing) { charts.push(c); }
    return c;
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  function kpis(kit, id, items) {
    var node = $(id);
    kit.clear(node);
    kit.append(node, items.map(function (i) {
      return kit.h("div", { className: "kpi" }, kit.h("span", { className: "kpi-label", text: i[0] }),
        kit.h("strong", { className: "kpi-value", text: i[1] }));
    }));
  }

  /** Every date from first to last (YYYY-MM-DD, inclusive): a day without filings is a zero, not a gap. */
  function daysBetween(first, last) {
    var out = [], d = new Date(first + "T00:00:00Z"), end = new Date(last + "T00:00:00Z");
    for (var n = 0; d <= end && n < 400; n++) { out.push(d.toISOString().slice(0, 10)); d.setUTCDate(d.getUTCDate() + 1); }
    return out;
  }

  function renderFilings(kit, data) {
    var days = data.period.date_from && data.period.date_to ? daysBetween(data.period.date_from, data.period.date_to) : [];
    var types = [], counts = {};
    data.filings.by_day.forEach(function (r) {
      if (days.indexOf(r.date) < 0) { days.push(r.date); }
      if (types.indexOf(r.case_type) < 0) { types.push(r.case_type); }
      counts[r.case_type + "|" + r.date] = (counts[r.case_type + "|" + r.date] || 0) + r.count;
    });
    chart("chart-filings", {
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 12, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: days }, yAxis: { type: "value", minInterval: 1 },
      series: types.map(function (t) {
        return { name: t, type: "bar", stack: "filings", data: days.map(function (d) { return counts[t + "|" + d] || 0; }) };
      })
    });
    var body = $("dash-filings-table").tBodies[0];
    kit.clear(body);
    data.filings.by_day.forEach(function (r) {
      kit.append(body, kit.h("tr", null, kit.h("td", { className: "nowrap", text: r.date }), kit.h("td", { text: r.court_name }),
        kit.h("td", { text: r.case_type }), kit.h("td", { className: "num", text: String(r.count) })));
    });
    $("dash-filings-total").textContent = "共 " + data.filings.total + " 件立案申请";
  }

  function renderDecisions(kit, data) {
    var t = data.decision_time, r = data.review;
    kpis(kit, "kpi-decisions", [
      ["已作出决定", num(t.decided, " 件")], [t.rule_days + "日内按期", pct(t.on_time_rate)],
      ["首次决定平均用时", num(t.average_days_to_first_decision, " 天")], ["待审核已超期", num(t.pending_past_due, " 件")],
      ["补正率", pct(r.correction_rate)], ["不予立案率", pct(r.rejection_rate)]
    ]);
    chart("chart-decisions", {
      tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c}" },
        data: [{ name: "立案", value: r.docketed }, { name: "要求补正", value: r.corrections }, { name: "不予立案", value: r.rejections }] }]
    });
    var reasons = r.top_correction_items.map(function (x) { return { name: "补正：" + x.reason, value: x.count }; })
      .concat(r.top_rejection_reasons.map(function (x) { return { name: "不予立案：" + x.reason, value: x.count }; }));
    chart("chart-reasons", {
      tooltip: {}, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: reasons.map(function (x) { return x.name; }),
        axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: reasons.map(function (x) { return x.value; }) }]
    });
  }

  function renderFees(kit, data) {
    var f = data.fees;
    kpis(kit, "kpi-fees", [
      ["交费通知", num(f.noticed, " 件")], ["通知金额", kit.money(f.noticed_amount)], ["已交费", num(f.paid, " 件")],
      ["已交金额", kit.money(f.paid_amount)], ["逾期未交", num(f.overdue, " 件")], ["逾期金额", kit.money(f.overdue_amount)],
      ["交费率", pct(f.paid_rate)], ["司法救助", num(f.relief, " 件")]
    ]);
    chart("chart-fees", {
      tooltip: {}, grid: { left: 8, right: 12, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: ["已通知", "已交费", "逾期未交", "司法救助"] }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: [f.noticed, f.paid, f.overdue, f.relief], colorBy: "data" }]
    });
  }

  function renderFunnel(kit, data) {
    var u = data.funnel, k = data.tickets;
    chart("chart-funnel", {
      tooltip: { trigger: "item" },
      series: [{ type: "funnel", left: "10%", width: "80%", sort: "none", minSize: "20%", label: { position: "inside", formatter: "{b}：{c}" },
        data: [{ name: "开始对话", value: u.started }, { name: "完成实名认证", value: u.verified }, { name: "提交立案申请", value: u.submitted }] }]
    });
    chart("chart-exits", {
      tooltip: {}, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: u.left_at.map(function (x) { return x.label; }) },
      series: [{ type: "bar", data: u.left_at.map(function (x) { return x.count; }) }]
    });
    kpis(kit, "kpi-tickets", [
      ["转人工请求", num(k.opened, " 件")], ["已答复", num(k.answered, " 件")], ["待答复", num(k.open, " 件")],
      ["平均答复用时", num(k.average_hours_to_answer, " 小时")], ["24小时内答复", num(k.answered_within_24h, " 件")]
    ]);
  }

  function loadDashboard(kit) {
    var status = $("dash-status");
    status.textContent = "正在统计…";
    kit.api("/api/v1/staff/dashboard?" + query()).then(function (data) {
      if (!$("d-from").value && data.period.date_from) { $("d-from").value = data.period.date_from; }
      if (!$("d-to").value && data.period.date_to) { $("d-to").value = data.period.date_to; }
      status.textContent = (data.court_code ? "法院 " + data.court_code : "全部法院") + "，" +
        data.period.date_from + " 至 " + data.period.date_to;
      $("dash-body").hidden = false;
      renderFilings(kit, data);
      renderDecisions(kit, data);
      renderFees(kit, data);
      renderFunnel(kit, data);
    }).catch(function (e) { status.textContent = e.message; });
  }

  function downloadCsv(kit, button) {
    button.disabled = true;
    kit.api("/api/v1/staff/dashboard.csv?" + query(), { raw: true }).then(function (resp) {
      var name = (/filename="([^"]+)"/.exec(resp.headers.get("Content-Disposition") || "") || [])[1] || "dashboard.csv";
      return resp.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = kit.h("a", { href: url, download: name });
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      });
    }).catch(function (e) { kit.toast(e.message, true); }).then(function () { button.disabled = false; });
  }

  var bound = false;

  function dashboard(_arg, kit) {
    var m = kit.me();
    $("d-court-field").hidden = !!(m && m.court_code);
    if (!bound) {
      bound = true;
      $("dash-filter").addEventListener("submit", function (event) { event.preventDefault(); loadDashboard(kit); });
      $("dash-csv").addEventListener("click", function () { downloadCsv(kit, $("dash-csv")); });
    }
    loadDashboard(kit);
    setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 0);
  }

  // --- the NLU inbox ------------------------------------------------------------------------

  var SHOWN = 5;  // distinct texts shown at once in a group; the rest behind "另有…"

  /** The group's messages by distinct text: [{text, ids, last}] (a clerk labels a text once). */
  function distinct(messages) {
    var byText = {}, order = [];
    messages.forEach(function (msg) {
      if (!byText[msg.text]) { byText[msg.text] = { text: msg.text, ids: [], last: msg }; order.push(msg.text); }
      byText[msg.text].ids.push(msg.id);
    });
    return order.map(function (t) { return byText[t]; });
  }

  function intentLabel(view, name) {
    var found = view.intents.filter(function (i) { return i.name === name; })[0];
    return found ? found.label : name === "nlu_fallback" ? "未能理解" : name;
  }

  function groupCard(kit, g, view) {
    var boxes = [];
    function row(item) {
      var box = kit.h("input", { type: "checkbox", checked: true, value: item.ids.join(","), "aria-label": "选择：" + item.text });
      boxes.push(box);
      var m = item.last;
      return kit.h("li", null, kit.h("label", null, view.can_label ? box : null, kit.h("span", { className: "inbox-text", text: item.text })),
        item.ids.length > 1 ? kit.h("span", { className: "badge", text: "×" + item.ids.length }) : null,
        kit.h("span", { className: "muted inbox-meta", text: (m.intent ? intentLabel(view, m.intent) : "未识别") +
          (m.confidence === null ? "" : " · " + m.confidence.toFixed(2)) + " · " + kit.when(m.at) }));
    }
    var items = distinct(g.messages);
    var more = items.slice(SHOWN);
    var card = kit.h("li", { className: "inbox-group", "data-group": String(g.id) },
      kit.h("h3", null, kit.h("span", { text: g.sample }), kit.h("span", { className: "badge", text: g.size + " 条" })),
      g.guess ? kit.h("p", { className: "muted", text: "助手的猜测：" + intentLabel(view, g.guess) }) : null,
      kit.h("ul", { className: "inbox-messages" }, items.slice(0, SHOWN).map(row)),
      more.length ? kit.h("details", null, kit.h("summary", { text: "另有 " + more.length + " 种相似说法" }),
        kit.h("ul", { className: "inbox-messages" }, more.map(row))) : null);
    if (!view.can_label) { return card; }
    var select = kit.h("select", { "aria-label": "正确的意图" }, kit.h("option", { value: "", text: "选择正确的意图…" }),
      view.intents.map(function (i) { return kit.h("option", { value: i.name, text: i.label + "（" + i.name + "）" }); }));
    if (g.guess && view.intents.some(function (i) { return i.name === g.guess; })) { select.value = g.guess; }
    function send(body, button) {
      body.turn_ids = [];
      boxes.filter(function (b) { return b.checked; }).forEach(function (b) {
        b.value.split(",").forEach(function (id) { body.turn_ids.push(Number(id)); });
      });
      if (!body.turn_ids.length) { kit.toast("请至少选择一条消息。", true); return; }
      button.disabled = true;
      kit.api("/api/v1/staff/nlu-inbox/labels", { method: "POST", body: body }).then(function (done) {
        kit.toast("已标注 " + done.labelled + " 条" + (done.out_of_scope ? "为超出服务范围。" : "为“" + intentLabel(view, done.intent) + "”。"));
        loadInbox(kit);
      }).catch(function (e) { kit.toast(e.message, true); button.disabled = false; });
    }
    var label = kit.h("button", { type: "button", className: "primary", text: "标注为该意图" });
    label.addEventListener("click", function () {
      if (!select.value) { kit.toast("请先选择正确的意图。", true); select.focus(); return; }
      send({ intent: select.value }, label);
    });
    var outside = kit.h("button", { type: "button", className: "secondary", text: "超出服务范围" });
    outside.addEventListener("click", function () { send({ out_of_scope: true }, outside); });
    kit.append(card, kit.h("div", { className: "actions" }, select, label, outside));
    return card;
  }

  function loadInbox(kit) {
    var list = $("inbox-list");
    kit.api("/api/v1/staff/nlu-inbox").then(function (view) {
      kit.clear(list);
      $("inbox-summary").textContent = view.total ? "共 " + view.total + " 条消息（置信度低于 " + view.threshold + " 或未识别），分为 " +
        view.groups.length + " 组" + (view.can_label ? "。" : "；您的角色只能查看，由立案庭工作人员标注。") : "暂无待标注的消息。";
      kit.append(list, view.groups.map(function (g) { return groupCard(kit, g, view); }));
    }).catch(function (e) { $("inbox-summary").textContent = e.message; });
  }

  window.CourtConsoleViews = {
    dashboard: dashboard,
    "nlu-inbox": function (_arg, kit) { loadInbox(kit); }
  };
}());
