// A native app written with oauth4webapi, a strict OAuth 2.0 client library, against the sample at argv[2]:
// discovery, authorization code with PKCE, DPoP-bound tokens, a protected-resource call and a DPoP-bound
// refresh. The user's part (TokenGate's login page and the consent page) is played by posting the forms the
// way a browser would. Prints one JSON line of what it saw; OAuth4WebApiInteropIT asserts on it. Any check
// oauth4webapi makes that the server fails throws, and the script exits 1 with the library's message.
import * as oauth from 'oauth4webapi';

const base = process.argv[2];
const issuer = new URL(base);
const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback
const redirectUri = 'http://127.0.0.1:8765/callback';
const client = { client_id: 'demo-native' };
const clientAuth = oauth.None();
const seen = {};

// --- discovery (RFC 8414), the issuer checked by the library
const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
seen.issuer = as.issuer;
seen.dpopAlgorithms = as.dpop_signing_alg_values_supported;

// --- the authorization request: PKCE S256, state
const verifier = oauth.generateRandomCodeVerifier();
const state = oauth.generateRandomState();
const authorize = new URL(as.authorization_endpoint);
for (const [k, v] of Object.entries({
  response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, state,
  code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
})) {
  authorize.searchParams.set(k, v);
}

// --- the user's browser: a cookie jar, no automatic redirects
const jar = new Map();
async function browse(url, form) {
  const headers = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = issuer.origin;
    body = new URLSearchParams(form).toString();
  }
  const r = await fetch(url, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  const location = r.headers.get('location');
  return { status: r.status, location: location && new URL(location, url).href, html: await r.text() };
}
const unescape = (s) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
function formOf(page, url) {
  const action = /<form[^>]*action="([^"]*)"/.exec(page.html);
  if (!action) throw new Error(`no form on ${url}: ${page.status} ${page.html.slice(0, 300)}`);
  const fields = {};
  for (const m of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[m[1]] = unescape(m[2]);
  return { action: new URL(unescape(action[1]), url).href, fields };
}

let step = await browse(authorize.href);
seen.authorizeStatus = step.status;
const loginUrl = step.location;
const login = formOf(await browse(loginUrl), loginUrl);
step = await browse(login.action, { ...login.fields, username: 'alice', password: 'alice-password' });
seen.loginStatus = step.status;
const consentUrl = step.location;
const consentPage = await browse(consentUrl);
seen.consentPageShown = consentPage.status === 200 && consentPage.html.includes('demo-native');
const consent = formOf(consentPage, consentUrl);
step = await browse(consent.action, { ...consent.fields, consent: 'approve' });
seen.callback = step.location.split('?')[0];

// --- the redirect back: state and iss (RFC 9207) checked by the library
const callbackParams = oauth.validateAuthResponse(as, client, new URL(step.location), state);

// --- the code for DPoP-bound tokens
const key = await oauth.generateKeyPair('ES256');
const DPoP = oauth.DPoP(client, key);
const tokens = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, callbackParams, redirectUri, verifier, { DPoP, ...insecure }));
seen.tokenType = tokens.token_type;
seen.refreshTokenIssued = typeof tokens.refresh_token === 'string';
const jwk = await crypto.subtle.exportKey('jwk', key.publicKey); // RFC 7638 thumbprint of the proof key
const jkt = Buffer.from(await crypto.subtle.digest('SHA-256',
    new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })))).toString('base64url');
seen.cnfMatchesKey = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url')).cnf?.jkt === jkt;

// --- the protected resource, Authorization: DPoP with a proof carrying ath
async function secret(accessToken) {
  const r = await oauth.protectedResourceRequest(accessToken, 'GET', new URL('/secret', base), new Headers(), null, { DPoP, ...insecure });
  return `${r.status} ${(await r.text()).trim()}`;
}
seen.secret = await secret(tokens.access_token);

// --- a DPoP-bound refresh: a proof from the same key, the token rotated
const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token, { DPoP, ...insecure }));
seen.refreshedTokenType = refreshed.token_type;
seen.rotated = refreshed.refresh_token !== tokens.refresh_token;
seen.secretAfterRefresh = await secret(refreshed.access_token);

// --- the same library with another key: the bound refresh token is refused
const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
try {
  await oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token, { DPoP: thief, ...insecure }));
  seen.otherKeyRefresh = 'tokens issued';
} catch (e) {
  seen.otherKeyRefresh = e instanceof oauth.ResponseBodyError ? e.error : `${e.name}: ${e.message}`;
}

// --- the holder of the key still refreshes: the refused attempt consumed nothing
const again = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token, { DPoP, ...insecure }));
seen.secretAfterSecondRefresh = await secret(again.access_token);

console.log(JSON.stringify(seen));
