/* Staff console: the electronic case file (电子卷宗) of one filing — its catalogue (卷宗目录) and the
 * full file as one PDF (GET /api/v1/staff/filings/{number}/case-file[.pdf]; the download is recorded
 * in the staff audit). console.js asks for the section with window.CourtCaseFile.section(number).
 * Every value from the server is put on the page as text. */
(function () {
  "use strict";

  var KEY_TOKEN = "court.staff.token";

  function token() { try { return sessionStorage.getItem(KEY_TOKEN); } catch (e) { return null; } }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") { node.textContent = props[key]; } else { node.setAttribute(key, props[key]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function get(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + token() } }).then(function (resp) {
      if (resp.ok) { return resp; }
      return resp.json().catch(function () { return null; }).then(function (body) {
        throw new Error((body && body.message) || "电子卷宗暂时无法读取，请稍后再试。");
      });
    }, function () { throw new Error("网络异常，请检查网络后重试。"); });
  }

  function pages(item) {
    if (!item.page_from) { return "—"; }
    return item.page_from === item.page_to ? String(item.page_from) : item.page_from + "-" + item.page_to;
  }

  function table(file) {
    var head = el("tr", null, ["序号", "题名", "日期", "来源", "页码", "范围"].map(function (t) {
      return el("th", { scope: "col", text: t });
    }));
    var rows = file.items.map(function (item) {
      return el("tr", null, [
        el("td", { text: String(item.no) }), el("td", { text: item.title }), el("td", { class: "nowrap", text: item.date }),
        el("td", { text: item.source }), el("td", { class: "nowrap", text: pages(item) }),
        el("td", { text: item.staff_only ? "仅法院内部" : "当事人可阅" })
      ]);
    });
    return el("div", { class: "table-wrap" }, [el("table", { class: "grid", id: "case-file-table" }, [
      el("caption", { class: "visually-hidden", text: "卷宗目录" }), el("thead", null, [head]), el("tbody", null, rows)
    ])]);
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function section(number) {
    var base = "/api/v1/staff/filings/" + encodeURIComponent(number) + "/case-file";
    var out = el("div", { class: "box", id: "case-file" });
    var status = el("p", { class: "muted", role: "status" });
    var show = el("button", { type: "button", text: "查看卷宗目录" });
    var download = el("button", { type: "button", class: "primary", text: "下载完整电子卷宗（PDF）" });
    var list = el("div");
    show.addEventListener("click", function () {
      if (list.firstChild) { list.textContent = ""; show.textContent = "查看卷宗目录"; return; }
      show.disabled = true;
      status.textContent = "正在生成卷宗目录…";
      get(base).then(function (resp) { return resp.json(); }).then(function (file) {
        status.textContent = "共 " + file.items.length + " 件，" + file.total_pages + " 页（含目录）。";
        list.appendChild(table(file));
        show.textContent = "收起卷宗目录";
      }).catch(function (e) { status.textContent = e.message; }).then(function () { show.disabled = false; });
    });
    download.addEventListener("click", function () {
      download.disabled = true;
      status.textContent = "正在生成电子卷宗…";
      get(base + ".pdf").then(function (resp) { return resp.blob(); }).then(function (blob) {
        save(blob, "电子卷宗-" + number + ".pdf");
        status.textContent = "已下载（本次下载已记入访问审计）。";
      }).catch(function (e) { status.textContent = e.message; }).then(function () { download.disabled = false; });
    });
    out.appendChild(el("div", { class: "actions" }, [show, download]));
    out.appendChild(status);
    out.appendChild(list);
    return out;
  }

  window.CourtCaseFile = { section: section };
})();
