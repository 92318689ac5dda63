// entrench policy lab: sliders and numbers kept in step, runs started and
// followed without leaving the page. Everything also works as plain forms.
"use strict";
(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // Levers: keep the slider and its number box in step, mark changes.
  function leverParts(div) {
    const range = $("input[type=range]", div);
    return { range, num: $(".num", div), set: $("input[type=checkbox]", div) };
  }
  function markChanged(div) {
    const p = leverParts(div);
    const on = !p.set || p.set.checked;
    const baseOn = div.dataset.baseOn === "true";
    const changed = on !== baseOn || (on && Number(p.range.value) !== Number(div.dataset.base));
    div.classList.toggle("changed", changed);
    div.classList.toggle("off", !on);
  }
  $$(".lever").forEach((div) => {
    const p = leverParts(div);
    p.range.addEventListener("input", () => {
      p.num.value = p.range.value;
      if (p.set) p.set.checked = true;
      markChanged(div);
    });
    p.num.addEventListener("input", () => {
      if (p.num.value === "" || isNaN(Number(p.num.value))) return;
      if (Number(p.num.value) > Number(p.range.max)) p.range.max = p.num.value;
      p.range.value = p.num.value;
      if (p.set) p.set.checked = true;
      markChanged(div);
    });
    if (p.set) p.set.addEventListener("change", () => markChanged(div));
  });
  const reset = $("#reset");
  if (reset) reset.addEventListener("click", () => {
    $$(".lever").forEach((div) => {
      const p = leverParts(div);
      p.range.value = div.dataset.base;
      p.num.value = div.dataset.base;
      if (p.set) p.set.checked = div.dataset.baseOn === "true";
      markChanged(div);
    });
  });

  // Choosing a scenario loads it.
  const select = $("#scenario-select");
  if (select) select.addEventListener("change", () => $("#choose").submit());

  // Runs.
  const form = $("#run-form");
  const statusBox = $("#status");
  const statusText = $("#status-text");
  const progress = $("#progress");
  const cancel = $("#cancel");
  const errors = $("#errors");
  const result = $("#result");
  const runButton = $("#run");
  let current = null; // id of the run this page follows
  let timer = null;

  function showErrors(list) {
    errors.textContent = "";
    if (!list || list.length === 0) { errors.hidden = true; return; }
    const p = document.createElement("p");
    p.textContent = "Please fix:";
    const ul = document.createElement("ul");
    list.forEach((m) => { const li = document.createElement("li"); li.textContent = m; ul.appendChild(li); });
    errors.append(p, ul);
    errors.hidden = false;
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + " s"; }
  function showStatus(st) {
    statusBox.hidden = false;
    statusBox.dataset.state = st.state;
    progress.max = st.total;
    progress.value = st.done;
    if (st.state === "queued") statusText.textContent = "Waiting for a free slot…";
    else if (st.state === "running") statusText.textContent = "Running: " + st.done + " of " + st.total + " pairs (" + seconds(st.elapsed_ms) + ")";
    else if (st.state === "done") statusText.textContent = "Done: " + st.total + " pairs in " + seconds(st.elapsed_ms) + ".";
    else statusText.textContent = st.message || st.state;
    cancel.hidden = !(st.state === "queued" || st.state === "running");
    $("input[name=job]", $("#cancel-form")).value = st.job;
  }
  async function poll(id) {
    if (id !== current) return;
    let st;
    try {
      const r = await fetch("/status?job=" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
      const body = await r.json();
      if (!r.ok) { showErrors(body.errors); finish(); return; }
      st = body;
    } catch (e) {
      timer = setTimeout(() => poll(id), 1000);
      return;
    }
    if (id !== current) return;
    showStatus(st);
    if (st.state === "queued" || st.state === "running") {
      timer = setTimeout(() => poll(id), 200);
      return;
    }
    if (st.state === "done") {
      const r = await fetch("/result?job=" + encodeURIComponent(id));
      if (id !== current) return;
      result.innerHTML = await r.text();
      statusBox.dataset.rendered = id;
    }
    finish();
  }
  function finish() { runButton.disabled = false; runButton.textContent = "Run"; }

  if (form) form.addEventListener("submit", async (ev) => {
    if (ev.submitter && ev.submitter.id !== "run") return; // the download button posts normally
    ev.preventDefault();
    clearTimeout(timer);
    showErrors(null);
    runButton.disabled = true;
    runButton.textContent = "Running…";
    let r, body;
    try {
      r = await fetch("/run", {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)),
      });
      body = await r.json();
    } catch (e) {
      showErrors(["The lab server did not answer: " + e.message]);
      finish();
      return;
    }
    if (!r.ok) { showErrors(body.errors); finish(); return; }
    current = body.job;
    showStatus(body);
    poll(current);
  });

  if (cancel) $("#cancel-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new URLSearchParams(new FormData(ev.target));
    await fetch("/cancel", { method: "POST", headers: { Accept: "application/json" }, body: data });
  });

  // A page opened on a running job (the no-script path) follows it.
  if (statusBox && statusBox.dataset.job && (statusBox.dataset.state === "queued" || statusBox.dataset.state === "running")) {
    current = statusBox.dataset.job;
    runButton.disabled = true;
    poll(current);
  }
})();
