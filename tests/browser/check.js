// Drives Debian's headless Chromium (through playwright-core, no browser download) against a
// running mock: Swagger UI at VB365's path (a "Try it out" sign-in, then the scenario's declared
// route called after Authorize, then an operation of the loaded product document), and the
// landing page over
// HTTPS with the self-signed certificate (a VB365 and a VBAzure sign-in whose decoded claims
// must appear). Every request the browser makes must stay on 127.0.0.1.
//
//   node tests/browser/check.js HTTP_URL HTTPS_URL OUT_DIR
//
// PLAYWRIGHT_CORE names the installed playwright-core (run.sh sets it). Prints one
// "browser: ok: ..." line per check and a closing "N passed, 0 failed"; exits 1 at a failure.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [httpUrl, httpsUrl, outDir] = process.argv.slice(2);
if (!httpUrl || !httpsUrl || !outDir) {
  console.error("usage: check.js HTTP_URL HTTPS_URL OUT_DIR");
  process.exit(2);
}

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const TIMEOUT = 20000;
let passed = 0;

function ok(what) {
  passed += 1;
  console.log(`browser: ok: ${what}`);
}

function check(condition, what) {
  if (!condition) throw new Error(what);
  ok(what);
}

// Only the mock itself: 127.0.0.1 over http/https, or the page's own data:/blob: URLs.
function isLocal(url) {
  if (url.startsWith("data:") || url.startsWith("blob:")) return true;
  try {
    return new URL(url).hostname === "127.0.0.1";
  } catch (err) {
    return false;
  }
}

async function swagger(context) {
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`${httpUrl}/swagger/ui/index`, { waitUntil: "load", timeout: TIMEOUT });
  check(page.url().endsWith("/swagger/ui/index/index.html"), `/swagger/ui/index leads to ${page.url()}`);
  await page.waitForSelector(".swagger-ui .info .title", { timeout: TIMEOUT });
  const title = await page.textContent(".swagger-ui .info .title");
  check(title.includes("veeam-auth-mock"), `Swagger UI shows the document (${title.trim()}) in ${Date.now() - start} ms`);
  const operations = await page.locator(".opblock").count();
  check(operations >= 20, `Swagger UI lists ${operations} operations`);

  // "Try it out" on POST /{version}/token: the form is pre-filled from the schema's examples.
  const operation = page.locator("#operations-VB365_authentication-vb365_token");
  await operation.locator(".opblock-summary").click();
  const tryOut = operation.locator("button.try-out__btn");
  if (await tryOut.count() && (await tryOut.textContent()).includes("Try it out")) await tryOut.click();
  await operation.locator("tr[data-param-name='version'] input").fill("v8");
  await operation.locator("button.execute").click();
  const live = operation.locator(".live-responses-table tr.response");
  await live.first().waitFor({ timeout: TIMEOUT });
  const text = await live.locator(".response-col_description").first().textContent();
  const status = (await live.locator(".response-col_status").first().textContent()).trim();
  check(status === "200" && text.includes("access_token"), `Try it out: POST /v8/token answered ${status} with tokens`);
  await live.first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(outDir, "swagger.png"), fullPage: false });
  ok(`screenshot ${path.join(outDir, "swagger.png")}`);
  const signedIn = JSON.parse(await live.locator(".response-col_description .microlight").first().textContent());
  await declaredRoute(page, signedIn.access_token);
  await page.close();
}

