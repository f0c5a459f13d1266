/* CollectWatch progressive enhancement. Every page works without this file. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function initSuggest(root) {
    root.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list) return;
      var update = debounce(function () {
        var q = input.value.trim();
        if (!q) return;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = "";
            items.forEach(function (item) {
              var opt = document.createElement("option");
              opt.value = item.name;
              if (item.display !== item.name) opt.label = item.display;
              list.appendChild(opt);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
      input.addEventListener("input", update);
    });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  /* A live count of a text box's characters, saying at once when a paste went over the limit.
     Nothing is cut: the box has no maxlength, and the server refuses an over-long text, keeping it. */
  function initCounters(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var max = parseInt(area.dataset.counter, 10);
      var out = area.dataset.counterId && root.querySelector("#" + area.dataset.counterId);
      if (!out) {
        out = document.createElement("p");
        out.className = "hint";
        out.setAttribute("aria-live", "polite");
        area.insertAdjacentElement("afterend", out);
      }
      if (out.id) {
        var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (described.indexOf(out.id) < 0) area.setAttribute("aria-describedby", described.concat(out.id).join(" "));
      }
      var normal = out.dataset.counterText || "{count} / {max}";
      var over = out.dataset.counterOver || normal;
      function render() {
        // Characters as the server counts them: code points, a line break as one.
        var count = Array.from(area.value).length;
        var values = { count: count, max: max, over: count - max };
        out.textContent = fill(count > max ? over : normal, values);
        out.classList.toggle("field-error", count > max);
      }
      area.addEventListener("input", render);
      render();
    });
  }

  /* The main violation, chosen among the ticked ones only: the choice lists the ticked codes, and is
     hidden while fewer than two are ticked (one ticked is the main one). Without this the server narrows it. */
  function initMainViolation(root) {
    root.querySelectorAll("select[data-main-of]").forEach(function (select) {
      var form = select.form;
      var field = select.closest(".field") || select;
      var placeholder = select.options.length && select.options[0].value === "" ? select.options[0] : null;
      var boxes = Array.from(form.querySelectorAll('input[type=checkbox][name="' + select.dataset.mainOf + '"]'));
      function update() {
        var chosen = select.value;
        var ticked = boxes.filter(function (box) { return box.checked; });
        var shown = Array.from(select.options).map(function (o) { return o.value; }).join(" ");
        var wanted = (placeholder ? [""] : []).concat(ticked.map(function (box) { return box.value; })).join(" ");
        if (shown !== wanted) {
          select.textContent = "";
          if (placeholder) select.appendChild(placeholder);
          ticked.forEach(function (box) {
            select.appendChild(new Option(box.dataset.mainLabel || box.value, box.value));
          });
        }
        var values = ticked.map(function (box) { return box.value; });
        // The one ticked code is the main one only until a second is ticked: then the visitor chooses.
        if (ticked.length === 1) select.value = values[0];
        else select.value = !automatic && values.indexOf(chosen) >= 0 ? chosen : "";
        automatic = ticked.length === 1;
        field.hidden = ticked.length < 2;
      }
      var automatic = false;
      select.addEventListener("change", function () { automatic = false; });
      boxes.forEach(function (box) { box.addEventListener("change", update); });
      form.addEventListener("draft-restored", update);
      update();
    });
  }

  /* What was typed survives a change of language: the answers go to this tab's sessionStorage just
     before the switch and come back once on the next page; nothing else keeps them, and leaving the
     form any other way with typed text asks first. Files cannot be kept by any page. */
  var DRAFT_KEY = "collectwatch-form-draft";

  function draftFields(form) {
    return Array.from(form.elements).filter(function (el) {
      return el.name && el.name !== "csrf_token" && !el.closest(".honeypot") &&
        ["file", "hidden", "submit", "button", "reset", "password"].indexOf(el.type) < 0;
    });
  }

  function hasTypedText(form) {
    return draftFields(form).some(function (el) {
      if (el.type === "checkbox") return el.checked;
      if (el.type === "radio" || el.tagName === "SELECT") return false;
      return el.value.trim() !== "";
    });
  }

  function takeDraft() {
    try {
      var raw = window.sessionStorage.getItem(DRAFT_KEY);
      window.sessionStorage.removeItem(DRAFT_KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (e) { return null; }
  }

  function saveDraft(form) {
    var fields = draftFields(form).map(function (el) {
      var checkable = el.type === "checkbox" || el.type === "radio";
      return { name: el.name, value: el.value, checked: checkable ? el.checked : null };
    });
    try {
      window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ path: window.location.pathname, fields: fields }));
      return true;
    } catch (e) { return false; }
  }

  function restoreDraft(form, draft) {
    var byName = {};
    draftFields(form).forEach(function (el) { (byName[el.name] = byName[el.name] || []).push(el); });
    draft.fields.forEach(function (saved) {
      (byName[saved.name] || []).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === saved.value) el.checked = !!saved.checked;
        } else if (el.tagName !== "SELECT") {
          el.value = saved.value;
        }
      });
    });
    form.dispatchEvent(new Event("draft-restored"));
    // Selects last: their options may follow the restored checkboxes.
    draft.fields.forEach(function (saved) {
      (byName[saved.name] || []).forEach(function (el) { if (el.tagName === "SELECT") el.value = saved.value; });
    });
  }

  function initDrafts(root, draft) {
    root.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
      var leaving = false;
      if (draft && draft.path === window.location.pathname && Array.isArray(draft.fields)) restoreDraft(form, draft);
      document.querySelectorAll(".lang-switch a").forEach(function (link) {
        link.addEventListener("click", function () {
          if (form.isConnected && hasTypedText(form) && saveDraft(form)) leaving = true;
        });
      });
      form.addEventListener("submit", function () { leaving = true; });
      form.addEventListener("upload-failed", function () { leaving = false; });
      window.addEventListener("beforeunload", function (event) {
        if (leaving || !form.isConnected || !hasTypedText(form)) return;
        event.preventDefault();
        event.returnValue = "";
      });
      window.addEventListener("pageshow", function () { leaving = false; });
    });
  }

  function initCopyPrint(root) {
    root.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copyTarget);
        var status = root.querySelector("[data-copy-status]");
        var text = source ? source.value : "";
        var done = function () { if (status) status.textContent = button.dataset.copied || "✓"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () {});
        }
      });
    });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* Send forms with files through XHR so that a progress bar can show upload progress.
     The server answers JSON {redirect} on success, or the page with errors (422). */
  function initUploads(root) {
    root.querySelectorAll("form[data-upload-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var files = form.querySelector("input[type=file]");
        if (!files || !files.files || files.files.length === 0 || !window.FormData) return;
        event.preventDefault();
        var box = form.querySelector("[data-upload-progress]");
        var bar = box && box.querySelector("progress");
        var text = box && box.querySelector("[data-upload-text]");
        var submit = form.querySelector("button[type=submit]");
        if (box) box.hidden = false;
        if (submit) submit.disabled = true;
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("X-Requested-With", "collectwatch-upload");
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var pct = Math.round((e.loaded / e.total) * 100);
          if (bar) bar.value = pct;
          if (text) text.textContent = pct + "%";
        });
        xhr.addEventListener("load", function () {
          var type = xhr.getResponseHeader("Content-Type") || "";
          if (type.indexOf("application/json") === 0) {
            try { window.location.assign(JSON.parse(xhr.responseText).redirect); return; } catch (e) { /* fall through */ }
          }
          var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var main = doc.querySelector("main");
          if (main) {
            document.querySelector("main").replaceWith(main);
            document.title = doc.title;
            init(main);
            var summary = main.querySelector("#error-summary") || main.querySelector("h1");
            if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
          } else {
            form.submit();
          }
        });
        xhr.addEventListener("error", function () {
          form.dispatchEvent(new Event("upload-failed"));
          if (submit) submit.disabled = false;
          /* the words come from the page (data-network-error, through the catalog) */
          if (text) text.textContent = form.dataset.networkError || "";
        });
        xhr.send(new FormData(form));
      });
    });
  }

  function focusErrors(root) {
    var summary = root.querySelector("#error-summary");
    if (summary) summary.focus();
  }

  function init(root, draft) {
    initDrafts(root, draft);
    initSuggest(root);
    initCounters(root);
    initMainViolation(root);
    initCopyPrint(root);
    initUploads(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Every page takes the draft, so that it never outlives the next page, the receipt included.
    init(document, takeDraft());
    focusErrors(document);
  });
})();
