// The reading page: send the article to /v1/extract and show it with its entities.
// Every piece of text (the article's, the server's) goes into the page as text, never as
// markup; marks.js draws the marked article. The interface speaks French by default, English
// on request: every string it shows is in STRINGS below.
"use strict";

const LABELS = ["PER", "ORG", "LOC", "DATE"];
const LANGUAGE_KEY = "entityx.language";

// One table for every interface string. A value is a string, or a function of the values
// it shows. data-i18n="key" sets an element's text, data-i18n-placeholder and
// data-i18n-aria-label its attributes.
const STRINGS = {
  fr: {
    title: "entityx — lire un article et ses entités",
    tagline: "Les personnes, organisations, lieux et dates d’un article en français, surlignés.",
    formLabel: "Article à lire",
    text: "Texte de l’article",
    textPlaceholder: "Collez le texte de l’article ici…",
    file: "ou un fichier .txt",
    chooseFile: "Choisir un fichier…",
    noFile: "aucun fichier choisi",
    published: "Date de publication (facultative)",
    publishedPlaceholder: "AAAA-MM-JJ",
    token: "Jeton d’accès",
    tokenPlaceholder: "demandé par ce serveur",
    submit: "Extraire",
    resultTitle: "Article",
    downloadJson: "Télécharger JSON",
    downloadCsv: "Télécharger CSV",
    clear: "Effacer la sélection",
    legend: "Étiquettes affichées",
    PER: "personnes",
    ORG: "organisations",
    LOC: "lieux",
    DATE: "dates",
    MISC: "divers",
    miscNote: "(demandé au serveur en plus)",
    hint: "Survolez ou atteignez (Tab) une mention pour voir sa fiche ; choisissez une entité "
      + "(clic ou Entrée) pour surligner toutes ses mentions ; Échap efface.",
    empty: "L’article, ses mentions marquées, s’affichera ici.",
    articleLabel: "Article et ses entités",
    groupsTitle: "Entités par importance",
    cardLabel: "étiquette",
    cardDate: "date",
    cardKb: "id kb",
    cardName: "nom",
    cardConfidence: "confiance",
    mentions: (n) => `${n} mention${n > 1 ? "s" : ""}`,
    entities: (n) => `${n} entité${n > 1 ? "s" : ""}`,
    published_: (date) => `publié le ${date}`,
    unknownDate: "date de publication inconnue",
    kb: (id) => `kb ${id}`,
    also: (names) => `aussi ${names}`,
    reading: "Lecture…",
    done: (n) => `Terminé : ${n} mention${n > 1 ? "s" : ""}.`,
    needText: "Collez un article ou choisissez un fichier d’abord.",
    needToken: "ce serveur demande un jeton : saisissez-le dans le champ « Jeton d’accès »",
    failed: (message) => `Erreur ${message}`,
    unreachable: "le serveur ne répond pas",
    fileRead: (name) => `Fichier ${name} lu.`,
  },
  en: {
    title: "entityx — read an article and its entities",
    tagline: "People, organisations, places and dates of a French article, highlighted.",
    formLabel: "Article to read",
    text: "Article text",
    textPlaceholder: "Paste the article’s text here…",
    file: "or a .txt file",
    chooseFile: "Choose a file…",
    noFile: "no file chosen",
    published: "Publication date (optional)",
    publishedPlaceholder: "YYYY-MM-DD",
    token: "Access token",
    tokenPlaceholder: "this server asks for one",
    submit: "Extract",
    resultTitle: "Article",
    downloadJson: "Download JSON",
    downloadCsv: "Download CSV",
    clear: "Clear highlight",
    legend: "Labels shown",
    PER: "people",
    ORG: "organisations",
    LOC: "places",
    DATE: "dates",
    MISC: "miscellaneous",
    miscNote: "(asked from the server too)",
    hint: "Hover or focus (Tab) a mention for its card; choose an entity (click or Enter) to "
      + "highlight all its mentions; Escape clears.",
    empty: "The article, its mentions marked, will show here.",
    articleLabel: "Article with its entities",
    groupsTitle: "Entities by salience",
    cardLabel: "label",
    cardDate: "date",
    cardKb: "kb id",
    cardName: "name",
    cardConfidence: "confidence",
    mentions: (n) => `${n} mention${n === 1 ? "" : "s"}`,
    entities: (n) => `${n} entit${n === 1 ? "y" : "ies"}`,
    published_: (date) => `published ${date}`,
    unknownDate: "publication date unknown",
    kb: (id) => `kb ${id}`,
    also: (names) => `also ${names}`,
    reading: "Reading…",
    done: (n) => `Done: ${n} mention${n === 1 ? "" : "s"}.`,
    needText: "Paste an article or choose a file first.",
    needToken: "this server needs a token: type it in the Access token field",
    failed: (message) => `Error ${message}`,
    unreachable: "the server does not answer",
    fileRead: (name) => `Read ${name}.`,
  },
};

