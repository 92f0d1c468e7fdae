// Mints session cookies with the real next-auth v4 and @auth/core (Auth.js v5) packages, for the
// server's tests. Run from this folder:  npm install && node mint-sessions.mjs > ../resources/auth/sessions.json
// The secrets below are test fixtures, made for these tests and used nowhere else.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { encode as encodeV4 } from "next-auth/jwt";
import { encode as encodeV5 } from "@auth/core/jwt";

const require = createRequire(import.meta.url);
// next-auth's own cookie chunking (not in its public exports; loaded by path)
const nextAuthRoot = path.dirname(path.dirname(require.resolve("next-auth/jwt")));
const { SessionStore } = require(path.join(nextAuthRoot, "core/lib/cookie.js"));
const versionOf = (root) => JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;

const SECRET = "test-only-nextauth-secret-4f7c1e9a2b";
const OTHER_SECRET = "test-only-some-other-app-secret-77d0";
const OLD_SECRET = "test-only-previous-secret-before-rotation-19ab";
const TEN_YEARS = 10 * 365 * 24 * 3600;
const V4 = "next-auth.session-token";
const V4_SECURE = "__Secure-next-auth.session-token";
const V5 = "authjs.session-token";
const V5_SECURE = "__Secure-authjs.session-token";

const players = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

function claims(id, extra = {}) {
  const name = id.charAt(0).toUpperCase() + id.slice(1);
  return { sub: `user-${id}`, name, email: `${id}@example.test`, picture: null, ...extra };
}

/** The cookies next-auth itself would set for this value: one, or NAME.0, NAME.1, ... chunks. */
function cookies(name, value) {
  const quiet = { debug() {}, warn() {}, error() {} };
  const store = new SessionStore({ name, options: {} }, { cookies: {} }, quiet);
  return store.chunk(value, {}).map((c) => ({ name: c.name, value: c.value }));
}

function tamper(token) {
  const parts = token.split(".");
  const body = parts[3];
  const i = Math.floor(body.length / 2);
  parts[3] = body.slice(0, i) + (body[i] === "A" ? "B" : "A") + body.slice(i + 1);
  return parts.join(".");
}

const sessions = {};
for (const id of players) {
  const token = await encodeV4({ token: claims(id), secret: SECRET, maxAge: TEN_YEARS });
  sessions[id] = { sub: `user-${id}`, name: claims(id).name, cookies: cookies(V4, token) };
}

const alice = claims("alice");
const valid = await encodeV4({ token: alice, secret: SECRET, maxAge: TEN_YEARS });
const cases = {
  valid: cookies(V4, valid),
  validSecureName: cookies(V4_SECURE, valid),
  expired: cookies(V4, await encodeV4({ token: alice, secret: SECRET, maxAge: -3600 })),
  wrongSecret: cookies(V4, await encodeV4({ token: alice, secret: OTHER_SECRET, maxAge: TEN_YEARS })),
  tampered: cookies(V4, tamper(valid)),
  noSubject: cookies(V4, await encodeV4({ token: { name: "Nobody" }, secret: SECRET, maxAge: TEN_YEARS })),
  // a big session (many claims) that next-auth splits into three cookies
  chunked: cookies(V4, await encodeV4({
    token: claims("alice", { roles: Array.from({ length: 700 }, (_, i) => `role-${i}`) }),
    secret: SECRET, maxAge: TEN_YEARS })),
  v5: cookies(V5, await encodeV5({ token: alice, secret: SECRET, salt: V5, maxAge: TEN_YEARS })),
  v5SecureName: cookies(V5_SECURE, await encodeV5({ token: alice, secret: SECRET, salt: V5_SECURE, maxAge: TEN_YEARS })),
  v5Expired: cookies(V5, await encodeV5({ token: alice, secret: SECRET, salt: V5, maxAge: -3600 })),
  rotated: cookies(V4, await encodeV4({ token: alice, secret: OLD_SECRET, maxAge: TEN_YEARS })),
  v5Rotated: cookies(V5, await encodeV5({ token: alice, secret: OLD_SECRET, salt: V5, maxAge: TEN_YEARS })),
};

console.log(JSON.stringify({
  comment: "Test fixtures minted by server/src/test/node/mint-sessions.mjs with the real packages; secrets are for tests only",
  mintedWith: {
    "next-auth": versionOf(nextAuthRoot),
    "@auth/core": versionOf(path.join(nextAuthRoot, "..", "@auth", "core")),
  },
  secret: SECRET,
  otherSecret: OTHER_SECRET,
  previousSecret: OLD_SECRET,
  validUntil: new Date((Math.floor(Date.now() / 1000) + TEN_YEARS) * 1000).toISOString(),
  players: sessions,
  cases,
}, null, 2));
