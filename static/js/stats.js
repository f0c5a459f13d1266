/* Statistics line charts and sparklines: drawn from the data-* attributes of the tables beside them. Pages work without it. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  function css(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (v && v.trim()) || fallback;
  }

  function drawChart(figure) {
    var data;
    try { data = JSON.parse(figure.getAttribute("data-chart")); } catch (e) { return; }
    if (!data || !data.labels || !data.labels.length) return;
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    /* the words come from the page (data-chart-label, through the catalog) */
    canvas.setAttribute("aria-label", figure.getAttribute("data-chart-label") || data.title);
    figure.appendChild(canvas);
    figure.removeAttribute("aria-hidden");
    // Bar charts are drawn by the template (stats/_macros.html); only the month line is drawn here.
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: [{ label: data.title, data: data.values, backgroundColor: css("--brand", "#1d5f8a"), borderColor: css("--brand", "#1d5f8a"), spanGaps: false }] },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
        maintainAspectRatio: true,
        aspectRatio: 2.5
      }
    });
  }

  function drawSparkline(span) {
    var values;
    try { values = JSON.parse(span.getAttribute("data-sparkline")); } catch (e) { return; }
    if (!values || values.length < 2) return;
    var canvas = document.createElement("canvas");
    canvas.width = 96; canvas.height = 24;
    canvas.setAttribute("aria-hidden", "true");
    span.textContent = "";
    span.appendChild(canvas);
    new window.Chart(canvas, {
      type: "line",
      data: { labels: values.map(function (_, i) { return i; }), datasets: [{ data: values, borderColor: css("--brand", "#1d5f8a"), borderWidth: 1.5, pointRadius: 0, spanGaps: false }] },
      options: { responsive: false, animation: false, events: [], plugins: { legend: { display: false }, tooltip: { enabled: false } }, scales: { x: { display: false }, y: { display: false, beginAtZero: true } } }
    });
  }

  function filterTable(input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        tr.hidden = q !== "" && (tr.getAttribute("data-name") || "").toLowerCase().indexOf(q) === -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(drawChart);
    document.querySelectorAll("[data-sparkline]").forEach(drawSparkline);
    document.querySelectorAll("input[data-filter-table]").forEach(filterTable);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
