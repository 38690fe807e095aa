// The reading page: send the article to /v1/extract and show it with its entities.
// Every piece of text goes into the page through textContent, never as markup; the
// marks have the structure that entityx/render_html.py writes for `-f html`.
"use strict";

const $ = (id) => document.getElementById(id);
let last = null; // {request, doc}: what the downloads are made from

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function segments(text, mentions) {
  // The article cut into [piece, mention|null]; a mention overlapping an earlier one stays text.
  const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  const pieces = [];
  let position = 0;
  for (const m of sorted) {
    if (m.start < position || m.end > text.length || m.start >= m.end) continue;
    if (m.start > position) pieces.push([text.slice(position, m.start), null]);
    pieces.push([text.slice(m.start, m.end), m]);
    position = m.end;
  }
  if (position < text.length) pieces.push([text.slice(position), null]);
  return pieces;
}

function cardRows(m, group) {
  const rows = [["label", m.label]];
  if (m.norm) rows.push(["date", m.norm]);
  if (m.kb_id) rows.push(["kb id", m.kb_id]);
  if (group) rows.push(["name", group.name]);
  return rows;
}

function mark(piece, m, group) {
  const node = element("mark", { class: "ent", "data-label": m.label, "data-group": m.group || "", tabindex: "0" });
  node.append(element("span", { class: "ent-text" }, piece), element("span", { class: "tag" }, m.label));
  const card = element("span", { class: "card", role: "tooltip" });
  for (const [key, value] of cardRows(m, group)) {
    const row = element("span", { class: "card-row" });
    row.append(element("span", { class: "card-key" }, key), document.createTextNode(" " + value));
    card.append(row);
  }
  node.append(card);
  return node;
}

function groupItem(g) {
  const others = g.aliases.filter((a) => a !== g.name);
  const details = [`${g.mentions} mention${g.mentions === 1 ? "" : "s"}`];
  if (g.kb_id) details.push(`kb ${g.kb_id}`);
  if (g.label === "DATE") details.push(...(g.norms || []));
  if (others.length) details.push(`also ${others.join(", ")}`);
  const button = element("button", { type: "button", class: "group", "data-group": g.id, "aria-pressed": "false" });
  button.append(element("span", { class: "tag", "data-label": g.label }, g.label), document.createTextNode(" "),
    element("span", { class: "group-name" }, g.name), document.createTextNode(" "),
    element("span", { class: "group-details" }, details.join(" · ")));
  button.addEventListener("click", () => select(g.id, button.getAttribute("aria-pressed") !== "true"));
  const item = element("li", { "data-group": g.id });
  item.append(button);
  return item;
}

function select(id, on) {
  for (const node of document.querySelectorAll("#article mark.ent")) {
    node.classList.toggle("selected", on && node.dataset.group === id);
  }
  for (const button of document.querySelectorAll("#groups button.group")) {
    button.setAttribute("aria-pressed", String(on && button.dataset.group === id));
  }
  const first = on && document.querySelector(`#article mark.ent.selected`);
  if (first) first.scrollIntoView({ block: "nearest" });
}

function show(text, doc) {
  const groups = new Map(doc.groups.map((g) => [g.id, g]));
  const article = $("article");
  article.replaceChildren();
  for (const [piece, m] of segments(text, doc.entities)) {
    article.append(m ? mark(piece, m, groups.get(m.group)) : document.createTextNode(piece));
  }
  $("groups").replaceChildren(...doc.groups.map(groupItem));
  $("summary").textContent = `published ${doc.published || "unknown"} · ${doc.entities.length} mentions · ${doc.groups.length} entities`;
  $("result").hidden = false;
}

function status(message, failed) {
  $("status").textContent = message;
  $("status").classList.toggle("failed", Boolean(failed));
}

async function call(path, request) {
  const headers = { "Content-Type": "application/json" };
  const token = $("token").value.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(request) });
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    if (response.status === 401) {
      $("token").focus();
      message = "this server needs a token: type it in the Token field — " + message;
    }
    throw new Error(`${response.status}: ${message}`);
  }
  return response;
}

async function submit(event) {
  event.preventDefault();
  const request = { text: $("text").value };
  const published = $("published").value.trim();
  if (published) request.published = published;
  if (!request.text.trim()) { status("Paste an article or choose a file first.", true); return; }
  $("submit").disabled = true;
  status("Reading…");
  try {
    const doc = await (await call("/v1/extract", request)).json();
    last = { request, doc };
    show(request.text, doc);
    status(`Done: ${doc.entities.length} mentions.`);
  } catch (error) {
    status(`Error ${error.message}`, true);
  } finally {
    $("submit").disabled = false;
  }
}

function download(name, type, content) {
  const link = element("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function readFile() {
  // UTF-8 first, then Windows-1252, as `entityx extract` decodes files.
  const file = $("file").files[0];
  if (!file) return;
  const bytes = await file.arrayBuffer();
  let text;
  try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
  catch (_) { text = new TextDecoder("windows-1252").decode(bytes); }
  $("text").value = text.replace(/^\uFEFF/, "");
  status(`Read ${file.name}.`);
}

document.addEventListener("DOMContentLoaded", () => {
  $("input").addEventListener("submit", submit);
  $("file").addEventListener("change", readFile);
  $("clear").addEventListener("click", () => select(null, false));
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") select(null, false); });
  $("download-json").addEventListener("click", () => {
    if (last) download("entities.json", "application/json", JSON.stringify(last.doc, null, 2) + "\n");
  });
  $("download-csv").addEventListener("click", async () => {
    if (!last) return;
    try {
      download("entities.csv", "text/csv", await (await call("/v1/extract/csv", last.request)).text());
    } catch (error) {
      status(`Error ${error.message}`, true);
    }
  });
});
