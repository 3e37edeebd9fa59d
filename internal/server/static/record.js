// The portal's record check. In the client's own browser it verifies the workspace's signed tree
// head (a C2SP signed note, Ed25519) and that the tree only grew since this browser last looked
// (an RFC 9162 consistency proof). Nothing the server says counts unless it is signed or proven.
"use strict";
(function () {
  const utf8 = new TextEncoder();
  const HASH = 32; // SHA-256

  // fromBase64 decodes standard padded base64, refusing any text that does not re-encode the same.
  function fromBase64(s) {
    if (typeof s !== "string") throw new Error("not base64");
    const b = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    if (toBase64(b) !== s) throw new Error("not canonical base64: " + s);
    return b;
  }
  const toBase64 = (b) => btoa(String.fromCharCode(...b));
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  async function sha256(...parts) {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  }

  const ED25519 = { name: "Ed25519" };
  const importKey = (raw) => crypto.subtle.importKey("raw", raw, ED25519, false, ["verify"]);

  // verifyNote checks the signed note against the verifier key and reads the checkpoint it signs:
  // {origin, size, root}. It rejects unless a signature by exactly that key holds.
  async function verifyNote(noteText, vkey) {
    // The key is name+hash+base64(0x01 || public key); base64 may hold '+', so split twice only.
    const i = vkey.indexOf("+"), j = vkey.indexOf("+", i + 1);
    if (i < 1 || j < 0) throw new Error("the key is not name+hash+key");
    const name = vkey.slice(0, i), hash = vkey.slice(i + 1, j), raw = fromBase64(vkey.slice(j + 1));
    if (/\s/.test(name) || !/^[0-9a-f]{8}$/.test(hash) || raw.length !== 33 || raw[0] !== 1) {
      throw new Error("the key is not an Ed25519 verifier key");
    }
    // Its hash is the first 4 bytes of SHA-256(name "\n" 0x01 key): it must be the one written.
    const id = (await sha256(utf8.encode(name + "\n"), raw)).subarray(0, 4);
    if (toHex(id) !== hash) throw new Error("the key's hash does not match its name and key");

    // The note is its text (ending in "\n"), a blank line, then lines "— name base64(hash sig)".
    const split = noteText.lastIndexOf("\n\n");
    if (split < 0 || !noteText.endsWith("\n")) throw new Error("the note has no signatures");
    const text = noteText.slice(0, split + 1);
    const key = await importKey(raw.subarray(1));
    let signed = false;
    for (const line of noteText.slice(split + 2, -1).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m) throw new Error("a signature line is malformed");
      const sig = fromBase64(m[2]);
      if (m[1] !== name || !equal(sig.subarray(0, 4), id)) continue; // another key's signature
      // A signature that claims this key must hold, over the text with its final newline.
      if (sig.length !== 4 + 64 || !(await crypto.subtle.verify(ED25519, key, sig.subarray(4), utf8.encode(text)))) {
        throw new Error("the signature does not hold");
      }
      signed = true;
    }
    if (!signed) throw new Error("the note has no signature by " + name);

    // The checkpoint: origin (the key's name), decimal size, base64 root hash; extensions may follow.
    const [origin, size, root] = text.split("\n");
    if (origin !== name) throw new Error("the checkpoint is not of the key's origin");
    if (!/^(0|[1-9][0-9]*)$/.test(size || "") || !Number.isSafeInteger(Number(size))) {
      throw new Error("the checkpoint's size is not a number");
    }
    const rootHash = fromBase64(root || "");
    if (rootHash.length !== HASH) throw new Error("the checkpoint's root is not a SHA-256");
    return { origin, size: Number(size), root: rootHash };
  }

  // verifyConsistency checks that the tree (size1, root1) is a prefix of the tree (size2, root2),
  // after RFC 9162 §2.1.4.2. A tree of no leaves proves nothing, so size1 must be at least 1.
  async function verifyConsistency(size1, root1, size2, root2, proof) {
    const hashes = [root1, root2, ...proof];
    if (hashes.some((h) => !(h instanceof Uint8Array) || h.length !== HASH)) return false;
    let first = BigInt(size1), second = BigInt(size2);
    if (first < 1n || first > second) return false;
    if (first === second) return proof.length === 0 && equal(root1, root2);
    if (proof.length === 0) return false;
    const path = (first & (first - 1n)) === 0n ? [root1, ...proof] : proof; // a power of two
    let fn = first - 1n, sn = second - 1n;
    while (fn & 1n) { fn >>= 1n; sn >>= 1n; }
    let fr = path[0], sr = path[0];
    const node = (l, r) => sha256(Uint8Array.of(1), l, r);
    for (const c of path.slice(1)) {
      if (sn === 0n) return false;
      if ((fn & 1n) || fn === sn) {
        fr = await node(c, fr);
        sr = await node(c, sr);
        while (!(fn & 1n) && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        sr = await node(sr, c);
      }
      fn >>= 1n; sn >>= 1n;
    }
    return sn === 0n && equal(fr, root1) && equal(sr, root2);
  }

  // RFC 8032's first test public key: importing it tells whether this browser has Ed25519 at all.
  async function hasEd25519() {
    if (!window.crypto || !crypto.subtle) return false;
    try {
      await importKey(fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="));
      return true;
    } catch (e) {
      return false; // NotSupportedError, typically: no check is possible, so none is claimed
    }
  }

  // The last head this browser verified, {size, root, key}; a kept head that is not valid throws.
  function loadHead(key) {
    let s = null;
    try { s = localStorage.getItem(key); } catch (e) { return null; } // storage is off
    if (s === null) return null;
    const h = JSON.parse(s);
    const root = fromBase64(h.root);
    if (!Number.isSafeInteger(h.size) || h.size < 1 || root.length !== HASH) {
      throw new Error("the kept head is not valid");
    }
    if (h.key !== undefined && typeof h.key !== "string") throw new Error("the kept key is not valid");
    return { size: h.size, root, key: h.key };
  }

  function keepHead(key, head, vkey) {
    try {
      localStorage.setItem(key, JSON.stringify({ size: head.size, root: toBase64(head.root), key: vkey }));
    } catch (e) { /* storage is off or full: the next visit is a first one */ }
  }

  async function fetchAnswer(api, kept) {
    const url = kept ? api + (api.includes("?") ? "&" : "?") + "since=" + kept.size : api;
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error("the record answered " + res.status);
    return res.json();
  }

  // judge compares the server's answer with the kept head; any doubt throws, which reads broken.
  async function judge(a, origin, kept) {
    const head = await verifyNote(a.checkpoint, a.key);
    // The unsigned fields are only a convenience; they must say what the signed text says.
    if (head.origin !== origin || a.origin !== origin || a.size !== head.size || a.root !== toBase64(head.root)) {
      throw new Error("the answer's fields differ from its signed checkpoint");
    }
    if (!kept) return { state: "first", keep: head.size > 0 ? head : null };
    // The key is the one this browser saw before: a record signed by another is not the same one.
    if (kept.key !== undefined && kept.key !== a.key) return { state: "broken" };
    if (head.size < kept.size) return { state: "broken" }; // the tree lost leaves
    if (head.size === kept.size) return { state: equal(head.root, kept.root) ? "same" : "broken" };
    const proof = a.consistency === null ? [] : a.consistency;
    if (!Array.isArray(proof)) throw new Error("the consistency proof is not a list");
    const grown = await verifyConsistency(kept.size, kept.root, head.size, head.root, proof.map(fromBase64));
    if (!grown) return { state: "broken" };
    return { state: "grown", keep: head, vars: { then: kept.size, now: head.size } };
  }

  // checkAll runs the whole check for the section and shows its verdict; it resolves to the state.
  async function checkAll(section) {
    const show = (state, vars = {}) => {
      let msg = section.getAttribute("data-msg-" + state) || "";
      for (const [k, v] of Object.entries(vars)) msg = msg.split("{" + k + "}").join(String(v));
      const out = section.querySelector(".record-result");
      if (out) out.textContent = msg;
      section.setAttribute("data-state", state);
      return state;
    };
    if (!(await hasEd25519())) return show("unsupported");
    const origin = section.getAttribute("data-origin");
    const key = "accord.record." + origin;
    let kept, answer;
    try { kept = loadHead(key); } catch (e) { return show("broken"); }
    try { answer = await fetchAnswer(section.getAttribute("data-api"), kept); } catch (e) { return show("error"); }
    let verdict;
    try { verdict = await judge(answer, origin, kept); } catch (e) { verdict = { state: "broken" }; }
    if (verdict.keep) keepHead(key, verdict.keep, answer.key); // never on broken: the alarm stays
    return show(verdict.state, verdict.vars);
  }

  window.accordRecord = { verifyNote, verifyConsistency, checkAll };

  function start() {
    const section = document.getElementById("record-check");
    if (section) checkAll(section);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
