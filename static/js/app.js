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

  function initCounters(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var max = parseInt(area.dataset.counter, 10);
      var out = document.createElement("p");
      out.className = "hint";
      out.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", out);
      function render() { out.textContent = area.value.length + " / " + max; }
      area.addEventListener("input", render);
      render();
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

  function init(root) {
    initSuggest(root);
    initCounters(root);
    initCopyPrint(root);
    initUploads(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    focusErrors(document);
  });
})();
