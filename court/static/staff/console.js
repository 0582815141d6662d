/* Staff console: login, the filing review queue, one filing with its documents and conversation,
 * decisions, transcripts, the handoff queue. Same origin as the API; the staff token lives in
 * sessionStorage (this tab only, gone when it closes). Every value from the server is put on the
 * page as text (the `h` helper never parses HTML). */
(function () {
  "use strict";

  var KEY_TOKEN = "court.staff.token";
  var KEY_STAFF = "court.staff.me";
  var ROLE_LABELS = { clerk: "立案庭工作人员", judge: "法官", admin: "系统管理员" };
  var DECIDERS = { clerk: true, judge: true };
  var PARTY_ROLES = { plaintiff: "原告", defendant: "被告", third_party: "第三人" };
  var PARTY_KINDS = { person: "自然人", organisation: "法人或其他组织" };
  var CHANNELS = { socketio: "网页", rest: "接口", wechat: "微信", cmdline: "终端" };
  var TURN_KINDS = { user: "", bot: "助手主动发送", notice: "法院送达" };
  var INTENTS = {
    greet: "问候", goodbye: "告别", affirm: "肯定", deny: "否定", thank: "感谢", file_case: "立案",
    query_status: "查询进度", ask_fee: "诉讼费", pay_fee: "交费", cancel_filing: "撤回", upload_evidence: "上传证据",
    request_human: "转人工", bot_challenge: "是否机器人", stop: "退出", out_of_scope: "超出范围", inform: "提供信息", faq: "常见问题",
    submit_correction: "补正", nlu_fallback: "未能理解"
  };
  var SLOTS = {
    case_type: "案由", court: "法院", court_code: "法院代字", plaintiff_name: "原告姓名",
    plaintiff_id_number: "原告身份证号", plaintiff_phone: "原告手机号", sms_code: "验证码",
    identity_challenge: "认证流水", litigant_token: "认证凭证", verified_id_number: "已认证身份证号",
    defendant_name: "被告", defendant_kind: "被告类型", claims: "诉讼请求", amount: "金额", facts: "事实与理由",
    filing_confirmed: "确认提交", correcting: "更正中", lookup_number: "查询号码", filing_id: "立案申请号",
    plaintiff_address: "原告住所", plaintiff_representative: "原告法定代表人", plaintiffs: "原告列表",
    defendant_address: "被告住所", defendant_representative: "被告法定代表人", defendants: "被告列表",
    more_plaintiffs: "还有原告", more_defendants: "还有被告", evidence: "证据", mediation_consent: "同意诉前调解",
    e_service_consent: "同意电子送达", e_service_address: "电子送达地址", resume_draft: "继续草稿"
  };

  // --- helpers ------------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  /** h("td", {className: "num"}, "text", child) — strings become text nodes, never HTML. */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) { return; }
      if (key === "className") { node.className = value; }
      else if (key === "text") { node.textContent = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else if (value === true) { node.setAttribute(key, ""); }
      else { node.setAttribute(key, String(value)); }
    });
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function when(iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  }

  function money(value) {
    if (value === null || value === undefined) { return "—"; }
    var parts = String(value).split(".");
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + (parts[1] || "00") + "元";
  }

  function badge(status, label) { return h("span", { className: "badge " + status, text: label }); }

  function toast(text, bad) {
    var node = $("toast");
    node.textContent = text;
    node.className = "toast" + (bad ? " bad" : "");
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { node.hidden = true; }, 6000);
  }

  // --- session and API ----------------------------------------------------------------------

  function token() { try { return sessionStorage.getItem(KEY_TOKEN); } catch (e) { return null; } }
  function me() { try { return JSON.parse(sessionStorage.getItem(KEY_STAFF) || "null"); } catch (e) { return null; } }
  function canDecide() { var m = me(); return !!(m && DECIDERS[m.role]); }

  function ApiError(status, message) { this.status = status; this.message = message; }

  function api(path, options) {
    options = options || {};
    var headers = { Authorization: "Bearer " + token() };
    var init = { method: options.method || "GET", headers: headers };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    return fetch(path, init).then(function (resp) {
      if (resp.status === 401) {
        logout("登录已过期，请重新登录。");
        throw new ApiError(401, "登录已过期，请重新登录。");
      }
      if (options.raw) {
        if (!resp.ok) { throw new ApiError(resp.status, "无法读取该材料。"); }
        return resp;
      }
      return resp.json().catch(function () { return null; }).then(function (body) {
        if (!resp.ok) {
          throw new ApiError(resp.status, (body && body.message) || "操作未成功，请稍后再试。");
        }
        return body;
      });
    }, function () { throw new ApiError(0, "网络异常，请检查网络后重试。"); });
  }

  function failed(err, where) {
    var text = (err && err.message) || "操作未成功，请稍后再试。";
    if (where) { clear(where); append(where, h("p", { className: "error", role: "alert", text: text })); }
    else { toast(text, true); }
  }

  function logout(message) {
    try { sessionStorage.removeItem(KEY_TOKEN); sessionStorage.removeItem(KEY_STAFF); } catch (e) { /* ignore */ }
    showChrome();
    show("login");
    if (message) { var err = $("login-error"); err.textContent = message; err.hidden = false; }
  }

  function showChrome() {
    var m = token() && me();
    $("nav").hidden = !m;
    $("who").hidden = !m;
    $("logout").hidden = !m;
    if (m) {
      $("who").textContent = m.name + "（" + (ROLE_LABELS[m.role] || m.role) + (m.court_code ? " · " + m.court_code : "") + "）";
    }
  }

  // --- routing --------------------------------------------------------------------------------

  var VIEWS = ["login", "filings", "filing", "transcripts", "transcript", "tickets"];
  var EXTRA = window.CourtConsoleViews || {};  // dashboard.js: the dashboard and the NLU inbox
  var KIT = { api: api, h: h, append: append, clear: clear, toast: toast, me: me, money: money, when: when };

  function show(name) {
    VIEWS.concat(Object.keys(EXTRA)).forEach(function (v) { $("view-" + v).hidden = v !== name; });
    var section = name === "filing" ? "filings" : name === "transcript" ? "transcripts" : name;
    Array.prototype.forEach.call(document.querySelectorAll("nav a"), function (a) {
      if (a.getAttribute("data-view") === section) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  function route() {
    if (!token() || !me()) { logout(); $("login-username").focus(); return; }
    showChrome();
    var parts = (location.hash || "#/filings").slice(2).split("/");
    var view = parts[0] || "filings";
    var arg = parts.length > 1 ? decodeURIComponent(parts.slice(1).join("/")) : "";
    if (view === "filings" && arg) { show("filing"); loadFiling(arg); }
    else if (view === "transcripts" && arg) { show("transcript"); loadTranscript(arg, $("transcript-body")); }
    else if (view === "transcripts") { show("transcripts"); }
    else if (view === "tickets") { show("tickets"); loadTickets(); }
    else if (EXTRA[view]) { show(view); EXTRA[view](arg, KIT); }
    else { show("filings"); loadFilings(); }
    $("main").focus();
  }

  // --- login ----------------------------------------------------------------------------------

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var err = $("login-error");
    err.hidden = true;
    var username = $("login-username").value.trim();
    var password = $("login-password").value;
    if (!username || !password) { err.textContent = "请输入用户名和密码。"; err.hidden = false; return; }
    fetch("/api/v1/staff/session", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: username, password: password })
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (body) {
        if (!resp.ok || !body) { throw new ApiError(resp.status, (body && body.message) || "登录未成功，请稍后再试。"); }
        sessionStorage.setItem(KEY_TOKEN, body.token);
        sessionStorage.setItem(KEY_STAFF, JSON.stringify(body.staff));
        $("login-password").value = "";
        if (!location.hash || location.hash === "#/") { location.hash = "#/filings"; } else { route(); }
      });
    }).catch(function (e) { err.textContent = e.message || "网络异常，请稍后再试。"; err.hidden = false; });
  });
  $("logout").addEventListener("click", function () { logout("您已退出登录。"); location.hash = ""; });

  // --- the review queue -------------------------------------------------------------------------

  function partyNames(parties, role) {
    return parties.filter(function (p) { return p.role === role; }).map(function (p) { return p.name; }).join("、");
  }

  function loadFilings() {
    var q = new URLSearchParams();
    if ($("f-status").value) { q.set("status", $("f-status").value); }
    if ($("f-court").value.trim()) { q.set("court", $("f-court").value.trim()); }
    if ($("f-from").value) { q.set("date_from", $("f-from").value); }
    if ($("f-to").value) { q.set("date_to", $("f-to").value); }
    q.set("limit", "100");
    var tbody = $("filings-table").querySelector("tbody");
    $("filings-summary").textContent = "正在加载…";
    api("/api/v1/staff/filings?" + q.toString()).then(function (body) {
      clear(tbody);
      $("filings-summary").textContent = body.total ? "共 " + body.total + " 件（先收先审）" : "没有符合条件的立案申请。";
      body.filings.forEach(function (f) {
        tbody.appendChild(h("tr", null,
          h("td", { className: "nowrap" }, h("a", { href: "#/filings/" + encodeURIComponent(f.id), text: f.id })),
          h("td", { text: f.case_type }),
          h("td", { text: f.court.name }),
          h("td", { text: partyNames(f.parties, "plaintiff") }),
          h("td", { text: partyNames(f.parties, "defendant") }),
          h("td", { className: "num", text: money(f.amount) }),
          h("td", { className: "nowrap", text: when(f.created_at) }),
          h("td", null, badge(f.status, f.status_label), f.case_number ? h("div", { className: "muted", text: f.case_number }) : null)
        ));
      });
    }).catch(function (e) { $("filings-summary").textContent = e.message; });
  }
  $("filings-filter").addEventListener("submit", function (event) { event.preventDefault(); loadFilings(); });

  // --- one filing -------------------------------------------------------------------------------

  function loadFiling(number) {
    var body = $("filing-body");
    clear(body);
    append(body, h("p", { className: "muted", text: "正在加载…" }));
    $("filing-title").textContent = "立案申请 " + number;
    api("/api/v1/staff/filings/" + encodeURIComponent(number)).then(function (view) {
      renderFiling(view);
    }).catch(function (e) { failed(e, body); });
  }

  function renderFiling(view) {
    var f = view.filing;
    var body = $("filing-body");
    clear(body);
    $("filing-title").textContent = "立案申请 " + f.id;
    append(body, h("p", null, badge(f.status, f.status_label),
      f.case_number ? h("strong", { text: "　案号：" + f.case_number }) : null));
    append(body, h("dl", { className: "facts" },
      h("dt", { text: "案由" }), h("dd", { text: f.case_type }),
      h("dt", { text: "受理法院" }), h("dd", { text: f.court.name + "（" + f.court.code + "）" }),
      h("dt", { text: "标的金额" }), h("dd", { text: money(f.amount) }),
      h("dt", { text: "提交时间" }), h("dd", { text: when(f.created_at) }),
      h("dt", { text: "提交人" }), h("dd", { text: view.filer ? view.filer.name + "，身份证 " + view.filer.id_number + "，手机 " + view.filer.phone : "—" }),
      h("dt", { text: "诉前调解" }), h("dd", { text: f.mediation_consent === true ? "同意" : f.mediation_consent === false ? "不同意" : "未表示" }),
      h("dt", { text: "电子送达" }), h("dd", { text: f.e_service_consent === true ? "同意" + (f.e_service_address ? "（" + f.e_service_address + "）" : "") : f.e_service_consent === false ? "不同意" : "未表示" })
    ));

    append(body, h("h2", { text: "当事人" }));
    append(body, h("div", { className: "table-wrap" }, h("table", { className: "grid" },
      h("thead", null, h("tr", null, ["诉讼地位", "类型", "姓名或名称", "身份证号码", "联系电话", "住所", "法定代表人"].map(function (t) {
        return h("th", { scope: "col", text: t });
      }))),
      h("tbody", null, f.parties.map(function (p) {
        return h("tr", null,
          h("td", { text: PARTY_ROLES[p.role] || p.role }), h("td", { text: PARTY_KINDS[p.kind] || p.kind }),
          h("td", { text: p.name }), h("td", { className: "nowrap", text: p.id_number || "—" }),
          h("td", { className: "nowrap", text: p.phone || "—" }), h("td", { text: p.address || "—" }),
          h("td", { text: p.legal_representative || "—" }));
      }))
    )));

    append(body, h("h2", { text: "诉讼请求" }));
    append(body, h("ol", { className: "box" }, f.claims.map(function (c) {
      return h("li", { text: c.text + (c.amount ? "（" + money(c.amount) + "）" : "") });
    })));
    append(body, h("h2", { text: "事实与理由" }));
    append(body, h("p", { className: "box facts-text", text: f.facts }));
    append(body, h("h2", { text: "证据和证据来源" }));
    append(body, (f.evidence || []).length ? h("ol", { className: "box" }, f.evidence.map(function (e) {
      return h("li", { text: e.name + (e.source ? "（来源：" + e.source + "）" : "") + (e.purpose ? "，证明" + e.purpose : "") });
    })) : h("p", { className: "muted", text: "未列明证据" }));

    if (f.review && (f.review.items && f.review.items.length || f.review.reason)) {
      append(body, h("h2", { text: "上次审查意见" }));
      append(body, h("div", { className: "box" },
        f.review.items && f.review.items.length ? h("ol", null, f.review.items.map(function (i) { return h("li", { text: i }); })) : null,
        f.review.reason ? h("p", { text: "理由：" + f.review.reason }) : null));
    }

    var docs = h("div", null, h("p", { className: "muted", text: "正在加载材料…" }));
    append(body, h("h2", { text: "材料" }));
    append(body, docs);
    loadDocuments(f.id, docs);
    if (window.CourtCaseFile) { append(body, [h("h2", { text: "电子卷宗" }), window.CourtCaseFile.section(f.id)]); }

    // other panels (relief.js) add themselves here
    document.dispatchEvent(new CustomEvent("court:filing", { detail: {
      view: view, body: body, h: h, api: api, toast: toast, rerender: renderFiling, canDecide: canDecide() } }));

    if (f.status === "pending_review") {
      append(body, h("h2", { text: "审查决定" }));
      if (canDecide()) { append(body, decisionPanel(f.id)); }
      else { append(body, h("p", { className: "note", text: "您的角色只能查看，不能作出审查决定。" })); }
    }

    if (view.case && view.case.fee_notices && view.case.fee_notices.length) {
      append(body, h("h2", { text: "交费通知" }));
      append(body, h("ul", { className: "box" }, view.case.fee_notices.map(function (n) {
        return h("li", { text: money(n.amount) + "，" + n.status_label + "，截止 " + when(n.due_at) });
      })));
    }

    append(body, h("h2", { text: "操作记录" }));
    append(body, h("ol", { className: "timeline box" }, view.events.map(function (e) {
      return h("li", null, h("time", { datetime: e.at, text: when(e.at) }), h("span", { text: e.description || e.action }),
        h("span", { className: "muted", text: "　" + (e.actor_label || e.actor) }));
    })));

    var conversation = h("div", null, h("p", { className: "muted", text: "正在查找产生该申请的对话…" }));
    append(body, h("h2", { text: "产生该申请的对话" }));
    append(body, conversation);
    api("/api/v1/staff/transcripts?filing=" + encodeURIComponent(f.id)).then(function (found) {
      clear(conversation);
      if (!found.conversations.length) {
        append(conversation, h("p", { className: "muted", text: "没有找到对应的对话记录（可能是通过接口直接提交，或记录尚未同步）。" }));
        return;
      }
      var c = found.conversations[0];
      append(conversation, h("p", null, h("a", { href: "#/transcripts/" + encodeURIComponent(c.conversation_id), text: "在对话记录中打开" })));
      var turns = h("div");
      append(conversation, turns);
      loadTranscript(c.conversation_id, turns);
    }).catch(function (e) { failed(e, conversation); });
  }

  function decisionPanel(number) {
    var items = h("textarea", { id: "d-items", rows: 4 });
    var reason = h("textarea", { id: "d-reason", rows: 3 });
    var result = h("p", { role: "status", className: "muted" });
    function decide(body, button) {
      button.disabled = true;
      result.textContent = "正在提交…";
      api("/api/v1/staff/filings/" + encodeURIComponent(number) + "/review", { method: "POST", body: body })
        .then(function (view) {
          var f = view.filing;
          var text = f.status === "docketed" ? "已立案，案号：" + f.case_number + "。立案通知将送达当事人。"
            : f.status === "needs_correction" ? "已发出补正通知。" : "已作出不予立案决定。";
          toast(text);
          renderFiling(view);
        })
        .catch(function (e) { button.disabled = false; result.textContent = e.message; result.className = "error"; });
    }
    var accept = h("button", { type: "button", className: "primary", id: "d-accept", text: "立案" });
    accept.addEventListener("click", function () { decide({ decision: "accept" }, accept); });
    var correct = h("button", { type: "button", className: "secondary", id: "d-correct", text: "发出补正通知" });
    correct.addEventListener("click", function () {
      var list = items.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      if (!list.length) { result.textContent = "请逐行列明全部需要补正的事项（一次性告知）。"; result.className = "error"; items.focus(); return; }
      decide({ decision: "correct", items: list }, correct);
    });
    var reject = h("button", { type: "button", className: "danger", id: "d-reject", text: "不予立案" });
    reject.addEventListener("click", function () {
      if (!reason.value.trim()) { result.textContent = "不予立案须写明理由。"; result.className = "error"; reason.focus(); return; }
      decide({ decision: "reject", reason: reason.value.trim() }, reject);
    });
    return h("div", null,
      h("div", { className: "decide" },
        h("div", { className: "box" }, h("h3", { text: "立案" }), h("p", { text: "符合起诉条件的，登记立案，生成案号并发出交费通知。" }), accept),
        h("div", { className: "box" }, h("h3", { text: "要求补正" }),
          h("label", { "for": "d-items", text: "补正事项（每行一项，一次性告知）" }), items, h("div", { className: "actions" }, correct)),
        h("div", { className: "box" }, h("h3", { text: "不予立案" }),
          h("label", { "for": "d-reason", text: "理由（将写入裁定）" }), reason, h("div", { className: "actions" }, reject))
      ),
      result);
  }

  function loadDocuments(number, target) {
    api("/api/v1/filings/" + encodeURIComponent(number) + "/documents").then(function (body) {
      clear(target);
      if (!body.documents.length) { append(target, h("p", { className: "muted", text: "当事人尚未上传材料。" })); return; }
      append(target, h("ul", { className: "docs" }, body.documents.map(function (d) {
        var preview = h("div", { className: "preview" });
        var show = h("button", { type: "button", className: "secondary", text: "预览" });
        var save = h("button", { type: "button", className: "secondary", text: "下载" });
        var previewable = /^(application\/pdf|image\/(png|jpeg))$/.test(d.content_type);
        show.disabled = !previewable;
        show.addEventListener("click", function () { previewDocument(d, preview, show); });
        save.addEventListener("click", function () { downloadDocument(d); });
        return h("li", null,
          h("span", { className: "name", text: d.filename }),
          h("span", { className: "muted", text: d.kind_label + " · " + Math.max(1, Math.round(d.size / 1024)) + " KB · " + when(d.created_at) }),
          d.description ? h("span", { text: d.description }) : null,
          h("span", { className: "actions" }, show, save),
          previewable ? null : h("span", { className: "muted", text: "该格式不能在页面中预览，请下载查看。" }),
          preview);
      })));
    }).catch(function (e) { failed(e, target); });
  }

  function blobOf(d) {
    return api(d.download_url, { raw: true }).then(function (resp) { return resp.blob(); });
  }

  function previewDocument(d, target, button) {
    if (target.firstChild) { clear(target); button.textContent = "预览"; return; }
    button.disabled = true;
    blobOf(d).then(function (blob) {
      var url = URL.createObjectURL(new Blob([blob], { type: d.content_type }));
      clear(target);
      if (d.content_type === "application/pdf") {
        append(target, h("iframe", { src: url, title: "材料预览：" + d.filename }));
      } else {
        append(target, h("img", { src: url, alt: "材料预览：" + d.filename }));
      }
      button.textContent = "收起预览";
    }).catch(function (e) { failed(e, target); }).then(function () { button.disabled = false; });
  }

  function downloadDocument(d) {
    blobOf(d).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = h("a", { href: url, download: d.filename });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    }).catch(function (e) { failed(e); });
  }

  // --- transcripts ----------------------------------------------------------------------------

  function searchTranscripts() {
    var q = new URLSearchParams();
    if ($("t-filing").value.trim()) { q.set("filing", $("t-filing").value.trim()); }
    if ($("t-phone").value.trim()) { q.set("phone", $("t-phone").value.trim()); }
    if ($("t-date").value) { q.set("date_from", $("t-date").value); q.set("date_to", $("t-date").value); }
    var tbody = $("transcripts-table").querySelector("tbody");
    $("transcripts-summary").textContent = "正在查找…";
    api("/api/v1/staff/transcripts?" + q.toString()).then(function (body) {
      clear(tbody);
      $("transcripts-summary").textContent = body.total ? "共 " + body.total + " 段对话（最近的在前）" : "没有找到符合条件的对话。";
      body.conversations.forEach(function (c) {
        tbody.appendChild(h("tr", null,
          h("td", { className: "nowrap" }, h("a", { href: "#/transcripts/" + encodeURIComponent(c.conversation_id), text: when(c.last_at) })),
          h("td", { text: CHANNELS[c.channel] || c.channel || "—" }),
          h("td", { className: "num", text: c.turn_count }),
          h("td", { text: c.filing_numbers.join("、") || "—" }),
          h("td", { text: c.phones_masked.join("、") || "—" }),
          h("td", { text: c.preview || "" })));
      });
    }).catch(function (e) { $("transcripts-summary").textContent = e.message; });
  }
  $("transcripts-filter").addEventListener("submit", function (event) { event.preventDefault(); searchTranscripts(); });

  function slotValue(value) {
    if (value === null || value === undefined) { return "（清空）"; }
    if (value === true) { return "是"; }
    if (value === false) { return "否"; }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function loadTranscript(id, target) {
    clear(target);
    append(target, h("p", { className: "muted", text: "正在加载对话…" }));
    api("/api/v1/staff/transcripts/" + encodeURIComponent(id)).then(function (view) {
      clear(target);
      var c = view.conversation;
      append(target, h("p", { className: "muted", text: "对话编号 " + c.conversation_id + "　渠道：" + (CHANNELS[c.channel] || c.channel || "—") +
        "　开始：" + when(c.started_at) + "　共 " + c.turn_count + " 轮" }));
      if (view.masked) { append(target, h("p", { className: "note", text: "按您的权限，证件号码和手机号码已部分隐去。" })); }
      append(target, h("div", { className: "table-wrap" }, h("table", { className: "grid transcript" },
        h("caption", { className: "visually-hidden", text: "对话轮次" }),
        h("thead", null, h("tr", null, ["时间", "当事人", "助手", "意图（置信度）", "设置的信息"].map(function (t) {
          return h("th", { scope: "col", text: t });
        }))),
        h("tbody", null, view.turns.map(function (t) {
          var intent = t.intent ? (t.intent + (INTENTS[t.intent] ? "（" + INTENTS[t.intent] + "）" : "") +
            (typeof t.confidence === "number" ? " " + t.confidence.toFixed(2) : "")) : "";
          var slots = Object.keys(t.slots || {}).map(function (k) {
            return h("li", { text: (SLOTS[k] || k) + "：" + slotValue(t.slots[k]) });
          });
          return h("tr", { className: t.kind === "notice" ? "notice" : null },
            h("td", { className: "nowrap", text: when(t.at) }),
            h("td", { className: "turn-user" }, t.user_text !== null ? t.user_text : h("span", { className: "muted", text: TURN_KINDS[t.kind] || "" })),
            h("td", { className: "turn-bot" }, t.bot.map(function (m) {
              return [m.text ? h("p", { text: m.text }) : null,
                m.buttons && m.buttons.length ? h("p", { className: "buttons", text: "按钮：" + m.buttons.map(function (b) { return b.title; }).join(" / ") }) : null,
                m.custom !== undefined ? h("p", { className: "buttons", text: "附加数据：" + JSON.stringify(m.custom) }) : null];
            })),
            h("td", { className: "nowrap", text: intent }),
            h("td", null, slots.length ? h("ul", { className: "slots" }, slots) : null));
        }))
      )));
    }).catch(function (e) { failed(e, target); });
  }

  // --- handoff tickets --------------------------------------------------------------------------

  function loadTickets() {
    var q = new URLSearchParams();
    if ($("k-status").value) { q.set("status", $("k-status").value); }
    var list = $("tickets-list");
    $("tickets-summary").textContent = "正在加载…";
    api("/api/v1/staff/tickets?" + q.toString()).then(function (body) {
      clear(list);
      $("tickets-summary").textContent = body.total ? "共 " + body.total + " 条（先到先答）" : "暂无人工服务请求。";
      body.tickets.forEach(function (t) { list.appendChild(ticketCard(t)); });
    }).catch(function (e) { $("tickets-summary").textContent = e.message; });
  }
  $("tickets-filter").addEventListener("submit", function (event) { event.preventDefault(); loadTickets(); });

  function ticketCard(t) {
    var li = h("li", { id: "ticket-" + t.id });
    append(li, h("h3", null, badge(t.status, t.status_label), " ",
      t.litigant ? t.litigant.name + "（" + t.litigant.phone_masked + "）" : "当事人", "　",
      h("span", { className: "muted", text: when(t.created_at) + " · " + (CHANNELS[t.channel] || t.channel || "—") })));
    append(li, h("p", { className: "q", text: t.question }));
    append(li, h("p", null, h("a", { href: "#/transcripts/" + encodeURIComponent(t.conversation_id), text: "查看该对话" })));
    if (t.status === "answered") {
      append(li, h("p", { className: "q", text: "答复：" + t.answer }));
      append(li, h("p", { className: "muted" },
        (t.answered_by ? t.answered_by.name + " " : "") + when(t.answered_at) + "　",
        t.delivery ? badge(t.delivery.status, t.delivery.status_label) : null,
        t.delivery && t.delivery.error ? "　" + t.delivery.error : null));
    } else if (t.status === "open" && canDecide()) {
      var id = "answer-" + t.id;
      var text = h("textarea", { id: id, rows: 3, maxlength: 2000 });
      var send = h("button", { type: "button", className: "primary", text: "发送答复" });
      var result = h("p", { role: "status", className: "muted" });
      send.addEventListener("click", function () {
        if (!text.value.trim()) { result.textContent = "请填写答复内容。"; text.focus(); return; }
        send.disabled = true;
        api("/api/v1/staff/tickets/" + encodeURIComponent(t.id) + "/answer", { method: "POST", body: { answer: text.value.trim() } })
          .then(function (answered) {
            toast(answered.delivery && answered.delivery.status === "sent" ? "答复已送达当事人。" : "答复已保存，正在送达当事人。");
            li.replaceWith(ticketCard(answered));
          })
          .catch(function (e) { send.disabled = false; result.textContent = e.message; });
      });
      append(li, [h("label", { "for": id, text: "答复内容（将通过当事人咨询时使用的渠道送达）" }), text,
        h("div", { className: "actions" }, send), result]);
    }
    return li;
  }

  window.addEventListener("hashchange", route);
  route();
})();
