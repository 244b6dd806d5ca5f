"""公示/检查码核验.html: one static page a business opens on its phone, offline, to verify its 检查码.

No network and no server: the public chain (公示/承诺链.json) is embedded, SHA-256 is the browser's own
(WebCrypto; a small JavaScript SHA-256 stands in where the page is not a secure context), and the verdicts are
those of `verify-code` (docs/commitment.md). A code comes in by paste, by the URL fragment
(检查码核验.html#JCM1-…), or — where the browser has the built-in BarcodeDetector (Chrome on Android) — by
scanning with the camera or from a photo; no QR library is bundled, so elsewhere the phone's own scanner reads the
QR code and the text is pasted.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from planner.export.codes import PUBLIC_FOLDER, public_chain_json, visit_codes
from planner.export.context import ExportContext
from planner.export.formatting import period_label, write_files

PAGE_NAME = "检查码核验.html"


def write_verifier_page(context: ExportContext, out: Path) -> list[Path]:
    if not visit_codes(context):
        return []
    return write_files(out / PUBLIC_FOLDER, [(PAGE_NAME, verifier_page(context).encode("utf-8"))])


def verifier_page(context: ExportContext) -> str:
    chain = json.dumps(public_chain_json(context), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    title = f"{period_label(context.period)} 检查码核验"
    return PAGE.replace("{{TITLE}}", html.escape(title)).replace("{{CHAIN}}", chain)


PAGE = r"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; media-src blob: mediastream:">
<title>{{TITLE}}</title>
<style>
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; padding: 16px;
       max-width: 40em; margin: 0 auto; line-height: 1.5; color: #222; font-size: 16px; }
h1 { font-size: 1.3em; margin: 0.2em 0 0.5em; }
textarea, input[type=text] { width: 100%; box-sizing: border-box; font-family: monospace; font-size: 14px;
       padding: 8px; border: 1px solid #888; border-radius: 6px; }
textarea { height: 7em; word-break: break-all; }
button, label.button { display: inline-block; font-size: 1em; padding: 10px 18px; margin: 8px 8px 0 0; border: 0;
       border-radius: 6px; background: #1f5fa8; color: #fff; cursor: pointer; }
button.secondary, label.button { background: #e8eef6; color: #1f5fa8; }
#verdict { margin: 16px 0; padding: 12px; border-radius: 8px; font-weight: bold; display: none; }
#verdict.valid { display: block; background: #e3f4e6; color: #135c22; border: 2px solid #2e8b40; }
#verdict.superseded { display: block; background: #fff3dd; color: #7a4a00; border: 2px solid #d48a00; }
#verdict.invalid { display: block; background: #fde7e7; color: #8f1010; border: 2px solid #c62828; }
dl { margin: 0; } dt { color: #666; font-size: 0.9em; margin-top: 8px; } dd { margin: 0; }
.note { color: #555; font-size: 0.9em; } .root { font-family: monospace; word-break: break-all; font-size: 0.85em; }
video { width: 100%; display: none; margin-top: 8px; }
</style>
</head>
<body>
<h1>{{TITLE}}</h1>
<p class="note">本页离线运行：不联网，不上传任何内容。把检查通知书上的检查码粘贴到下面（或扫描二维码），
即可核对这次检查是否在公示的抽查计划中，检查人员、事项和日期是否与计划一致。</p>
<textarea id="code" placeholder="粘贴检查码：JCM1-…" autocomplete="off" spellcheck="false"></textarea>
<div>
<button id="check" type="button">核验</button>
<button id="scan" type="button" class="secondary" hidden>扫码</button>
<label id="photo-label" class="button" hidden>拍照识别<input id="photo" type="file" accept="image/*" capture="environment" hidden></label>
</div>
<video id="camera" playsinline muted></video>
<div id="verdict" role="status"></div>
<dl id="fields"></dl>
<details>
<summary class="note">公示的方案承诺值</summary>
<p class="note">本页所含承诺链的最新承诺值（应与公示中印的“方案承诺值”一致）：</p>
<p class="root" id="latest"></p>
<p class="note">如公示的承诺值与上面不同，请填入公示中的值再核验：</p>
<input type="text" id="root" placeholder="64 位十六进制承诺值（可不填）" autocomplete="off" spellcheck="false">
</details>
<script type="application/json" id="chain">{{CHAIN}}</script>
<script>
"use strict";
const CHAIN = JSON.parse(document.getElementById("chain").textContent);
const KIND_WORDS = {plan: "生成方案", replan: "重排", results: "导入检查结果", publish: "结果公示"};
const FIELD_WORDS = {visit_id: "检查编号", week: "检查周", credit_code: "统一社会信用代码", business: "被检查单位",
  lead: "牵头部门", joining: "配合部门", item: "检查事项", officer: "检查人员", kind: "检查类型"};
const KIND_NAMES = {routine: "双随机抽查", urgent: "临时增加的检查", recheck: "整改复查"};
const $ = id => document.getElementById(id);

// --- SHA-256: the browser's WebCrypto; a plain implementation only where WebCrypto is not offered --------------
const K = new Uint32Array([0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
  0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,
  0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,
  0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,
  0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
  0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,
  0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2]);
function sha256Plain(data) {
  const n = ((data.length + 9 + 63) >> 6) << 6, m = new Uint8Array(n);
  m.set(data); m[data.length] = 0x80;
  const bits = data.length * 8, v = new DataView(m.buffer);
  v.setUint32(n - 8, Math.floor(bits / 2 ** 32)); v.setUint32(n - 4, bits >>> 0);
  const h = new Uint32Array([0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19]);
  const w = new Uint32Array(64), r = (x, k) => (x >>> k) | (x << (32 - k));
  for (let o = 0; o < n; o += 64) {
    for (let i = 0; i < 16; i++) w[i] = v.getUint32(o + 4 * i);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      w[i] = (r(a, 7) ^ r(a, 18) ^ (a >>> 3)) + w[i - 7] + (r(b, 17) ^ r(b, 19) ^ (b >>> 10)) + w[i - 16];
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = hh + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i] >>> 0;
      const t2 = (r(a, 2) ^ r(a, 13) ^ r(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)) >>> 0;
      hh = g; g = f; f = e; e = d + t1 >>> 0; d = c; c = b; b = a; a = t1 + t2 >>> 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((x, i) => { h[i] = h[i] + x >>> 0; });
  }
  const out = new Uint8Array(32), ov = new DataView(out.buffer);
  h.forEach((x, i) => ov.setUint32(4 * i, x));
  return out;
}
const subtle = window.crypto && window.crypto.subtle;
async function sha256(bytes) {
  return subtle ? new Uint8Array(await subtle.digest("SHA-256", bytes)) : sha256Plain(bytes);
}
const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
const unhex = text => new Uint8Array(text.match(/../g).map(p => parseInt(p, 16)));
const utf8 = text => new TextEncoder().encode(text);
const join = (...parts) => { const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0)); let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; } return out; };
const leafHash = async payload => hex(await sha256(join(new Uint8Array([0]), payload)));
const nodeHash = async (l, r) => hex(await sha256(join(new Uint8Array([1]), unhex(l), unhex(r))));

// --- the tree (RFC 9162) --------------------------------------------------------------------------------------
const split = n => 2 ** Math.floor(Math.log2(n - 1));
async function treeRoot(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(await treeRoot(leaves.slice(0, k)), await treeRoot(leaves.slice(k)));
}
async function rootFromPath(leaf, index, size, path) {
  if (index >= size) return null;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if ((fn & 1) || fn === sn) {
      r = await nodeHash(p, r);
      while (!(fn & 1) && fn !== 0) { fn >>>= 1; sn >>>= 1; }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>>= 1; sn >>>= 1;
  }
  return sn === 0 ? r : null;
}
async function chainIsSound() {  // every root follows from the leaves the chain lists
  let current = new Set();
  for (const link of CHAIN.links) {
    if (!("state_leaf" in link)) continue;
    for (const leaf of link.removed_leaves) { if (!current.has(leaf)) return false; current.delete(leaf); }
    for (const leaf of link.added_leaves) current.add(leaf);
    const leaves = Array.from(current).sort();
    leaves.push(link.state_leaf);
    if (await treeRoot(leaves) !== link.commitment) return false;
  }
  return true;
}

// --- the code -------------------------------------------------------------------------------------------------
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(text) {
  const out = []; let bits = 0, value = 0;
  for (const ch of text) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error("检查码中有不属于检查码的字符，或缺了一部分（请完整复制）");
    value = (value << 5) | v; bits += 5;
    if (bits >= 8) { bits -= 8; out.push((value >>> bits) & 255); }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) throw new Error("检查码的最后几位不对（请完整复制，或重新扫描）");
  return new Uint8Array(out);
}
function unescapeValue(value) {
  return value.replace(/\\(.)/g, (_, c) => ({"\\": "\\", n: "\n", r: "\r", t: "\t"})[c] ?? "\\" + c);
}
function parseCode(text) {
  let t = text.replace(/\s+/g, "").toUpperCase().replace(/^检查码[：:]/, "");
  if (!t.startsWith("JCM1-")) throw new Error("检查码应以 JCM1- 开头");
  const body = base32(t.slice(5)); let at = 0;
  const take = n => { if (at + n > body.length) throw new Error("检查码不完整或已损坏（请完整复制，或重新扫描）");
    const part = body.slice(at, at + n); at += n; return part; };
  const form = take(1)[0], dv = new DataView(take(8).buffer);
  if (form > 1) throw new Error("检查码不完整或已损坏（请完整复制，或重新扫描）");
  const code = {index: dv.getUint32(0), size: dv.getUint32(4), root: hex(take(32)), salt: hex(take(16))};
  if (form === 1) { code.dateSalt = hex(take(16)); code.day = new TextDecoder().decode(take(10)); }
  else code.dateSha256 = hex(take(32));
  const n = take(1)[0]; code.path = [];
  for (let i = 0; i < n; i++) code.path.push(hex(take(32)));
  code.fieldsText = new TextDecoder("utf-8", {fatal: true}).decode(body.slice(at));
  code.fields = code.fieldsText.split("\n").filter(Boolean).map(line => {
    const eq = line.indexOf("="); return [line.slice(0, eq), line.slice(eq + 1).split("\t").map(unescapeValue)]; });
  return code;
}
async function codeLeaf(code) {
  const dateSha = code.day ? hex(await sha256(utf8(code.dateSalt + "\n" + code.day))) : code.dateSha256;
  return leafHash(utf8("visit\n" + code.fieldsText + "date_sha256=" + dateSha + "\nsalt=" + code.salt + "\n"));
}
const field = (code, key) => (code.fields.find(f => f[0] === key) || [key, [""]])[1][0];

async function verdict(text, root) {
  let code;
  try { code = parseCode(text); } catch (e) { return {status: "invalid", message: "无效：这不是有效的检查码（" + e.message + "）。"}; }
  const leaf = await codeLeaf(code);
  if (await rootFromPath(leaf, code.index, code.size, code.path) !== code.root)
    return {status: "invalid", message: "无效：检查码的内容与它自带的证明不符——检查码被改动过，或不是本系统签发的。"};
  const when = code.day ? code.day : field(code, "week") + " 起一周内";
  const what = field(code, "business") + "（" + field(code, "credit_code") + "）" + when + "的检查（" + field(code, "lead") + "牵头）";
  if (code.root === root) return {status: "valid", code, message: "有效：" + what + "在公示的抽查计划（承诺值 " + root.slice(0, 16) + "…）中。"};
  const roots = CHAIN.links.map(l => l.commitment), issued = roots.indexOf(code.root), against = roots.indexOf(root);
  if (issued < 0 || against < 0)
    return {status: "invalid", message: "无效：" + what + "——" + (issued < 0 ? "签发该检查码时的承诺值" : "所给的承诺值") + "不在承诺链中。"};
  if (against < issued) return {status: "invalid", message: "无效：" + what + "——检查码签发于所给承诺值之后的版本，请用最新公示的承诺值核验。"};
  for (let k = issued + 1; k <= against; k++) {
    if ((CHAIN.links[k].removed_leaves || []).includes(leaf))
      return {status: "superseded", message: "已被取代：" + what + "——承诺链第 " + (k + 1) + " 环（" +
        (KIND_WORDS[CHAIN.links[k].kind] || CHAIN.links[k].kind) + "）调整了这次检查，该检查码只对旧版本有效；请以新签发的检查通知书为准。"};
  }
  return {status: "valid", code, message: "仍然有效：" + what + "——检查码签发于承诺链第 " + (issued + 1) +
    " 环，此后这次检查没有调整（核验的是第 " + (against + 1) + " 环）。"};
}

function showFields(code) {
  const dl = $("fields"); dl.replaceChildren();
  const add = (label, value) => { const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = value; dl.append(dt, dd); };
  if (!code) return;
  const departments = code.fields.filter(f => f[0] === "lead" || f[0] === "joining").map(f => f[1][0]);
  const dept = number => departments[Number(number)] ?? number;
  add("检查日期", code.day ? code.day : field(code, "week") + " 起的一周（具体日期另行通知）");
  for (const [key, parts] of code.fields) {
    if (key === "week" && code.day) continue;
    let value = parts.filter(Boolean).join("　");
    if (key === "item") value = dept(parts[0]) + "：" + parts[1];
    if (key === "officer") value = parts[1] + "（" + dept(parts[0]) + (parts[2] ? "，执法证号 " + parts[2] : "，未登记执法证号") + "）";
    if (key === "kind") value = KIND_NAMES[parts[0]] || parts[0];
    add(FIELD_WORDS[key] || key, value);
  }
}
let chainChecked = null;
async function check() {
  const box = $("verdict");
  const root = ($("root").value.trim().toLowerCase()) || CHAIN.links[CHAIN.links.length - 1].commitment;
  if (!/^[0-9a-f]{64}$/.test(root)) { box.className = "invalid"; box.textContent = "承诺值应为 64 位十六进制数。"; showFields(null); return; }
  if (chainChecked === null) chainChecked = await chainIsSound();
  if (!chainChecked) { box.className = "invalid"; box.textContent = "本页所含的承诺链与其承诺值不符：页面被改动过，请重新获取核验页面。"; showFields(null); return; }
  const result = await verdict($("code").value, root);
  box.className = result.status; box.dataset.status = result.status; box.textContent = result.message;
  showFields(result.code);
}
$("check").addEventListener("click", check);
$("latest").textContent = CHAIN.links[CHAIN.links.length - 1].commitment;
if (location.hash.length > 1) { $("code").value = decodeURIComponent(location.hash.slice(1)); check(); }

// --- scanning, where the browser itself can read QR codes (no library is bundled) -------------------------------
if ("BarcodeDetector" in window) {
  const detector = new BarcodeDetector({formats: ["qr_code"]});
  const found = async source => { const codes = await detector.detect(source);
    if (codes.length) { $("code").value = codes[0].rawValue; check(); return true; } return false; };
  $("photo-label").hidden = false;
  $("photo").addEventListener("change", async e => { if (e.target.files[0]) await found(await createImageBitmap(e.target.files[0])); });
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("scan").hidden = false;
    $("scan").addEventListener("click", async () => {
      const video = $("camera");
      try { video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}); }
      catch (e) { $("verdict").className = "invalid"; $("verdict").textContent = "无法打开摄像头，请用手机自带的扫码功能读取后粘贴。"; return; }
      video.style.display = "block"; await video.play();
      const stop = () => { video.srcObject.getTracks().forEach(t => t.stop()); video.style.display = "none"; };
      const tick = async () => { if (await found(video)) stop(); else requestAnimationFrame(tick); };
      tick();
    });
  }
}
</script>
</body>
</html>
"""
