// PayGrid's staff pages: the change as the cashier types what was tendered, the count sheet's
// running total and difference (the server's check, before confirming, is what counts), and the
// counter's function keys (F9 pays, F8 prints the receipt, Escape goes back to the search).
"use strict";

/** Yuan text ("12.30") to fen, or null when it is not an amount. */
function fen(text) {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text || "");
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
}

function yuan(amountFen) {
  const sign = amountFen < 0 ? "-" : "";
  const abs = Math.abs(amountFen);
  return sign + Math.floor(abs / 100) + "." + String(abs % 100).padStart(2, "0");
}

function showChange() {
  const amount = fen(document.getElementById("cash-amount").value);
  const tendered = fen(document.getElementById("tendered").value);
  const change = document.getElementById("change");
  if (amount === null || tendered === null) { change.textContent = "0.00"; return; }
  change.textContent = yuan(tendered - amount);
  change.classList.toggle("refusal", tendered < amount);
}

function showCount() {
  let total = 0;
  for (const input of document.querySelectorAll("input.pieces")) {
    const pieces = /^\d{1,7}$/.test(input.value) ? Number(input.value) : 0;
    const line = pieces * Number(input.dataset.fen);
    input.closest("tr").querySelector(".line-total").textContent = yuan(line);
    total += line;
  }
  document.getElementById("count-total").textContent = yuan(total);
  const expected = fen(document.getElementById("count-expected").textContent) || 0;
  const difference = document.getElementById("count-difference");
  difference.textContent = yuan(total - expected);
  difference.classList.toggle("refusal", total < expected);
}

/**
 * Sends an upload form's file as the request body (its other fields and its key in the query, the
 * form token in a header), with a progress bar. A statement answers where its worklist is (201),
 * opened; a bank's direct-debit result file answers its run's page with what it applied (200),
 * shown in place of this one. A refusal shows its code and message beside the form.
 */
function uploadFile(event) {
  const form = event.target;
  const file = form.querySelector("input[type=file]").files[0];
  if (!file) return;
  event.preventDefault();
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === "string") query.set(name, value);
  query.set("key", form.dataset.key);
  const progress = form.querySelector("progress");
  const refusal = form.querySelector(".refusal");
  progress.hidden = false;
  refusal.hidden = true;
  const request = new XMLHttpRequest();
  request.open("POST", form.action + "?" + query);
  request.setRequestHeader("Content-Type", "application/octet-stream");
  request.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
  request.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) progress.value = Math.round(e.loaded * 100 / e.total);
  });
  request.addEventListener("load", () => {
    if (request.status === 201) {
      progress.value = 100;
      window.location.assign(JSON.parse(request.responseText).location);
      return;
    }
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    if (request.status === 200) {
      document.querySelector("main").replaceWith(document.adoptNode(page.querySelector("main")));
      return;
    }
    // A refusal is the refused page: show its code and message here.
    const reason = page.getElementById("refusal");
    refusal.textContent = reason ? reason.textContent : "HTTP " + request.status;
    refusal.dataset.code = reason ? reason.dataset.code : "";
    refusal.hidden = false;
    progress.hidden = true;
  });
  request.send(file);
}

document.addEventListener("DOMContentLoaded", () => {
  const print = document.getElementById("print");
  if (print) print.addEventListener("click", () => window.print());
  // Upload forms are listened for on the document: a page shown in place brings its own form.
  document.addEventListener("submit", (event) => { if (event.target.matches("form.upload")) uploadFile(event); });
  const pieces = document.querySelectorAll("input.pieces");
  for (const input of pieces) input.addEventListener("input", showCount);
  if (pieces.length) showCount();
  for (const id of ["cash-amount", "tendered"]) {
    const input = document.getElementById(id);
    if (input) input.addEventListener("input", showChange);
  }
  document.addEventListener("keydown", (event) => {
    const click = (id) => { const el = document.getElementById(id); if (el) { event.preventDefault(); el.click(); } };
    if (event.key === "F9") click("pay");
    if (event.key === "F8") click("print-receipt");
    if (event.key === "Escape") { click("new-search"); click("next-customer"); }
  });
});
