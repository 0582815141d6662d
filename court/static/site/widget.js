/* The litigant's chat widget: Rasa over socket.io (session_persistence), history kept in
 * localStorage, evidence upload to the court backend. No framework, no inline code (CSP).
 *
 * Safety: everything a person or the bot wrote is put on the page as text (textContent and text
 * nodes); the only elements made from bot text are <a> links to http(s) addresses.
 *
 * Custom payload the widget understands (sent by the action server with
 * dispatcher.utter_message(json_message={"data": {"litigant_token": ..., "filing_id": ...}})):
 *   {"litigant_token": "<bearer token>", "filing_id": "LA…"}  → enables evidence upload.
 * It is never shown; the token is kept in sessionStorage (this tab only).
 *
 * Court notices (电子送达: 立案、补正、交费通知、缴费确认、工作人员答复) arrive over socket.io while
 * the page is open. Rasa replays nothing to a page that was closed when one was pushed, so on
 * load and on every (re)connection the widget asks the court backend for the conversation's
 * notices (POST /api/v1/conversations/notices) and shows each one it has not shown yet, marked
 * 未读 and announced once in a polite live region. Which deliveries were shown is remembered per
 * session (court.chat.notices); one already shown live is recognised by its text (socket.io
 * splits a message at blank lines: its first part).
 */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="rasa-url"]');
  var RASA_URL = (meta && meta.content) || "http://127.0.0.1:5005";
  var KEY_SESSION = "court.chat.session";
  var KEY_HISTORY = "court.chat.history";
  var KEY_UPLOAD = "court.chat.upload";
  var KEY_COLLAPSED = "court.chat.collapsed";
  var KEY_NOTICES = "court.chat.notices";
  var NOTICES_URL = "/api/v1/conversations/notices";
  var SESSION_RE = /^[0-9a-f]{32}$/;  // Rasa's socket.io session id; the backend answers only these
  var NOTICE_SYNC_DELAY_MS = 1500;
  var REPLAY_RACE_MS = 60000;
  var MAX_HISTORY = 300;
  var MAX_UPLOAD = 20 * 1024 * 1024;
  var INIT_PAYLOAD = "/greet";
  var TYPING_TIMEOUT_MS = 20000;
  var URL_RE = /https?:\/\/[^\s<>"'\u3000-\u303f\uff08\uff09\uff0c\uff1b]+/g;

  function $(id) { return document.getElementById(id); }
  var el = {
    chat: $("chat"), log: $("chat-log"), form: $("chat-form"), input: $("chat-input"), send: $("chat-send"),
    status: $("chat-status"), alert: $("chat-alert"), typing: $("chat-typing"), toggle: $("chat-toggle"),
    body: $("chat-body"), fresh: $("chat-new"), upload: $("upload"), uploadFor: $("upload-for"),
    uploadFile: $("upload-file"), uploadDesc: $("upload-desc"), uploadSend: $("upload-send"),
    uploadStatus: $("upload-status"), uploadToggle: $("upload-toggle"), uploadName: $("upload-name")
  };

  el.announce = document.createElement("p");
  el.announce.id = "chat-announce";
  el.announce.className = "visually-hidden";
  el.announce.setAttribute("role", "status");
  el.announce.setAttribute("aria-live", "polite");
  el.announce.setAttribute("aria-atomic", "true");
  el.body.insertBefore(el.announce, el.log);

  var store = {
    get: function (area, key) { try { return window[area].getItem(key); } catch (e) { return null; } },
    set: function (area, key, value) { try { window[area].setItem(key, value); } catch (e) { /* private mode */ } },
    remove: function (area, key) { try { window[area].removeItem(key); } catch (e) { /* ignore */ } }
  };

  var sessionId = store.get("localStorage", KEY_SESSION);
  var history = loadHistory();
  var socket = null;
  var confirmed = false;
  var everConnected = false;
  var dropped = false;
  var pending = [];
  var typingTimer = null;
  var noticesSeen = loadSeen();
  var syncing = false;
  var syncAgain = false;
  var syncTimer = null;

  // --- history ---------------------------------------------------------------------------

  function loadHistory() {
    try {
      var saved = JSON.parse(store.get("localStorage", KEY_HISTORY) || "null");
      if (saved && saved.session_id && saved.session_id === sessionId && Array.isArray(saved.items)) {
        return saved.items;
      }
    } catch (e) { /* unreadable: start afresh */ }
    return [];
  }

  function saveHistory() {
    if (!sessionId) { return; }
    store.set("localStorage", KEY_HISTORY, JSON.stringify({ session_id: sessionId, items: history.slice(-MAX_HISTORY) }));
  }

  function loadSeen() {
    try {
      var saved = JSON.parse(store.get("localStorage", KEY_NOTICES) || "null");
      if (saved && saved.session_id && saved.session_id === sessionId && Array.isArray(saved.seen)) { return saved.seen; }
    } catch (e) { /* unreadable: the texts in the history still prevent doubles */ }
    return [];
  }

  function saveSeen() {
    if (!sessionId) { return; }
    store.set("localStorage", KEY_NOTICES, JSON.stringify({ session_id: sessionId, seen: noticesSeen.slice(-500) }));
  }

  // --- rendering -------------------------------------------------------------------------

  var WHO = { user: "您", bot: "助手", notice: "法院通知", system: "" };

  function appendLinkified(parent, text) {
    var last = 0;
    text.replace(URL_RE, function (url, index) {
      if (index > last) { parent.appendChild(document.createTextNode(text.slice(last, index))); }
      var a = document.createElement("a");
      a.href = url;
      a.textContent = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      parent.appendChild(a);
      last = index + url.length;
      return url;
    });
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function render(item, index) {
    var li = document.createElement("li");
    li.className = "msg " + item.from;
    if (WHO[item.from]) {
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = WHO[item.from];
      if (item.sent_at) { who.appendChild(document.createTextNode(" · 送达于" + shortTime(item.sent_at))); }
      if (item.unread) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "未读";
        who.appendChild(badge);
        li.classList.add("unread");
      }
      li.appendChild(who);
    }
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    if (item.from === "bot" || item.from === "notice") {
      appendLinkified(bubble, item.text || "");
    } else {
      bubble.textContent = item.text || "";
    }
    li.appendChild(bubble);
    if (item.buttons && item.buttons.length) {
      var group = document.createElement("div");
      group.className = "quick";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "可选回答");
      item.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = button.title;
        b.disabled = !!item.used;
        b.addEventListener("click", function () { chooseButton(index, button); });
        group.appendChild(b);
      });
      li.appendChild(group);
    }
    el.log.appendChild(li);
    el.log.scrollTop = el.log.scrollHeight;
  }

  function add(item) {
    if (item.from === "notice" && !item.delivery && claimReplayed(item.text)) { return; }  // shown already
    item.at = Date.now();
    history.push(item);
    saveHistory();
    render(item, history.length - 1);
    if (item.from === "notice" && !item.delivery) { scheduleSync(); }  // learn its delivery id
  }

  function system(text) { add({ from: "system", text: text }); }

  function retireButtons() {
    var changed = false;
    history.forEach(function (item) {
      if (item.buttons && item.buttons.length && !item.used) { item.used = true; changed = true; }
    });
    if (changed) { saveHistory(); }
    Array.prototype.forEach.call(el.log.querySelectorAll(".quick button"), function (b) { b.disabled = true; });
  }

  function restore() {
    el.log.setAttribute("aria-busy", "true");
    history.forEach(function (item, i) { render(item, i); });
    el.log.setAttribute("aria-busy", "false");
  }

  // --- status, alert, typing --------------------------------------------------------------

  function setStatus(text, ok) {
    el.status.textContent = text;
    el.status.className = "chat-status " + (ok ? "ok" : "bad");
  }

  function showAlert(text) { el.alert.textContent = text; el.alert.hidden = false; }
  function hideAlert() { el.alert.hidden = true; el.alert.textContent = ""; }

  function showTyping() {
    el.typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }
  function hideTyping() { clearTimeout(typingTimer); el.typing.hidden = true; }

  // --- sending ------------------------------------------------------------------------------

  function emit(message) {
    socket.emit("user_uttered", { message: message, session_id: sessionId });
    showTyping();
  }

  function send(message, shown) {
    retireButtons();
    markRead();
    if (shown !== null) { add({ from: "user", text: shown === undefined ? message : shown }); }
    if (socket && socket.connected && confirmed) {
      emit(message);
    } else {
      pending.push(message);
      system("网络连接恢复后，您的消息将自动发出。");
    }
  }

  function chooseButton(index, button) {
    var item = history[index];
    if (!item || item.used) { return; }
    send(button.payload, button.title);
    el.input.focus();
  }

  // --- evidence upload ------------------------------------------------------------------------

  function uploadState() {
    try { return JSON.parse(store.get("sessionStorage", KEY_UPLOAD) || "null"); } catch (e) { return null; }
  }

  function showUpload(state, announce) {
    el.uploadFor.textContent = "立案申请号：" + state.filing_id;
    el.uploadToggle.hidden = false;
    if (announce) {
      el.upload.hidden = false;
      el.uploadToggle.setAttribute("aria-expanded", "true");
      system("您现在可以为立案申请" + state.filing_id + "上传证据材料（在输入框上方）。");
    }
  }

  function onCredentials(data) {
    var state = { litigant_token: data.litigant_token, filing_id: data.filing_id };
    var before = uploadState();
    store.set("sessionStorage", KEY_UPLOAD, JSON.stringify(state));
    showUpload(state, !before || before.filing_id !== state.filing_id);
  }

  function uploadMessage(status, body) {
    if (status === 401) { return "您的认证已过期，请在对话中重新完成实名认证后再上传。"; }
    if (body && typeof body.message === "string" && body.message) { return body.message; }
    if (status === 413) { return "文件过大，单个文件请不要超过20MB。"; }
    return "上传未成功，请稍后再试。";
  }

  function setUploadStatus(text, kind) {
    el.uploadStatus.textContent = text;
    el.uploadStatus.className = "upload-status " + (kind || "");
  }

  function upload() {
    var state = uploadState();
    var file = el.uploadFile.files && el.uploadFile.files[0];
    if (!state) { setUploadStatus("请先在对话中提交立案申请。", "error"); return; }
    if (!file) { setUploadStatus("请先选择要上传的文件。", "error"); el.uploadFile.focus(); return; }
    if (file.size > MAX_UPLOAD) { setUploadStatus("文件过大，单个文件请不要超过20MB。", "error"); return; }
    var form = new FormData();
    form.append("kind", "evidence");
    if (el.uploadDesc.value.trim()) { form.append("description", el.uploadDesc.value.trim()); }
    form.append("file", file, file.name);
    el.uploadSend.disabled = true;
    setUploadStatus("正在上传，请稍候…", "");
    fetch("/api/v1/filings/" + encodeURIComponent(state.filing_id) + "/documents", {
      method: "POST", headers: { Authorization: "Bearer " + state.litigant_token }, body: form
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (body) {
        if (resp.status === 201 && body) {
          setUploadStatus("已上传：" + body.filename, "ok");
          system("已上传材料“" + body.filename + "”（" + Math.max(1, Math.round(body.size / 1024)) + " KB），法院审查时可以查看。");
          el.uploadFile.value = "";
          el.uploadName.textContent = "尚未选择文件";
          el.uploadDesc.value = "";
        } else {
          setUploadStatus(uploadMessage(resp.status, body), "error");
        }
      });
    }).catch(function () {
      setUploadStatus("网络异常，上传未成功，请稍后再试。", "error");
    }).then(function () { el.uploadSend.disabled = false; });
  }

  // --- receiving ----------------------------------------------------------------------------

  function buttonsOf(data) {
    var raw = Array.isArray(data.quick_replies) ? data.quick_replies : (Array.isArray(data.buttons) ? data.buttons : []);
    return raw.filter(function (b) { return b && b.title !== undefined && b.payload !== undefined; })
      .map(function (b) { return { title: String(b.title), payload: String(b.payload) }; });
  }

  function onBot(data) {
    if (!data || typeof data !== "object") { return; }
    if (typeof data.litigant_token === "string" && typeof data.filing_id === "string") {
      onCredentials(data);
      return;
    }
    var text = typeof data.text === "string" ? data.text : "";
    var attachment = data.attachment && data.attachment.payload && data.attachment.payload.src;
    if (typeof attachment === "string" && /^https?:\/\//.test(attachment)) {
      text = (text ? text + "\n" : "") + attachment;
    }
    var buttons = buttonsOf(data);
    if (!text && !buttons.length) { return; }
    hideTyping();
    add({ from: /^【[^】]{2,10}】/.test(text) ? "notice" : "bot", text: text, buttons: buttons });
  }

  // --- court notices missed while the page was closed -----------------------------------------

  function firstPart(text) { return String(text || "").trim().split("\n\n")[0]; }

  // Beijing time, as the court writes it: 3月1日 10:05.
  function shortTime(iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
    if (isNaN(d.getTime())) { return ""; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日 " + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  }

  // A notice pushed live just after the same one was fetched (the two crossed on the network):
  // the fetched one stands for it.
  function claimReplayed(text) {
    var since = Date.now() - REPLAY_RACE_MS;
    for (var i = history.length - 1; i >= 0; i--) {
      var item = history[i];
      if (item.from === "notice" && item.replayed && !item.live && item.at >= since && firstPart(item.text) === text) {
        item.live = true;
        saveHistory();
        return true;
      }
    }
    return false;
  }

  // A notice the page showed live, not yet tied to its delivery: the oldest with this text.
  function shownLive(text) {
    var head = firstPart(text);
    for (var i = 0; i < history.length; i++) {
      var item = history[i];
      if (item.from === "notice" && !item.delivery && item.text === head) { return item; }
    }
    return null;
  }

  function unreadCount() {
    return history.filter(function (item) { return item.unread; }).length;
  }

  function showToggle() {
    var collapsed = el.chat.classList.contains("collapsed");
    var unread = unreadCount();
    el.toggle.textContent = collapsed ? "在线咨询" + (unread ? "（" + unread + "条未读通知）" : "") : "收起";
  }

  function markRead() {
    var changed = false;
    history.forEach(function (item) { if (item.unread) { delete item.unread; changed = true; } });
    if (!changed) { return; }
    saveHistory();
    Array.prototype.forEach.call(el.log.querySelectorAll("li.unread"), function (li) {
      li.classList.remove("unread");
      var badge = li.querySelector(".badge");
      if (badge) { badge.parentNode.removeChild(badge); }
    });
    showToggle();
  }

  function mergeNotices(notices) {
    var missed = [];
    notices.forEach(function (n) {
      if (!n || typeof n.id !== "number" || typeof n.text !== "string" || noticesSeen.indexOf(n.id) >= 0) { return; }
      noticesSeen.push(n.id);
      var live = shownLive(n.text);
      if (live) { live.delivery = n.id; } else { missed.push(n); }
    });
    saveSeen();
    if (!missed.length) { saveHistory(); return; }
    el.log.setAttribute("aria-busy", "true");  // one summary below, not every bubble read out
    missed.forEach(function (n) {
      var item = { from: "notice", text: n.text, delivery: n.id, replayed: true, unread: true,
                   sent_at: typeof n.sent_at === "string" ? n.sent_at : null, at: Date.now() };
      history.push(item);
      render(item, history.length - 1);
    });
    saveHistory();
    el.log.setAttribute("aria-busy", "false");
    var heads = missed.map(function (n) { var m = /^【[^】]+】/.exec(n.text); return m ? m[0] : ""; }).join("");
    el.announce.textContent = "您有" + missed.length + "条未读的法院通知" + (heads ? "：" + heads : "") + "，已显示在对话记录末尾。";
    showToggle();
  }

  function syncNotices() {
    clearTimeout(syncTimer);
    if (!sessionId || !SESSION_RE.test(sessionId) || typeof window.fetch !== "function") { return; }
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    var asked = sessionId;
    fetch(NOTICES_URL, {
      method: "POST", headers: { "Content-Type": "application/json" }, cache: "no-store",
      body: JSON.stringify({ session_id: asked })
    }).then(function (resp) {
      return resp.ok ? resp.json() : null;
    }).then(function (body) {
      if (asked === sessionId && body && Array.isArray(body.notices)) { mergeNotices(body.notices); }
    }).catch(function () { /* offline: the next connection asks again */ }).then(function () {
      syncing = false;
      if (syncAgain) { syncAgain = false; syncNotices(); }
    });
  }

  function scheduleSync() {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(syncNotices, NOTICE_SYNC_DELAY_MS);
  }

  // --- connection -----------------------------------------------------------------------------

  function onConfirm(payload) {
    var id = typeof payload === "string" ? payload : (payload && payload.session_id);
    if (!id) { return; }
    if (sessionId && id !== sessionId) { history = []; noticesSeen = []; el.log.textContent = ""; }
    var fresh = !sessionId || !history.length;
    sessionId = id;
    store.set("localStorage", KEY_SESSION, id);
    saveHistory();
    confirmed = true;
    setStatus("已连接，请问有什么可以帮您？", true);
    hideAlert();
    if (dropped) { system("连接已恢复，您可以继续对话。"); dropped = false; }
    var queued = pending;
    pending = [];
    queued.forEach(emit);
    if (fresh && !queued.length && !everConnected) { emit(INIT_PAYLOAD); }
    everConnected = true;
    syncNotices();  // whatever the court served while this page was closed or offline
  }

  function onDrop(text) {
    confirmed = false;
    hideTyping();
    if (everConnected) { dropped = true; }
    setStatus("连接中断，正在重新连接…", false);
    showAlert(text);
  }

  function connect() {
    if (typeof window.io !== "function") {
      setStatus("无法加载", false);
      showAlert("在线助手未能加载，请刷新页面重试；如仍无法使用，请拨打诉讼服务热线12368。");
      return;
    }
    // websocket only: no CORS preflight, and no sticky sessions needed behind several Rasa replicas.
    socket = window.io(RASA_URL, {
      path: "/socket.io", transports: ["websocket"], reconnection: true,
      reconnectionDelay: 1000, reconnectionDelayMax: 8000, timeout: 10000
    });
    socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
    socket.on("session_confirm", onConfirm);
    socket.on("bot_uttered", onBot);
    socket.on("disconnect", function () {
      onDrop("网络连接已中断，正在为您自动重新连接。对话记录不会丢失，恢复后可以继续。");
    });
    socket.on("connect_error", function () {
      onDrop(everConnected ? "网络连接已中断，正在为您自动重新连接。对话记录不会丢失，恢复后可以继续。"
                           : "暂时无法连接在线助手，正在重试。您也可以拨打诉讼服务热线12368。");
    });
    socket.io.on("reconnect_attempt", function (n) { setStatus("连接中断，正在第" + n + "次重新连接…", false); });
  }

  // --- layout: phones and the keyboard ------------------------------------------------------------

  function fitViewport() {
    var vv = window.visualViewport;
    var height = vv ? vv.height : window.innerHeight;
    document.documentElement.style.setProperty("--vvh", Math.round(height) + "px");
    if (!el.chat.classList.contains("collapsed")) { el.log.scrollTop = el.log.scrollHeight; }
  }

  function setCollapsed(collapsed) {
    el.chat.classList.toggle("collapsed", collapsed);
    el.body.hidden = collapsed;
    el.toggle.setAttribute("aria-expanded", String(!collapsed));
    showToggle();
    store.set("localStorage", KEY_COLLAPSED, collapsed ? "1" : "0");
  }

  function autoGrow() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight, 128) + "px";
  }

  // --- wiring -------------------------------------------------------------------------------------

  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = el.input.value.trim();
    if (!text) { el.input.focus(); return; }
    el.input.value = "";
    autoGrow();
    send(text);
    el.input.focus();
  });
  el.input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; never while an input method is composing (拼音).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      el.form.requestSubmit ? el.form.requestSubmit() : el.send.click();
    }
  });
  el.input.addEventListener("input", autoGrow);
  el.input.addEventListener("focus", function () { setTimeout(fitViewport, 300); });
  el.toggle.addEventListener("click", function () {
    var collapsed = !el.chat.classList.contains("collapsed");
    setCollapsed(collapsed);
    if (!collapsed) { el.input.focus(); }
  });
  el.fresh.addEventListener("click", function () {
    store.remove("localStorage", KEY_SESSION);
    store.remove("localStorage", KEY_HISTORY);
    store.remove("localStorage", KEY_NOTICES);
    store.remove("sessionStorage", KEY_UPLOAD);
    if (socket) { socket.disconnect(); }
    window.location.reload();
  });
  el.uploadSend.addEventListener("click", upload);
  el.uploadFile.addEventListener("change", function () {
    var file = el.uploadFile.files && el.uploadFile.files[0];
    el.uploadName.textContent = file ? "已选择：" + file.name : "尚未选择文件";
    setUploadStatus("", "");
  });
  el.uploadToggle.addEventListener("click", function () {
    var open = el.upload.hidden;
    el.upload.hidden = !open;
    el.uploadToggle.setAttribute("aria-expanded", String(open));
    if (open) { el.uploadFile.focus(); }
  });
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitViewport);
    window.visualViewport.addEventListener("scroll", fitViewport);
  }
  window.addEventListener("resize", fitViewport);

  fitViewport();
  restore();
  var saved = uploadState();
  if (saved) { showUpload(saved, false); }
  setCollapsed(store.get("localStorage", KEY_COLLAPSED) === "1");
  setStatus("正在连接…", false);
  syncNotices();
  connect();
})();
