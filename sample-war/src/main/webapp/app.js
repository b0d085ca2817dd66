// TokenGate sample page: plain JavaScript, no build step.
// The access token lives in this variable only (never in storage); the refresh token is an httpOnly cookie that
// the browser sends to /oauth/* by itself. Every request of this cookie-mode client to the token and revocation
// endpoints must carry X-TokenGate-Refresh: 1 (a cross-site form cannot), and the server checks the Origin.
"use strict";

const CLIENT_ID = "demo-spa";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const tabs = new BroadcastChannel("tokengate-sample"); // tells the other tabs about new tokens and sign-outs
let accessToken = null;
let expiresAt = 0;     // ms since the epoch
let lifetime = 0;      // ms
let refreshTimer = null;
let refreshes = 0;

const $ = (id) => document.getElementById(id);

function show(signedIn, user) {
  $("signin").classList.toggle("hidden", signedIn);
  $("session").classList.toggle("hidden", !signedIn);
  $("status").textContent = signedIn ? "Signed in as " + user : "Signed out";
}

function claims(jwt) {
  return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}

// Keeps a token response and schedules the next silent refresh a little before expiry.
function accept(body, fromOtherTab) {
  accessToken = body.access_token;
  lifetime = body.expires_in * 1000;
  expiresAt = Date.now() + lifetime;
  show(true, claims(accessToken).sub);
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh(false), Math.max(0, lifetime - margin()));
  if (!fromOtherTab) {
    tabs.postMessage({ type: "token", body: body });
  }
}

function margin() {
  return Math.min(30000, lifetime / 3);
}

function signedOut(message) {
  accessToken = null;
  expiresAt = 0;
  clearTimeout(refreshTimer);
  show(false);
  $("message").textContent = message || "";
}

async function signIn(event) {
  event.preventDefault();
  const body = new URLSearchParams({ grant_type: "password", client_id: CLIENT_ID,
    username: $("username").value, password: $("password").value });
  // every request of a cookie-mode client carries the CSRF header: its answers set the refresh cookie
  const r = await fetch("/oauth/token", { method: "POST", headers: { ...FORM, "X-TokenGate-Refresh": "1" }, body: body });
  const json = await r.json();
  if (r.ok) {
    accept(json);
  } else {
    $("message").textContent = json.error_description || json.error;
  }
}

// One refresh at a time across all tabs of this origin (Web Locks; pages served over http://localhost or
// HTTPS have them): a tab that waited for the lock first looks whether another tab already got a fresh token.
// `force` refreshes anyway (the "Refresh now" button, a 401 from the API).
function exclusively(work) {
  return navigator.locks ? navigator.locks.request("tokengate-refresh", work) : work();
}

let retryDelay = 1000;

async function refresh(force, quiet) {
  await exclusively(async () => {
    if (!force && accessToken && expiresAt - Date.now() > margin()) {
      return; // another tab refreshed while we waited
    }
    let r;
    try {
      r = await fetch("/oauth/token", { method: "POST", credentials: "same-origin", signal: AbortSignal.timeout(10000),
        headers: { ...FORM, "X-TokenGate-Refresh": "1" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: CLIENT_ID }) });
    } catch (e) {
      r = null; // the server is unreachable or too slow
    }
    if (r && r.ok) {
      refreshes++;
      retryDelay = 1000;
      $("refresh-count").textContent = refreshes;
      accept(await r.json());
    } else if (r && (r.status === 400 || r.status === 401)) {
      signedOut(quiet ? "" : "Your session ended; sign in again.");
    } else if (accessToken || !quiet) {
      // 503 or no answer: the refresh token is untouched; try again soon, backing off up to 30 s
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => refresh(true), retryDelay);
      retryDelay = Math.min(30000, retryDelay * 2);
    }
  });
}

// Calls the API with the access token; a 401 (expired meanwhile, the timer slept with the laptop) refreshes once
// and tries again.
async function api(path, options) {
  const call = () => fetch(path, { ...(options || {}),
    headers: { ...((options || {}).headers || {}), ...(accessToken ? { Authorization: "Bearer " + accessToken } : {}) } });
  let r = await call();
  if (r.status === 401 && accessToken) {
    await refresh(true);
    if (accessToken) {
      r = await call();
    }
  }
  return r;
}

async function callSecret() {
  const r = await api("/secret");
  $("secret-result").textContent = r.ok ? (await r.text()).trim() : "HTTP " + r.status;
}

async function showDevices() {
  const r = await api("/me/devices");
  const list = $("devices");
  list.innerHTML = "";
  if (!r.ok) {
    list.textContent = "HTTP " + r.status;
    return;
  }
  for (const d of (await r.json()).devices) {
    const li = document.createElement("li");
    li.textContent = (d.this_device ? "this device: " : "") + d.client_id + ", signed in " + d.signed_in_at + ", last used "
        + d.last_used_at + ", " + (d.user_agent || "unknown browser") + " from " + d.address;
    list.appendChild(li);
  }
}

async function signOutEverywhere() {
  const r = await api("/me/sign-out-everywhere", { method: "POST" });
  if (!r.ok) {
    $("message").textContent = "Sign-out everywhere failed (HTTP " + r.status + "); try again.";
    return;
  }
  await exclusively(async () => {
    // also drop this browser's (now revoked) refresh cookie; under the lock, so no tab's refresh lands after it
    await fetch("/oauth/revoke", { method: "POST", credentials: "same-origin", headers: { ...FORM, "X-TokenGate-Refresh": "1" },
      body: new URLSearchParams({ client_id: CLIENT_ID }) });
    tabs.postMessage({ type: "signed-out" });
    signedOut("Signed out everywhere.");
  });
}

tabs.onmessage = (event) => {
  if (event.data.type === "token") {
    accept(event.data.body, true);
  } else if (event.data.type === "signed-out") {
    signedOut("Signed out everywhere.");
  }
};

setInterval(() => {
  $("expires-in").textContent = accessToken ? Math.max(0, Math.round((expiresAt - Date.now()) / 1000)) : "–";
}, 500);

$("signin-form").addEventListener("submit", signIn);
$("call-secret").addEventListener("click", callSecret);
$("refresh-now").addEventListener("click", () => refresh(true));
$("show-devices").addEventListener("click", showDevices);
$("sign-out-everywhere").addEventListener("click", signOutEverywhere);

// Timers sleep with the laptop: coming back to the tab refreshes when the token is (nearly) expired.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && accessToken && expiresAt - Date.now() < margin()) {
    refresh(false);
  }
});

// A new tab (or a reload) signs in silently when the browser still holds a refresh cookie.
refresh(true, true);