const $ = (id) => document.getElementById(id);
const state = {
  language: "fr",
  last: null,        // {request, doc, source, encoding}: what is shown, and the downloads
  file: null,        // {name, text, shown, encoding}: the file last read into the text box
  selected: null,    // the id of the chosen entity
  hidden: new Set(), // labels whose marks and list items are hidden
  status: null,      // [key, argument, failed]: redrawn in the other language
  ticket: 0,         // the number of the latest extraction
};

function t(key, ...values) {
  const value = (STRINGS[state.language] || STRINGS.fr)[key];
  return typeof value === "function" ? value(...values) : value;
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- language -------------------------------------------------------------------------------

function storedLanguage() {
  try { return localStorage.getItem(LANGUAGE_KEY); } catch (_) { return null; }
}

function setLanguage(language, remember) {
  state.language = STRINGS[language] ? language : "fr";
  if (remember) {
    try { localStorage.setItem(LANGUAGE_KEY, state.language); } catch (_) { /* private mode */ }
  }
  document.documentElement.lang = state.language;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  }
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
  for (const button of document.querySelectorAll(".lang-choice")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.language));
  }
  $("file-name").textContent = state.file ? state.file.name : t("noFile");
  if (state.status) status(...state.status);
  if (state.last) show();
}

// --- the result -----------------------------------------------------------------------------

function groupItem(g) {
  const others = (g.aliases || []).filter((a) => a !== g.name);
  const details = [t("mentions", g.mentions)];
  if (g.kb_id) details.push(t("kb", g.kb_id));
  if (g.label === "DATE") details.push(...(g.norms || []));
  if (others.length) details.push(t("also", others.join(", ")));
  const button = element("button", { type: "button", class: "group", "data-group": g.id, "aria-pressed": "false" });
  button.append(element("span", { class: "tag", "data-label": g.label }, g.label), document.createTextNode(" "),
    element("span", { class: "group-name" }, g.name), document.createTextNode(" "),
    element("span", { class: "group-details" }, details.join(" · ")));
  button.addEventListener("click", () => select(g.id, button.getAttribute("aria-pressed") !== "true"));
  const item = element("li", { "data-group": g.id, "data-label": g.label });
  item.append(button);
  return item;
}

function select(id, on) {
  state.selected = on ? id : null;
  for (const node of document.querySelectorAll("#article mark.ent")) {
    node.classList.toggle("selected", Boolean(on) && node.dataset.group === id);
  }
  for (const button of document.querySelectorAll("#groups button.group")) {
    button.setAttribute("aria-pressed", String(Boolean(on) && button.dataset.group === id));
  }
  $("clear").disabled = !state.selected;
  const first = on && document.querySelector("#article mark.ent.selected");
  if (first) first.scrollIntoView({ block: "nearest" });
}

