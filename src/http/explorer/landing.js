// The mock's landing page. Everything comes from the mock itself (same origin, no CDN):
// /__mock/clock, /__mock/journal, /__mock/users, /__mock/products (how to sign in to each
// product, and how to show its users) and /__mock/routes (the declared routes in force) from
// the admin API, and the products' token endpoints
// for the sign-in form. A part whose data cannot be had says "unavailable"
// instead of breaking the rest; a 401 asks for the admin token.
"use strict";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "veeam-auth-mock.admin-token";

// Text only, never HTML: user names and paths come from the scenario and the requests.
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function unavailable(target, why) {
  target.replaceChildren(el("span", why, "unavailable"));
}

async function admin(path) {
  const token = sessionStorage.getItem(TOKEN_KEY) || "";
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  let response;
  try {
    response = await fetch(path, { headers, cache: "no-store" });
  } catch (err) {
    return { error: "unavailable (" + err.message + ")" };
  }
  if (response.status === 401) return { error: "needs the admin token (HTTP 401)" };
  if (!response.ok) return { error: "unavailable (HTTP " + response.status + ")" };
  try {
    return { data: await response.json() };
  } catch (err) {
    return { error: "unavailable (not JSON)" };
  }
}

async function loadClock() {
  const { data, error } = await admin("/__mock/clock");
  if (error || typeof data.now !== "string") {
    unavailable($("clock-now"), error || "unavailable (unexpected answer)");
    $("clock-mode").textContent = "";
    return;
  }
  $("clock-now").textContent = data.now;
  $("clock-mode").textContent = data.mode || "";
}

function table(headings, rows) {
  const t = el("table");
  const head = el("tr");
  headings.forEach((h) => head.appendChild(el("th", h)));
  t.appendChild(head);
  rows.forEach((row) => t.appendChild(row));
  return t;
}

function userRow(cells, product, username, password) {
  const tr = el("tr", null, "user");
  cells.forEach((c) => tr.appendChild(el("td", c)));
  tr.title = "Sign in as " + username;
  tr.addEventListener("click", () => {
    $("product").value = product;
    $("username").value = username;
    $("password").value = password || "";
  });
  return tr;
}

// The products as GET /__mock/products describes them (by name), and each sign-in choice by its
// value in the form; loaded once, then kept (so a refresh does not reset the form).
let PRODUCTS = null;
const CHOICES = new Map();

async function loadProducts() {
  if (PRODUCTS) return;
  const { data, error } = await admin("/__mock/products");
  const select = $("product");
  if (error || !Array.isArray(data)) {
    select.replaceChildren(el("option", "sign-in choices " + (error || "unavailable (unexpected answer)")));
    return;
  }
  PRODUCTS = {};
  CHOICES.clear();
  const options = [];
  for (const product of data) {
    PRODUCTS[product.name] = product;
    for (const choice of product.sign_in || []) {
      CHOICES.set(choice.value, { product, choice });
      const option = el("option", choice.label);
      option.value = choice.value;
      options.push(option);
    }
  }
  select.replaceChildren(...options);
  // The first product's first choice is the default.
  if (options.length) select.value = options[0].value;
}

function cell(value) {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return value;
}

// How the users of a product are shown: its title and columns from /__mock/products; a product
// not described there still gets a table (its fields as columns).
function userView(name, users) {
  const product = (PRODUCTS || {})[name];
  const columns = product && Array.isArray(product.columns) ? product.columns
    : Object.keys(users[0] || {}).map((field) => ({ heading: field, field }));
  const first = product && product.sign_in && product.sign_in[0];
  return {
    title: product ? product.title : name,
    signIn: first ? first.value : $("product").value,
    headings: columns.map((c) => c.heading),
    cells: (u) => columns.map((c) => cell(u[c.field])),
  };
}

async function loadUsers() {
  const target = $("users");
  await loadProducts();
  const { data, error } = await admin("/__mock/users");
  if (error) return unavailable(target, error);
  const parts = [];
  for (const [product, list] of Object.entries(data || {})) {
    const users = Array.isArray(list) ? list : [];
    if (!users.length) continue;
    const view = userView(product, users);
    parts.push(el("h3", view.title));
    parts.push(table(view.headings, users.map((u) =>
      userRow(view.cells(u), view.signIn, u.username, u.password))));
  }
  if (!parts.length) parts.push(el("span", "no users", "unavailable"));
  target.replaceChildren(...parts);
}

async function loadJournal() {
  const target = $("journal");
  const { data, error } = await admin("/__mock/journal?limit=20");
  if (error) return unavailable(target, error);
  const entries = Array.isArray(data.entries) ? data.entries.slice().reverse() : [];
  const rows = entries.map((e) => {
    const tr = el("tr");
    const duration = typeof e.duration_ms === "number" ? e.duration_ms.toFixed(1) + " ms" : "";
    // The time of day is enough in a list of recent requests; the full stamp is in the tooltip.
    const time = el("td", typeof e.time === "string" && e.time.length > 19 ? e.time.slice(11, 23) : e.time, "nowrap");
    time.title = e.time ?? "";
    tr.appendChild(el("td", e.seq));
    tr.appendChild(time);
    [e.method, e.path, e.endpoint].forEach((c) => tr.appendChild(el("td", c)));
    tr.appendChild(el("td", e.status, e.status >= 400 ? "bad" : "ok"));
    tr.appendChild(el("td", duration, "nowrap"));
    return tr;
  });
  const total = el("p", (data.total ?? entries.length) + " request(s) in all; newest first", "hint");
  target.replaceChildren(total, table(["#", "time", "method", "path", "endpoint", "status", "took"], rows));
}

