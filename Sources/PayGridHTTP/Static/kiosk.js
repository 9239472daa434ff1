// The kiosk screen. The terminal's code and device key are set once by the installer (kept in
// the kiosk browser's storage, on the locked-down device); every request to /kiosk/v1 is signed
// with the key as banks sign theirs (HMAC-SHA256, Web Crypto). A lost answer is recovered by
// asking what became of the serial, then sending again under the same serial: never twice.
"use strict";

const store = window.localStorage;
const screens = ["setup", "start", "card-screen", "account-screen", "cash-screen", "done-screen", "problem"];
let state = {};
let idleTimer = null;

const $ = (id) => document.getElementById(id);
const yuan = (fen) => "¥" + (fen / 100).toFixed(2);
const toFen = (text) => Math.round(parseFloat(text) * 100);

function config() { return JSON.parse(store.getItem("paygrid.kiosk") || "null"); }

function show(name) {
  for (const id of screens) $(id).hidden = id !== name;
  state.screen = name;
}

function hex(buffer) { return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join(""); }

async function signedFetch(method, target, body) {
  const cfg = config();
  const bytes = body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomUUID();
  const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
  const canonical = `${method}\n${target}\n${timestamp}\n${nonce}\n${digest}`;
  const keyBytes = Uint8Array.from(atob(cfg.key), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(canonical)));
  const response = await fetch(target, {
    method, body: body === undefined ? undefined : bytes,
    headers: { "X-Terminal-Code": cfg.terminal, "X-Timestamp": timestamp, "X-Nonce": nonce,
               "X-Signature": signature, "Content-Type": "application/json" },
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const refusal = new Error((answer.error && answer.error.message) || String(response.status));
    // A 5xx (the internal zone did not answer), 408 or 429 says nothing of what happened: the
    // caller asks for the serial's status as after a lost answer. Anything else is a refusal.
    refusal.refused = response.status < 500 && response.status !== 408 && response.status !== 429;
    throw refusal;
  }
  return answer;
}

function nextNumber(name) {
  const next = Number(store.getItem(name) || "0") + 1;
  store.setItem(name, String(next));
  return next;
}

function newSerial() { return `${config().terminal}-${Date.now()}-${nextNumber("paygrid.kiosk.serial")}`; }

function problem(error) {
  // The serial is shown, so staff can settle the customer's money with it.
  const serial = state.serial ? " · 流水号 Serial " + state.serial : "";
  const down = "网络中断，请联系工作人员 (network down)";
  $("message").textContent = (error.refused ? error.message : down) + serial;
  show("problem");
}

function start() {
  state = {};
  $("card").value = "";
  $("account-display").textContent = "";
  show(config() ? "start" : "setup");
}

function restartIdleTimer() {
  clearTimeout(idleTimer);
  const seconds = (config() && config().idleSeconds) || 60;
  idleTimer = setTimeout(() => {
    // Money in the acceptor is never dropped: a customer who walks away is served as if they had
    // pressed Confirm.
    if (state.screen === "cash-screen" && state.inserted > 0 && !state.submitting) confirm();
    else if (state.screen !== "start" && state.screen !== "setup" && !state.submitting) start();
  }, seconds * 1000);
}

function cashScreen(facts) {
  state.serial = newSerial();
  state.inserted = 0;
  $("who").textContent = facts.name;
  $("fact-account").textContent = facts.account;
  $("fact-meter").textContent = facts.meter || "—";
  $("fact-arrears").textContent = facts.arrears;
  $("fact-balance").textContent = facts.balance || "—";
  $("inserted").textContent = yuan(0);
  $("confirm").disabled = true;
  $("cash-back").disabled = false;
  for (const note of document.querySelectorAll(".note")) note.disabled = false;
  show("cash-screen");
}

async function cardRead() {
  const card = $("card").value.trim();
  if (!card) return;
  try {
    const meter = await signedFetch("GET", "/kiosk/v1/meters?card_no=" + encodeURIComponent(card));
    state.kind = "sale";
    state.meter = meter.meter_no;
    const arrears = yuan(toFen(meter.arrears) + toFen(meter.arrears_penalty));
    cashScreen({ name: meter.name, account: meter.account_no, meter: meter.meter_no, arrears,
                 balance: "¥" + meter.balance });
  } catch (error) { problem(error); }
}

async function accountEntered() {
  const account = $("account-display").textContent;
  if (!account) return;
  try {
    const found = await signedFetch("GET", "/kiosk/v1/accounts/" + encodeURIComponent(account));
    state.kind = "payment";
    state.account = found.account_no;
    cashScreen({ name: found.name, account: found.account_no, arrears: "¥" + found.total_due });
  } catch (error) { problem(error); }
}