function show() {
  // Draw state.last: the marked article, the entity list, the summary.
  const { request, doc, source } = state.last;
  const visible = (label) => !state.hidden.has(label);
  renderMarks($("article"), request.text, doc.entities, {
    groups: doc.groups,
    hidden: state.hidden,
    locale: state.language,
    keys: { label: t("cardLabel"), date: t("cardDate"), kb: t("cardKb"), name: t("cardName"),
      confidence: t("cardConfidence") },
  });
  $("groups").replaceChildren(...doc.groups.map(groupItem));
  for (const item of $("groups").children) item.hidden = !visible(item.dataset.label);
  $("summary").textContent = [
    doc.published ? t("published_", doc.published) : t("unknownDate"),
    t("mentions", doc.entities.length), t("entities", doc.groups.length),
  ].join(" · ");
  $("source").textContent = source === "-" ? "" : source;
  $("article").hidden = false;
  $("empty").hidden = true;
  $("download-json").disabled = $("download-csv").disabled = false;
  const chosen = doc.groups.find((g) => g.id === state.selected);
  select(state.selected, Boolean(chosen && visible(chosen.label)));
}

function clearResult() {
  // Nothing of the previous article may stay under a new text or an error.
  state.last = null;
  state.selected = null;
  $("article").replaceChildren();
  $("article").hidden = true;
  $("groups").replaceChildren();
  $("summary").textContent = "";
  $("source").textContent = "";
  $("empty").hidden = false;
  $("download-json").disabled = $("download-csv").disabled = $("clear").disabled = true;
}

function forget() {
  // Clear the result, and drop the answer of a request still on its way.
  state.ticket += 1;
  $("submit").disabled = false;
  clearResult();
}

function status(key, argument, failed) {
  state.status = [key, argument, failed];
  $("status").textContent = t(key, argument);
  $("status").classList.toggle("failed", Boolean(failed));
  $("status").dataset.state = failed ? "failed" : key;
}

// --- the server -----------------------------------------------------------------------------

class Refused extends Error {}

async function call(path, request) {
  const headers = { "Content-Type": "application/json" };
  const token = $("token").value.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(request) });
  } catch (_) {
    throw new Refused(t("unreachable"));
  }
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    if (response.status === 401) {
      $("token-field").hidden = false;
      $("token").focus();
      message = `${t("needToken")} — ${message}`;
    }
    throw new Refused(`${response.status}: ${message}`);
  }
  return response;
}

async function askHealth() {
  // Show the token field only when the server wants one (or cannot say).
  let needed = true;
  try {
    const answer = await (await fetch("/health")).json();
    if (answer.token === false) needed = false;
  } catch (_) { /* unknown: keep the field */ }
  $("token-field").hidden = !needed;
  document.body.dataset.health = "known";
}

function labelsAsked() {
  // Nothing sent: the server's default (PER, ORG, LOC, DATE); MISC on request.
  return $("misc").getAttribute("aria-checked") === "true" ? [...LABELS, "MISC"] : undefined;
}

async function extract(request, source, encoding) {
  const ticket = ++state.ticket; // only the latest request's answer is shown
  clearResult();
  $("submit").disabled = true;
  status("reading");
  try {
    const doc = await (await call("/v1/extract", request)).json();
    if (ticket !== state.ticket) return;
    state.last = { request, doc, source, encoding };
    show();
    status("done", doc.entities.length);
  } catch (error) {
    if (ticket !== state.ticket) return;
    clearResult();
    if (!(error instanceof Refused)) console.error(error);
    status("failed", error.message, true);
  } finally {
    if (ticket === state.ticket) $("submit").disabled = false;
  }
}

function submit(event) {
  event.preventDefault();
  const request = { text: $("text").value };
  const published = $("published").value.trim();
  if (published) request.published = published;
  const labels = labelsAsked();
  if (labels) request.labels = labels;
  if (!request.text.trim()) {
    forget();
    status("needText", undefined, true);
    return;
  }
  // A file's name is the document's source while the text box holds that file's text; its
  // text is then sent as read (a text box turns CRLF line ends into LF: the offsets would move).
  const file = state.file && state.file.shown === request.text ? state.file : null;
  if (file) request.text = file.text;
  extract(request, file ? file.name : "-", file ? file.encoding : null);
}

// --- downloads ------------------------------------------------------------------------------