// The scenario's declared route (run.sh adds `GET /v8/Jobs`): listed under its tag, refused
// without a bearer, answered with its page once the token is pasted into Authorize.
async function declaredRoute(page, accessToken) {
  check(typeof accessToken === "string" && accessToken.length > 0, "the sign-in answer carries an access_token");
  const operation = page.locator("#operations-Declared_routes-route_jobs");
  await operation.waitFor({ timeout: TIMEOUT });
  check((await operation.locator(".opblock-summary-path").textContent()).includes("/v8/Jobs"),
    'Swagger UI lists the declared route GET /v8/Jobs under "Declared routes"');
  await operation.locator(".opblock-summary").click();
  const tryOut = operation.locator("button.try-out__btn");
  if (await tryOut.count() && (await tryOut.textContent()).includes("Try it out")) await tryOut.click();
  const execute = () => executeOperation(operation);
  const refused = await execute();
  check(refused.status === "401", `without Authorize the declared route answers ${refused.status}`);

  // VB365's scheme is `bearer`; VBR's `vbr_bearer` also ends in "bearer (http, Bearer)", so the
  // heading must start with the name.
  await authorize(page, /^\s*bearer\s*\(http, Bearer\)/, accessToken);
  ok("Authorize takes the access_token for the bearer scheme");

  await operation.locator("button.btn-clear").click();
  const answered = await execute();
  check(answered.status === "200" && answered.text.includes("Daily backup") && answered.text.includes('"limit": 30'),
    `after Authorize, Try it out: GET /v8/Jobs answered ${answered.status} with its first page`);
  await operation.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(outDir, "swagger-declared.png"), fullPage: false });
  ok(`screenshot ${path.join(outDir, "swagger-declared.png")}`);
  await loadedDocument(page, accessToken);
}

// Clicks an operation's Execute and reads the first live response's status and body text.
async function executeOperation(operation) {
  await operation.locator("button.execute").click();
  const live = operation.locator(".live-responses-table tr.response");
  await live.first().waitFor({ timeout: TIMEOUT });
  const status = (await live.locator(".response-col_status").first().textContent()).trim();
  const text = await live.locator(".response-col_description").first().textContent();
  return { status, text };
}

// Opens Authorize, gives `token` to the scheme whose heading matches `heading`, closes it.
async function authorize(page, heading, token) {
  await page.locator(".auth-wrapper button.authorize").click();
  const scheme = page.locator(".modal-ux .auth-container").filter({ has: page.locator("h4", { hasText: heading }) });
  await scheme.locator("input").fill(token);
  await scheme.locator("button.authorize").click();
  await scheme.locator("button.btn-done").click();
}

// The product document run.sh loads (`serve --openapi tests/browser/jobsessions.json`, a small
// VB365 v8 document of the test's own): chosen in Swagger UI's list of definitions beside the
// mock's own, its operation refused without a session, then, after Authorize with the same
// VB365 session's token, answered from the document's example, cut to the page asked for.
async function loadedDocument(page, accessToken) {
  const select = page.locator(".topbar select");
  await select.waitFor({ timeout: TIMEOUT });
  const labels = await select.locator("option").allTextContents();
  const label = labels.find((text) => text.includes("Job sessions (browser test document)"));
  check(label !== undefined && labels.length === 2,
    `Swagger UI lists the loaded document beside the mock's own: ${labels.join(" | ")}`);
  await select.selectOption({ label });
  const operation = page.locator("#operations-JobSession-JobSession_Get");
  await operation.waitFor({ timeout: TIMEOUT });
  const title = await page.textContent(".swagger-ui .info .title");
  check(title.includes("Job sessions"), `choosing it shows the loaded document (${title.trim()})`);
  await operation.locator(".opblock-summary").click();
  const tryOut = operation.locator("button.try-out__btn");
  if (await tryOut.count() && (await tryOut.textContent()).includes("Try it out")) await tryOut.click();
  await operation.locator("tr[data-param-name='limit'] input").fill("1");
  const refused = await executeOperation(operation);
  check(refused.status === "401", `without Authorize the loaded document's GET /v8/JobSessions answers ${refused.status}`);

  // Veeam's documents name their scheme `Bearer`, the mock's own `bearer`: a second Authorize.
  await authorize(page, /^\s*Bearer\s*\(http, Bearer\)/, accessToken);
  await operation.locator("button.btn-clear").click();
  const answered = await executeOperation(operation);
  check(answered.status === "200" && answered.text.includes("Nightly mailbox backup")
      && !answered.text.includes("Weekly SharePoint backup") && answered.text.includes('"limit": 1'),
    `after Authorize, Try it out: GET /v8/JobSessions?limit=1 answered ${answered.status} with the example's first item`);
  await operation.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(outDir, "swagger-loaded-document.png"), fullPage: false });
  ok(`screenshot ${path.join(outDir, "swagger-loaded-document.png")}`);
}