async function noteInserted(noteYuan) {
  if (state.submitting) return;  // the acceptor is closed once Confirm is pressed
  restartIdleTimer();
  $("cash-back").disabled = true;  // notes taken: the transaction is completed, never cancelled
  const sequence = nextNumber("paygrid.kiosk.sequence");
  const note = { sequence, serial: state.serial, denomination: String(noteYuan) };
  for (let attempt = 0; ; attempt++) {
    try { await signedFetch("POST", "/kiosk/v1/notes", note); break; } catch (error) {
      if (error.refused || attempt >= 2) return problem(error);
    }
  }
  state.inserted += noteYuan * 100;
  $("inserted").textContent = yuan(state.inserted);
  $("confirm").disabled = state.submitting === true;
}

async function submitOnce() {
  const amount = (state.inserted / 100).toFixed(2);
  if (state.kind === "sale") {
    return signedFetch("POST", "/kiosk/v1/sales", { serial: state.serial, meter_no: state.meter, amount });
  }
  return signedFetch("POST", "/kiosk/v1/payments", { serial: state.serial, account_no: state.account, amount });
}

async function confirm() {
  if (state.submitting) return;
  state.submitting = true;
  $("confirm").disabled = true;
  for (const note of document.querySelectorAll(".note")) note.disabled = true;
  let answer;
  try {
    answer = await submitOnce();
  } catch (error) {
    if (error.refused) return problem(error);
    // The answer was lost: ask what became of the serial; send again only if nothing did.
    try {
      const status = await signedFetch("GET", "/kiosk/v1/transactions/" + encodeURIComponent(state.serial));
      if (status.status === "reversed") {
        const reversed = new Error(
          "该笔交易已冲正，请联系工作人员 (reversed: see staff), " + state.serial);
        reversed.refused = true;
        return problem(reversed);
      }
      answer = status.status === "posted" ? { token: status.token, kwh: status.kwh } : await submitOnce();
    } catch (again) { return problem(again); }
  }
  $("done-title").textContent = state.kind === "sale" ? "购电成功 Electricity bought" : "缴费成功 Bill paid";
  $("token-box").hidden = !answer.token;
  if (answer.token) {
    $("token").textContent = answer.token.replace(/(\d{4})(?=\d)/g, "$1 ");
    $("kwh").textContent = answer.kwh;
  }
  $("paid").textContent = yuan(state.inserted);
  $("receipt").textContent = "流水号 Serial " + state.serial;
  show("done-screen");
  printReceipt(answer);
}

// The paper receipt, with the token to type on the meter should the screen be missed.
function printReceipt(answer) {
  $("print-kind").textContent = state.kind === "sale" ? "购电 Electricity" : "缴费 Bill payment";
  $("print-terminal").textContent = config().terminal;
  $("print-time").textContent = new Date().toLocaleString("zh-CN", { hour12: false });
  $("print-serial").textContent = state.serial;
  $("print-who").textContent = state.kind === "sale" ? "电表 " + state.meter : "户号 " + state.account;
  $("print-paid").textContent = yuan(state.inserted);
  $("print-token-box").hidden = !answer.token;
  if (answer.token) {
    $("print-token").textContent = answer.token.replace(/(\d{4})(?=\d)/g, "$1 ");
    $("print-kwh").textContent = answer.kwh;
  }
  window.print();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, restartIdleTimer);
  $("setup-save").addEventListener("click", () => {
    store.setItem("paygrid.kiosk", JSON.stringify({
      terminal: $("setup-terminal").value.trim(), key: $("setup-key").value.trim(),
      idleSeconds: Number($("setup-idle").value) || 60 }));
    start();
  });
  $("buy").addEventListener("click", () => { show("card-screen"); $("card").focus(); });
  $("pay").addEventListener("click", () => show("account-screen"));
  // A card reader types the card's number and Enter, as a keyboard does.
  $("card").addEventListener("keydown", (event) => { if (event.key === "Enter") cardRead(); });
  for (const key of document.querySelectorAll(".key[data-digit]")) {
    key.addEventListener("click", () => {
      if ($("account-display").textContent.length < 20) $("account-display").textContent += key.dataset.digit;
    });
  }
  $("key-clear").addEventListener("click", () => { $("account-display").textContent = ""; });
  $("key-ok").addEventListener("click", accountEntered);
  for (const note of document.querySelectorAll(".note")) {
    note.addEventListener("click", () => noteInserted(Number(note.dataset.yuan)));
  }
  $("confirm").addEventListener("click", confirm);
  for (const id of ["card-back", "account-back", "cash-back", "finish", "problem-back"]) {
    $(id).addEventListener("click", start);
  }
  start();
  restartIdleTimer();
});