function download(name, type, content) {
  const link = element("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function fileName(source, extension) {
  // communique.txt → communique.entities.json; a pasted text → entities.json.
  if (source === "-") return `entities.${extension}`;
  const base = source.replace(/\.[^.]*$/, "") || source;
  return `${base}.entities.${extension}`;
}

function csvCell(value) {
  // As entityx's CSV writer: a leading = + - @ would be a formula, and RFC 4180 quoting.
  const safe = /^[=+\-@\t\r]/.test(value) && value !== "-" ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function withSource(csv, source) {
  // The server's CSV, its first column (source, "-") set to `source` on every record after
  // the header; quoted fields may hold line breaks, so the records are found by walking it.
  if (source === "-") return csv;
  const cell = csvCell(source);
  let out = "";
  let quoted = false;
  let record = 0;
  let atStart = true;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv[i];
    if (atStart && record > 0 && c === "-" && (i + 1 === csv.length || ",\r\n".includes(csv[i + 1]))) {
      out += cell;
      atStart = false;
      continue;
    }
    atStart = false;
    if (c === '"') quoted = !quoted;
    else if (c === "\n" && !quoted) { record += 1; atStart = true; }
    out += c;
  }
  return out;
}

function downloadJson() {
  if (!state.last) return;
  const { doc, source, encoding } = state.last;
  const named = { ...doc, source };
  if (encoding) named.encoding = encoding;
  download(fileName(source, "json"), "application/json", JSON.stringify(named, null, 2) + "\n");
}

async function downloadCsv() {
  if (!state.last) return;
  const { request, source } = state.last;
  try {
    const csv = await (await call("/v1/extract/csv", request)).text();
    download(fileName(source, "csv"), "text/csv", withSource(csv, source));
  } catch (error) {
    status("failed", error.message, true);
  }
}

// --- input ----------------------------------------------------------------------------------

async function readFile() {
  // UTF-8 first, then Windows-1252, as `entityx extract` decodes files.
  const file = $("file").files[0];
  if (!file) return;
  const bytes = await file.arrayBuffer();
  let text;
  let encoding = "utf-8";
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    if (text.startsWith("\uFEFF")) { text = text.slice(1); encoding = "utf-8-sig"; }
  } catch (_) {
    text = new TextDecoder("windows-1252").decode(bytes);
    encoding = "cp1252";
  }
  $("text").value = text;
  state.file = { name: file.name, text, shown: $("text").value, encoding };
  $("file-name").textContent = file.name;
  forget();
  status("fileRead", file.name);
}

function toggleLabel(button) {
  const label = button.dataset.label;
  const on = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(on));
  if (on) state.hidden.delete(label); else state.hidden.add(label);
  if (state.last) show();
}

function toggleMisc() {
  const button = $("misc");
  const on = button.getAttribute("aria-checked") !== "true";
  button.setAttribute("aria-checked", String(on));
  if (state.last) {
    // The same article again, with or without MISC.
    const { request, source, encoding } = state.last;
    const again = { ...request };
    delete again.labels;
    const labels = labelsAsked();
    if (labels) again.labels = labels;
    extract(again, source, encoding);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setLanguage(storedLanguage() || "fr", false);
  askHealth();
  for (const button of document.querySelectorAll(".lang-choice")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
  }
  for (const button of document.querySelectorAll(".label-toggle:not(.misc)")) {
    button.addEventListener("click", () => toggleLabel(button));
  }
  $("misc").addEventListener("click", toggleMisc);
  $("input").addEventListener("submit", submit);
  $("file").addEventListener("change", readFile);
  $("clear").addEventListener("click", () => select(null, false));
  $("article").addEventListener("click", (event) => {
    const node = event.target.closest("mark.ent");
    if (node && node.dataset.group) select(node.dataset.group, state.selected !== node.dataset.group);
  });
  $("article").addEventListener("keydown", (event) => {
    const node = event.target.closest("mark.ent");
    if (event.key === "Enter" && node && node.dataset.group) {
      event.preventDefault();
      select(node.dataset.group, state.selected !== node.dataset.group);
    }
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") select(null, false); });
  $("download-json").addEventListener("click", downloadJson);
  $("download-csv").addEventListener("click", downloadCsv);
});