// Who may call a declared route, as its listing's `auth` says: "session", "anonymous",
// "auth_code", or a list of roles.
function routeAuth(auth) {
  if (Array.isArray(auth)) return "roles: " + auth.join(", ");
  return auth ?? "session";
}

async function loadRoutes() {
  const target = $("routes");
  const { data, error } = await admin("/__mock/routes");
  if (error) return unavailable(target, error);
  if (!Array.isArray(data)) return unavailable(target, "unavailable (unexpected answer)");
  if (!data.length) return unavailable(target, "no declared routes (add [[routes]] to the scenario, or POST /__mock/routes)");
  const rows = data.map((r) => {
    const tr = el("tr", null, "route");
    tr.appendChild(el("td", r.id));
    tr.appendChild(el("td", r.method, "mono"));
    tr.appendChild(el("td", r.path, "mono"));
    tr.appendChild(el("td", r.product));
    tr.appendChild(el("td", routeAuth(r.auth)));
    tr.appendChild(el("td", r.calls));
    tr.appendChild(el("td", r.endpoint, "mono"));
    return tr;
  });
  const total = el("p", data.length + " route(s), in the order they are tried", "hint");
  target.replaceChildren(total, table(["#", "method", "path", "product", "auth", "calls", "endpoint"], rows));
}

function refreshAll() {
  return Promise.all([loadClock(), loadUsers(), loadRoutes(), loadJournal()]);
}

// ---- tokens -------------------------------------------------------------------------------

function base64UrlDecode(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

// The JWT's header and claims, with the numeric dates spelled out; opaque tokens say so.
function describeToken(token) {
  if (typeof token !== "string" || !token) return "(none)";
  const parts = token.split(".");
  if (parts.length !== 3) return "opaque token (not a JWT): " + token.slice(0, 40) + "…";
  try {
    const header = JSON.parse(base64UrlDecode(parts[0]));
    const claims = JSON.parse(base64UrlDecode(parts[1]));
    const dates = ["nbf", "iat", "exp"].filter((k) => typeof claims[k] === "number")
      .map((k) => k + " = " + new Date(claims[k] * 1000).toISOString());
    return "header " + JSON.stringify(header, null, 2) + "\nclaims " + JSON.stringify(claims, null, 2) +
      (dates.length ? "\n\n" + dates.join("\n") : "");
  } catch (err) {
    return "cannot decode: " + err.message;
  }
}

let mfaToken = null;
// The MFA step of the product that sent the challenge.
let mfaStep = null;

async function postForm(url, fields, extraHeaders) {
  const response = await fetch(url, {
    method: "POST",
    // A product's own headers first (VBR's x-api-version); the form's own cannot be overridden.
    headers: { ...(extraHeaders || {}), "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (err) { body = null; }
  return { status: response.status, text, body };
}

function showAnswer(url, answer) {
  const status = $("login-status");
  status.textContent = "POST " + url + " → HTTP " + answer.status;
  status.className = "mono " + (answer.status < 300 ? "ok" : "bad");
  $("login-body").textContent = answer.body ? JSON.stringify(answer.body, null, 2) : answer.text;
  const body = answer.body || {};
  $("claims-access").textContent = describeToken(body.access_token);
  $("claims-refresh").textContent = describeToken(body.refresh_token);
  mfaToken = body.mfa_token && !body.access_token ? body.mfa_token : null;
  $("mfa-form").hidden = !mfaToken;
  if (mfaToken) status.textContent += " — MFA challenge: answer it with a code";
}

async function signIn(event) {
  event.preventDefault();
  const picked = CHOICES.get($("product").value);
  if (!picked) {
    $("login-status").textContent = "no sign-in choice (see the admin token above)";
    return;
  }
  const url = picked.choice.path;
  const fields = { ...picked.choice.fields, username: $("username").value, password: $("password").value };
  mfaStep = picked.product.mfa || null;
  $("login-status").textContent = "signing in…";
  try {
    showAnswer(url, await postForm(url, fields, picked.choice.headers));
  } catch (err) {
    $("login-status").textContent = "POST " + url + " failed: " + err.message;
  }
  loadJournal();
}

async function answerMfa(event) {
  event.preventDefault();
  if (!mfaToken || !mfaStep) return;
  const url = mfaStep.path;
  try {
    showAnswer(url, await postForm(url, { ...mfaStep.fields, mfa_token: mfaToken, mfa_code: $("mfa-code").value }));
  } catch (err) {
    $("login-status").textContent = "POST " + url + " failed: " + err.message;
  }
  loadJournal();
}

// ---- wiring -------------------------------------------------------------------------------

let timer = null;

$("admin-token").value = sessionStorage.getItem(TOKEN_KEY) || "";
$("admin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("admin-token").value.trim());
  refreshAll();
});
$("refresh").addEventListener("click", refreshAll);
$("auto-refresh").addEventListener("change", (event) => {
  clearInterval(timer);
  timer = event.target.checked ? setInterval(refreshAll, 2000) : null;
});
$("login-form").addEventListener("submit", signIn);
$("mfa-form").addEventListener("submit", answerMfa);
refreshAll();
