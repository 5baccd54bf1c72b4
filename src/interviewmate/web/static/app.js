// InterviewMate: small progressive enhancements. Every page works without this file.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;  // textContent: never parsed as HTML
  return node;
}

// Stream the question's text (server-sent events) into the heading that already holds it.
function streamQuestion() {
  const target = document.getElementById("question-text");
  if (!target || !target.dataset.stream || !window.EventSource) return;
  const full = target.textContent;
  const source = new EventSource(target.dataset.stream);
  let shown = "";
  target.textContent = "";
  target.classList.add("streaming");
  source.addEventListener("token", (e) => { shown += JSON.parse(e.data); target.textContent = shown; });
  const stop = (text) => { source.close(); target.classList.remove("streaming"); target.textContent = text; };
  source.addEventListener("done", (e) => stop(JSON.parse(e.data).text));
  source.onerror = () => stop(full);  // fall back to the server-rendered text
}

// Stream the sample answer into the feedback page: cited bullets first, then the text.
function streamSample() {
  const box = document.getElementById("sample");
  if (!box || !box.dataset.stream || !window.EventSource) return;
  const textEl = box.querySelector(".sample-text");
  const list = box.querySelector("ol.bullets");
  const fallback = textEl.innerHTML;  // the link to the server-rendered page, kept for errors
  const source = new EventSource(box.dataset.stream);
  let shown = "";
  textEl.textContent = "Writing a sample answer from your resume…";
  textEl.classList.add("streaming");
  source.addEventListener("bullets", (e) => {
    for (const b of JSON.parse(e.data)) {
      const li = document.createElement("li");
      li.value = b.number;
      li.textContent = `${b.text} (${b.section})`;
      list.appendChild(li);
    }
  });
  source.addEventListener("token", (e) => { shown += JSON.parse(e.data); textEl.textContent = shown; });
  source.addEventListener("done", (e) => {
    source.close();
    textEl.classList.remove("streaming");
    textEl.textContent = JSON.parse(e.data).text || "Your resume has nothing close to this question.";
  });
  source.addEventListener("error", (e) => {
    source.close();
    textEl.classList.remove("streaming");
    if (e.data) textEl.textContent = JSON.parse(e.data).message;
    else textEl.innerHTML = fallback;  // our own markup, captured above
  });
}

// Bar chart of the score per question, drawn as inline SVG from the JSON the report page embeds.
function drawScoreChart() {
  const holder = document.getElementById("score-chart");
  const data = document.getElementById("chart-data");
  if (!holder || !data) return;
  const rows = JSON.parse(data.textContent);
  const w = Math.max(240, rows.length * 56), h = 180, pad = 24, bw = 32;
  const svg = el("svg", { viewBox: `0 0 ${w} ${h + pad}`, width: w, height: h + pad, role: "img" });
  svg.appendChild(el("title", {}, "Score per question"));
  [0, 50, 100].forEach((v) => {
    const y = h - (v / 100) * (h - pad);
    svg.appendChild(el("line", { x1: 0, x2: w, y1: y, y2: y, stroke: "#e3e3e8" }));
    svg.appendChild(el("text", { x: 2, y: y - 2 }, String(v)));
  });
  rows.forEach((r, i) => {
    const x = 28 + i * 56, score = r.score === null ? 0 : r.score;
    const bh = Math.max(2, (score / 100) * (h - pad));
    svg.appendChild(el("rect", { x, y: h - bh, width: bw, height: bh, class: r.score === null ? "bar none" : "bar" }));
    svg.appendChild(el("text", { x: x + 4, y: h - bh - 4 }, r.score === null ? "–" : Math.round(score)));
    svg.appendChild(el("text", { x: x + 6, y: h + 16 }, r.label));
  });
  holder.appendChild(svg);
}

// Sparklines for the progress page: values come from a data attribute.
function drawSparks() {
  document.querySelectorAll(".spark[data-values]").forEach((span) => {
    const vals = span.dataset.values.split(",").map(Number).filter((v) => !Number.isNaN(v));
    if (vals.length < 2) return;
    const w = 90, h = 22;
    const pts = vals.map((v, i) => `${(i / (vals.length - 1)) * (w - 4) + 2},${h - 2 - (v / 100) * (h - 4)}`);
    const svg = el("svg", { width: w, height: h, viewBox: `0 0 ${w} ${h}` });
    svg.appendChild(el("polyline", { points: pts.join(" "), fill: "none", stroke: "#2f5fd0", "stroke-width": 2 }));
    span.appendChild(document.createTextNode(" "));
    span.appendChild(svg);
  });
}

// A second click while a form is on its way (scoring an answer takes a moment) would post it twice: the first
// submit disables the form's buttons and says the form is being sent. Forms whose reply can be a download (the
// page stays, so nothing would re-enable them) opt out with data-no-guard.
function guardDoubleSubmit() {
  document.querySelectorAll("form[method=post]:not([data-no-guard])").forEach((form) => {
    form.addEventListener("submit", (e) => {
      if (form.dataset.sending) { e.preventDefault(); return; }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    });
  });
  // back/forward cache: a page restored after a submit must be usable again
  window.addEventListener("pageshow", () => document.querySelectorAll("form[data-sending]").forEach((form) => {
    delete form.dataset.sending;
    form.querySelectorAll("button[aria-busy]").forEach((b) => { b.disabled = false; b.removeAttribute("aria-busy"); });
  }));
}

// Typed answers are kept in this browser tab (sessionStorage) until their feedback page shows, so nothing typed is
// lost to an expired log-in, a refused post or a server restart: the question page puts the draft back.
function keepDrafts() {
  let store;
  try { store = window.sessionStorage; } catch (e) { return; }
  document.querySelectorAll("[data-draft-saved]").forEach((node) => store.removeItem(node.dataset.draftSaved));
  // log-out forgets every draft: the next person at this computer must not find them
  document.querySelectorAll("form[action='/logout']").forEach((form) => form.addEventListener("submit", () => {
    Object.keys(store).filter((k) => k.startsWith("answer-")).forEach((k) => store.removeItem(k));
  }));
  document.querySelectorAll("textarea[data-draft]").forEach((area) => {
    const key = area.dataset.draft;
    const saved = store.getItem(key);
    if (saved && !area.value) area.value = saved;
    area.addEventListener("input", () => {
      if (area.value) store.setItem(key, area.value); else store.removeItem(key);
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  keepDrafts();
  guardDoubleSubmit();
  streamQuestion();
  streamSample();
  drawScoreChart();
  drawSparks();
});
