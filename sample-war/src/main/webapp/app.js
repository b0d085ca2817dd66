// TokenGate sample page: plain JavaScript, no build step.
// It signs in with the authorization code flow and PKCE. The access token lives in a variable only (never in storage);
// the refresh token is an httpOnly cookie that the browser sends to /oauth/* by itself; both are bound to this
// browser's DPoP key. Every request of this cookie-mode client to the token and revocation endpoints must carry
// X-TokenGate-Refresh: 1 (a cross-site form cannot), and the server checks the Origin.
"use strict";

const CLIENT_ID = "demo-spa";
const REDIRECT_URI = location.origin + "/";
const TOKEN_ENDPOINT = location.origin + "/oauth/token";
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

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const utf8 = (text) => new TextEncoder().encode(text);
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));

// The DPoP key (RFC 9449): a P-256 key pair made once per browser, its private key non-extractable (script can sign
// with it, never read it), kept in IndexedDB so reloads and other tabs sign with the same key. Tokens are bound to it:
// a stolen access token or refresh cookie is useless without it.
function keyStore(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("tokengate-sample", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("keys");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("keys", mode);
      const req = work(tx.objectStore("keys"));
      tx.oncomplete = () => resolve(req && req.result);
      tx.onerror = () => reject(tx.error);
    };
  });
}

let dpopKey = null;

async function dpopKeyPair(create) {
  if (!dpopKey) {
    dpopKey = await keyStore("readonly", (s) => s.get("dpop"));
  }
  if (!dpopKey && create) {
    dpopKey = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    await keyStore("readwrite", (s) => s.put(dpopKey, "dpop"));
  }
  return dpopKey;
}

// A DPoP proof for one request: typ dpop+jwt, ES256, the public key in the header; htm, htu, iat, a fresh jti, and
// for a resource the hash of the access token (ath).
async function proof(method, url, token) {
  const keys = await dpopKeyPair(true);
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } };
  const payload = { jti: random(16), htm: method, htu: url.split("?")[0], iat: Math.floor(Date.now() / 1000) };
  if (token) {
    payload.ath = b64url(await crypto.subtle.digest("SHA-256", utf8(token)));
  }
  const input = b64url(utf8(JSON.stringify(header))) + "." + b64url(utf8(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, utf8(input));
  return input + "." + b64url(signature);
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

// Sign in: the authorization code flow with PKCE (RFC 7636). The user signs in on the server's login page, which
// sends the browser back here with a code; the verifier and state wait in sessionStorage for that moment.
async function signIn(event) {
  event.preventDefault();
  const verifier = random(32);
  const state = random(16);
  sessionStorage.setItem("tokengate-login", JSON.stringify({ verifier, state }));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", utf8(verifier)));
  location.assign("/oauth/authorize?" + new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: REDIRECT_URI,
    state, code_challenge: challenge, code_challenge_method: "S256" }));
}

// Back from the login page: the code for tokens, if the state is ours and the issuer the one we sent the user to
// (RFC 9207). The URL loses the code at once, so neither history nor a reload shows it.
async function completeSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem("tokengate-login") || "null");
  sessionStorage.removeItem("tokengate-login");
  history.replaceState(null, "", "/");
  if (!pending || params.get("state") !== pending.state || params.get("iss") !== location.origin) {
    $("message").textContent = "The sign-in response was not for this page; sign in again.";
    return;
  }
  if (params.has("error")) {
    $("message").textContent = params.get("error_description") || params.get("error");
    return;
  }
  // every request of a cookie-mode client carries the CSRF header: its answers set the refresh cookie
  const r = await fetch(TOKEN_ENDPOINT, { method: "POST", headers: { ...FORM, "X-TokenGate-Refresh": "1",
    DPoP: await proof("POST", TOKEN_ENDPOINT) }, body: new URLSearchParams({ grant_type: "authorization_code", client_id: CLIENT_ID,
    code: params.get("code"), redirect_uri: REDIRECT_URI, code_verifier: pending.verifier }) });
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
    if (!(await dpopKeyPair(false))) {
      return signedOut(quiet ? "" : "Sign in first."); // no key, no session this browser could continue
    }
    let r;
    try {
      r = await fetch(TOKEN_ENDPOINT, { method: "POST", credentials: "same-origin", signal: AbortSignal.timeout(10000),
        headers: { ...FORM, "X-TokenGate-Refresh": "1", DPoP: await proof("POST", TOKEN_ENDPOINT) },
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

// Calls the API with the access token, which is DPoP-bound: "Authorization: DPoP" and a proof for this request; a 401
// (expired meanwhile, the timer slept with the laptop) refreshes once and tries again.
async function api(path, options) {
  const method = (options && options.method) || "GET";
  const call = async () => fetch(path, { ...(options || {}), headers: { ...((options || {}).headers || {}),
    ...(accessToken ? { Authorization: "DPoP " + accessToken, DPoP: await proof(method, location.origin + path, accessToken) } : {}) } });
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

// Back from the login page with a code; otherwise a new tab (or a reload) signs in silently when the browser still
// holds a refresh cookie (and the key it is bound to).
const returned = new URLSearchParams(location.search);
if (returned.has("code") || returned.has("error")) {
  completeSignIn(returned);
} else {
  refresh(true, true);
}