async function landing(context) {
  const page = await context.newPage();
  await page.goto(`${httpsUrl}/__mock/`, { waitUntil: "load", timeout: TIMEOUT });
  check((await page.title()) === "veeam-auth-mock", `the landing page loads over HTTPS (${httpsUrl})`);
  // The admin API may be missing; the panels then say so instead of breaking the page.
  await page.waitForFunction(() => document.getElementById("clock-now").textContent !== "loading…", null, { timeout: TIMEOUT });
  ok(`the clock panel shows: ${(await page.textContent("#clock-now")).trim()}`);

  await page.selectOption("#product", "vb365:v8");
  await page.fill("#username", "Administrator");
  await page.fill("#password", "PassWord1");
  await page.click("#login-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("claims-access").textContent.includes("credentialKey"), null, { timeout: TIMEOUT });
  const vb365 = await page.textContent("#claims-access");
  check(vb365.includes('"alg": "RS256"') && vb365.includes('"credentialType"') && vb365.includes("exp = "),
    "VB365 sign-in: the decoded JWT header and claims appear");
  check((await page.textContent("#login-status")).includes("HTTP 200"), "VB365 sign-in answered 200");

  await page.selectOption("#product", "azure");
  await page.fill("#username", "administrator");
  await page.fill("#password", "PassWord1");
  await page.click("#login-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("claims-access").textContent.includes("unique_name"), null, { timeout: TIMEOUT });
  const azure = await page.textContent("#claims-access");
  check(azure.includes('"alg": "RS512"') && azure.includes('"role": "PortalAdmin"'), "VBAzure sign-in: the decoded claims appear");

  // Two-step MFA: the challenge shows the code form; the code ends it with tokens.
  await page.fill("#username", "mfa-operator");
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#mfa-form:not([hidden])", { timeout: TIMEOUT });
  await page.fill("#mfa-code", "123456");
  await page.click("#mfa-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("claims-access").textContent.includes("PortalOperator"), null, { timeout: TIMEOUT });
  check(await page.isHidden("#mfa-form"), "VBAzure MFA: the challenge is answered through the page and the claims appear");

  await page.fill("#username", "administrator");
  await page.click("#login-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("claims-access").textContent.includes("PortalAdmin"), null, { timeout: TIMEOUT });
  // The scenario's declared route, from GET /__mock/routes, with the Swagger UI call above.
  await page.click("#refresh");
  await page.waitForFunction(() => document.getElementById("routes").textContent.includes("/v8/Jobs"), null, { timeout: TIMEOUT });
  const route = await page.textContent("#routes tr.route");
  check(route.includes("GET") && route.includes("vb365") && route.includes("session") && route.includes("route.jobs"),
    `the landing page lists the declared route: ${route.trim()}`);
  await page.screenshot({ path: path.join(outDir, "landing.png"), fullPage: true });
  ok(`screenshot ${path.join(outDir, "landing.png")}`);
  await page.close();
}

// The landing page against the admin API's contract (/__mock/clock, /users, /journal, /routes), answered
// here by the browser itself so the page is checked whether or not this build has the admin
// API: first a 401 until the admin token is given, then the documented shapes.
async function landingWithAdminApi(context) {
  const TOKEN = "s3cret";
  const answers = {
    "/__mock/clock": { now: "2026-12-01T21:30:00.0000000Z", mode: "frozen" },
    "/__mock/users": {
      vb365: [{ username: "Administrator", aliases: ["TECH\\administrator"], password: "PassWord1", role: "administrator" }],
      azure: [{ username: "administrator", password: "PassWord1", role: "PortalAdmin", mfa: false }],
    },
    "/__mock/routes": [
      { id: 1, endpoint: "route.jobs", calls: 2, name: "jobs", product: "vb365", method: "GET", path: "/v8/Jobs", auth: "session",
        items: [{ id: "a" }] },
      { id: 7, endpoint: "route.vms", calls: 0, name: "vms", product: "azure", method: "DELETE", path: "/api/v8.1/virtualMachines/{id}",
        auth: ["PortalAdmin", "PortalOperator"], status: 204 },
    ],
    "/__mock/journal": {
      total: 2,
      entries: [
        { seq: 1, time: "2026-12-01T21:29:58.0000000Z", method: "POST", path: "/v8/token", endpoint: "vb365.token", status: 200, duration_ms: 1.4 },
        { seq: 2, time: "2026-12-01T21:29:59.0000000Z", method: "GET", path: "/v8/ServiceInstance", endpoint: "vb365.service_instance", status: 401, duration_ms: 0.3 },
      ],
    },
  };
  const page = await context.newPage();
  await page.route(/\/__mock\/(clock|users|journal|routes)(\?.*)?$/, (route) => {
    const url = new URL(route.request().url());
    if (route.request().headers()["authorization"] !== `Bearer ${TOKEN}`) {
      return route.fulfill({ status: 401, body: "" });
    }
    return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(answers[url.pathname]) });
  });
  await page.goto(`${httpUrl}/__mock/`, { waitUntil: "load", timeout: TIMEOUT });
  await page.waitForFunction(() => document.getElementById("users").textContent.includes("admin token"), null, { timeout: TIMEOUT });
  ok("without the admin token the panels ask for it (401)");

  await page.fill("#admin-token", TOKEN);
  await page.click("#admin-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("clock-now").textContent.startsWith("2026-12-01T21:30"), null, { timeout: TIMEOUT });
  check((await page.textContent("#clock-mode")) === "frozen", "with the token the clock shows the time and mode");
  const users = await page.textContent("#users");
  check(users.includes("TECH\\administrator") && users.includes("PortalAdmin"), "the users of both products are listed");
  const journal = await page.textContent("#journal");
  check(journal.includes("/v8/ServiceInstance") && journal.includes("vb365.token") && journal.includes("2 request(s)"),
    "the recent requests are listed");

  const routes = await page.locator("#routes tr.route").allTextContents();
  check(routes.length === 2 && routes[0].includes("/v8/Jobs") && routes[0].includes("route.jobs") && routes[0].includes("2") &&
    routes[1].includes("DELETE") && routes[1].includes("roles: PortalAdmin, PortalOperator") && routes[1].includes("azure"),
    "the declared routes are listed with their method, path, product, auth and calls");

  await page.locator("#users tr.user", { hasText: "PortalAdmin" }).click();
  check((await page.inputValue("#product")) === "azure" && (await page.inputValue("#username")) === "administrator",
    "clicking a user fills the sign-in form");
  await page.screenshot({ path: path.join(outDir, "landing-admin.png"), fullPage: true });
  ok(`screenshot ${path.join(outDir, "landing-admin.png")}`);
  await page.close();
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "vam-chromium-"));
  const requests = [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreHTTPSErrors: true, // the mock's self-signed certificate
    viewport: { width: 1280, height: 900 },
  });
  context.on("request", (request) => requests.push(request.url()));
  try {
    await swagger(context);
    await landing(context);
    await landingWithAdminApi(context);
    const outside = requests.filter((url) => !isLocal(url));
    check(requests.length > 0 && outside.length === 0,
      `all ${requests.length} requests stayed on 127.0.0.1` + (outside.length ? `; left: ${outside.join(", ")}` : ""));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`browser: ${passed} passed, 0 failed`);
}

main().catch((err) => {
  console.error(`browser: FAILED: ${err.message}`);
  console.log(`browser: ${passed} passed, 1 failed`);
  process.exit(1);
});
