// The archive explorer: search, entity and document views drawn from the JSON API.
// Every view has its own URL (/, /entities, /entities/ID, /documents/ID); links change it
// with history.pushState and Back returns. Every piece of text from the archive (articles,
// titles, names, meta) enters the page as text (textContent, text nodes), never as markup;
// marks.js draws a document's marks. French by default, English on request: every string
// the page shows is in STRINGS below.
"use strict";

const LANGUAGE_KEY = "entityx.language"; // shared with the reading page
const TOKEN_KEY = "entityx.explore.token"; // this tab only (sessionStorage)
const LABEL_ORDER = ["PER", "ORG", "LOC", "DATE", "MISC"];

// One table for every interface string: a string, or a function of the values it shows.
// data-i18n="key" sets an element's text, data-i18n-placeholder and -aria-label attributes.
const STRINGS = {
  fr: {
    title: "entityx — explorer une archive",
    brand: "explorer",
    skip: "Aller au contenu",
    sectionsLabel: "Rubriques",
    navSearch: "Recherche",
    navEntities: "Entités",
    token: "Jeton d’accès",
    tokenPlaceholder: "demandé par ce serveur",
    tokenSubmit: "Valider",
    tokenNote: "Gardé dans cet onglet seulement.",
    needToken: "Ce serveur demande un jeton : saisissez-le ci-dessus.",
    loading: "Chargement…",
    failed: (message) => `Erreur ${message}`,
    unreachable: "le serveur ne répond pas",
    archive: (name, docs) => `${name} · ${docs} documents`,
    PER: "Personnes", ORG: "Organisations", LOC: "Lieux", DATE: "Dates", MISC: "Divers",
    searchLabel: "Rechercher dans les articles",
    searchPlaceholder: "mots, \"une expression\", -exclu, préfixe*",
    from: "Publié du",
    to: "au",
    datePlaceholder: "AAAA-MM-JJ",
    sort: "Tri",
    sortRelevance: "pertinence",
    sortNewest: "plus récents",
    sortOldest: "plus anciens",
    submit: "Rechercher",
    noText: "Cette archive n’a pas les textes des articles (entityx batch --no-text) : la recherche "
      + "se fait par entités et facettes seulement, sans recherche plein texte ni article.",
    results: (n) => `${n} document${n === "1" ? "" : "s"}`,
    resultsFor: (n, q) => `${n} document${n === "1" ? "" : "s"} pour « ${q} »`,
    latest: "Les plus récents",
    activeFilters: "Filtres actifs",
    removeFilter: (name) => `Retirer le filtre ${name}`,
    clearAll: "Tout effacer",
    dates: (from, to) => `publié ${from ? `du ${from}` : ""}${from && to ? " " : ""}${to ? `au ${to}` : ""}`,
    refine: "Affiner",
    facetsOver: (n, total) => `Comptées sur les ${n} premiers des ${total} résultats.`,
    facetsAll: (n) => `Comptées sur les ${n} résultats.`,
    distinct: (n) => `${n} distinctes`,
    noResult: "Aucun document ne correspond.",
    downloadCsv: "Télécharger CSV",
    pages: "Pages",
    previous: "← Précédente",
    next: "Suivante →",
    pageOf: (page, pages) => `Page ${page} sur ${pages}`,
    unknownDate: "date inconnue",
    entitiesTitle: "Entités de l’archive",
    entitiesFilter: "Nom (toute forme)",
    allLabels: "toutes",
    labelField: "Étiquette",
    sortBy: "Tri",
    byDocuments: "documents",
    byMentions: "mentions",
    byName: "nom",
    byFirst: "première parution",
    byLast: "dernière parution",
    filter: "Filtrer",
    entitiesCount: (n) => `${n} entité${n === "1" ? "" : "s"}`,
    colName: "Nom", colLabel: "Étiquette", colDocuments: "Documents", colMentions: "Mentions",
    colPeriod: "Période", colMonth: "Mois", colBar: "Graphique",
    breadcrumbs: "Fil d’Ariane",
    aliases: "Aussi écrit",
    kbId: "Id base de connaissances",
    country: "Pays",
    coordinates: "Coordonnées",
    documentsCount: "Documents",
    mentionsCount: "Mentions",
    period: "Période",
    searchIn: (n) => `Rechercher dans ses ${n} documents`,
    timeline: "Mentions par mois",
    timelineLabel: "Mentions par mois, défilable",
    undated: (n) => `${n} mention${n === "1" ? "" : "s"} dans des documents sans mois de publication.`,
    comentions: "Cité avec",
    comentionsOver: (n, total) => `Sur ses ${n} documents les plus récents (sur ${total}).`,
    comentionsAll: (n) => `Sur ses ${n} documents.`,
    shared: (n) => `${n} document${n === "1" ? "" : "s"} en commun`,
    noComention: "Aucune autre entité dans ses documents.",
    kwic: "Mentions en contexte",
    kwicCount: (n) => `${n} mention${n === "1" ? "" : "s"}`,
    documentsTitle: "Ses documents",
    mentionsIn: (n) => `${n} mention${n === "1" ? "" : "s"}`,
    outlet: "Média",
    published: "Publié",
    publishedFrom: (from) => `(date tirée de : ${FROM.fr[from] || from})`,
    source: "Source",
    address: "Adresse",
    encoding: "Encodage",
    error: "Erreur",
    documentEntities: "Ses entités",
    documentHint: "Survolez ou atteignez (Tab) une mention pour voir sa fiche ; cliquez-la (ou Entrée) "
      + "pour ouvrir la page de son entité.",
    noArticle: "Le texte de cet article n’est pas dans l’archive (entityx batch --no-text).",
    articleLabel: "Article et ses entités",
    cardLabel: "étiquette", cardDate: "date", cardKb: "id kb", cardName: "nom", cardConfidence: "confiance",
    notFound: "Cette page n’existe pas.",
  },
  en: {
    title: "entityx — explore an archive",
    brand: "explorer",
    skip: "Skip to content",
    sectionsLabel: "Sections",
    navSearch: "Search",
    navEntities: "Entities",
    token: "Access token",
    tokenPlaceholder: "this server asks for one",
    tokenSubmit: "Enter",
    tokenNote: "Kept in this tab only.",
    needToken: "This server needs a token: type it above.",
    loading: "Loading…",
    failed: (message) => `Error ${message}`,
    unreachable: "the server does not answer",
    archive: (name, docs) => `${name} · ${docs} documents`,
    PER: "People", ORG: "Organisations", LOC: "Places", DATE: "Dates", MISC: "Miscellaneous",
    searchLabel: "Search the articles",
    searchPlaceholder: "words, \"a phrase\", -left out, prefix*",
    from: "Published from",
    to: "to",
    datePlaceholder: "YYYY-MM-DD",
    sort: "Sort",
    sortRelevance: "relevance",
    sortNewest: "newest",
    sortOldest: "oldest",
    submit: "Search",
    noText: "This archive has no article texts (entityx batch --no-text): search by entities and "
      + "facets only, without full-text search or articles.",
    results: (n) => `${n} document${n === "1" ? "" : "s"}`,
    resultsFor: (n, q) => `${n} document${n === "1" ? "" : "s"} for “${q}”`,
    latest: "Latest",
    activeFilters: "Active filters",
    removeFilter: (name) => `Remove the filter ${name}`,
    clearAll: "Clear all",
    dates: (from, to) => `published ${from ? `from ${from}` : ""}${from && to ? " " : ""}${to ? `to ${to}` : ""}`,
    refine: "Refine",
    facetsOver: (n, total) => `Counted on the first ${n} of ${total} results.`,
    facetsAll: (n) => `Counted on the ${n} results.`,
    distinct: (n) => `${n} distinct`,
    noResult: "No document matches.",
    downloadCsv: "Download CSV",
    pages: "Pages",
    previous: "← Previous",
    next: "Next →",
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    unknownDate: "date unknown",
    entitiesTitle: "Entities of the archive",
    entitiesFilter: "Name (any form)",
    allLabels: "all",
    labelField: "Label",
    sortBy: "Sort",
    byDocuments: "documents",
    byMentions: "mentions",
    byName: "name",
    byFirst: "first published",
    byLast: "last published",
    filter: "Filter",
    entitiesCount: (n) => `${n} entit${n === "1" ? "y" : "ies"}`,
    colName: "Name", colLabel: "Label", colDocuments: "Documents", colMentions: "Mentions",
    colPeriod: "Period", colMonth: "Month", colBar: "Chart",
    breadcrumbs: "Breadcrumbs",
    aliases: "Also written",
    kbId: "Knowledge-base id",
    country: "Country",
    coordinates: "Coordinates",
    documentsCount: "Documents",
    mentionsCount: "Mentions",
    period: "Period",
    searchIn: (n) => `Search its ${n} documents`,
    timeline: "Mentions per month",
    timelineLabel: "Mentions per month, scrollable",
    undated: (n) => `${n} mention${n === "1" ? "" : "s"} in documents without a publication month.`,
    comentions: "Named beside",
    comentionsOver: (n, total) => `In its ${n} newest documents (of ${total}).`,
    comentionsAll: (n) => `In its ${n} documents.`,
    shared: (n) => `${n} shared document${n === "1" ? "" : "s"}`,
    noComention: "No other entity in its documents.",
    kwic: "Mentions in context",
    kwicCount: (n) => `${n} mention${n === "1" ? "" : "s"}`,
    documentsTitle: "Its documents",
    mentionsIn: (n) => `${n} mention${n === "1" ? "" : "s"}`,
    outlet: "Outlet",
    published: "Published",
    publishedFrom: (from) => `(date from: ${FROM.en[from] || from})`,
    source: "Source",
    address: "Address",
    encoding: "Encoding",
    error: "Error",
    documentEntities: "Its entities",
    documentHint: "Hover or focus (Tab) a mention for its card; click it (or Enter) to open its "
      + "entity’s page.",
    noArticle: "This article’s text is not in the archive (entityx batch --no-text).",
    articleLabel: "Article with its entities",
    cardLabel: "label", cardDate: "date", cardKb: "kb id", cardName: "name", cardConfidence: "confidence",
    notFound: "This page does not exist.",
  },
};
// Where a publication date came from (documents.published_from).
const FROM = {
  fr: { meta: "métadonnées du corpus", option: "option --published", header: "en-tête", dateline: "ligne de date",
    "html-meta": "balise meta HTML", byline: "signature", filename: "nom du fichier" },
  en: { meta: "corpus metadata", option: "--published option", header: "header", dateline: "dateline",
    "html-meta": "HTML meta tag", byline: "byline", filename: "file name" },
};

const $ = (id) => document.getElementById(id);
const state = {
  language: "fr",
  health: null,  // /health: whether a token is needed
  info: null,    // /api/info: the archive
  entity: null,  // {id, detail}: the entity page's first answer, kept while its lists page
  ticket: 0,     // the number of the latest drawing: older answers are dropped
};

function t(key, ...values) {
  const value = (STRINGS[state.language] || STRINGS.fr)[key];
  return typeof value === "function" ? value(...values) : value;
}

function element(tag, attributes, ...children) {
  // An element; children are nodes or strings (as text nodes, never markup).
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function number(n) {
  try { return new Intl.NumberFormat(state.language).format(n); } catch (_) { return String(n); }
}

function tag(label) {
  return element("span", { class: "tag", "data-label": label }, label);
}

function link(href, ...children) {
  return element("a", { href, "data-nav": "" }, ...children);
}

function entityHref(id) {
  return `/entities/${encodeURIComponent(id)}`;
}

function documentHref(id, mention) {
  return `/documents/${encodeURIComponent(id)}${mention === undefined ? "" : `?mention=${mention}`}`;
}

function query(params) {
  // "?a=1&b=2" of [name, value] pairs (or "" when none).
  const search = new URLSearchParams(params.filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const text = search.toString();
  return text ? `?${text}` : "";
}

function entityName(e) {
  // A place's country beside its name: two Valence (ES, FR) are two entities.
  return e.label === "LOC" && e.country ? `${e.name} · ${e.country}` : e.name;
}

function entityChip(e, href) {
  return link(href || entityHref(e.id), tag(e.label), " ", element("span", { class: "chip-name" }, entityName(e)));
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
  showArchive();
}

// --- the server -----------------------------------------------------------------------------

class Refused extends Error {}

function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (_) { return ""; }
}

async function call(path) {
  const headers = {};
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (_) {
    throw new Refused(t("unreachable"));
  }
  if (response.status === 401) {
    askToken();
    throw new Refused(`401: ${t("needToken")}`);
  }
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Refused(`${response.status}: ${message}`);
  }
  return response;
}

async function api(path) {
  return (await call(path)).json();
}

async function download(path, name) {
  try {
    const blob = await (await call(path)).blob();
    const href = URL.createObjectURL(blob);
    const anchor = element("a", { href, download: name });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  } catch (error) {
    status("failed", error.message);
  }
}

function csvButton(path, name) {
  const button = element("button", { type: "button", class: "csv" }, t("downloadCsv"));
  button.addEventListener("click", () => download(path, name));
  return button;
}

function askToken() {
  $("token-form").hidden = false;
  $("token").focus();
  status("needToken");
}

function status(key, ...values) {
  $("status").textContent = key ? t(key, ...values) : "";
  $("status").dataset.state = key || "";
  $("status").classList.toggle("failed", key === "failed" || key === "needToken");
}

async function loadInfo() {
  if (!state.info) state.info = await api("/api/info");
  showArchive();
}

function showArchive() {
  $("archive").textContent = state.info ? t("archive", state.info.name, number(state.info.documents)) : "";
}

// --- navigation -----------------------------------------------------------------------------

function go(url, replace) {
  if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
  route();
}

function draw(view, name, ...children) {
  // Replace the view; focus its heading so that keyboards and screen readers start there.
  view.replaceChildren(...children);
  view.dataset.view = name;
  view.dataset.state = "ready";
  for (const item of document.querySelectorAll("nav.sections a")) {
    const current = item.dataset.section === (name === "entity" || name === "entities" ? "entities" : name);
    if (current) item.setAttribute("aria-current", "page"); else item.removeAttribute("aria-current");
  }
  const heading = view.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    document.title = `${heading.textContent} — entityx`;
  }
  return heading;
}

async function route(keepFocus) {
  const ticket = ++state.ticket;
  const url = new URL(location.href);
  const view = $("view");
  view.dataset.state = "loading";
  status("loading");
  try {
    await loadInfo();
    let drawn;
    const path = url.pathname;
    if (path === "/") drawn = await searchView(url, ticket);
    else if (path === "/entities") drawn = await entitiesView(url, ticket);
    else if (path.startsWith("/entities/")) drawn = await entityView(decodeURIComponent(path.slice(10)), url, ticket);
    else if (path.startsWith("/documents/")) drawn = await documentView(decodeURIComponent(path.slice(11)), url, ticket);
    else drawn = [[element("h1", {}, t("notFound"))], "missing"];
    if (ticket !== state.ticket || !drawn) return;
    const [children, name, after] = drawn;
    const heading = draw(view, name, ...children);
    status(null);
    if (after) after();
    else if (!keepFocus && heading) { heading.focus({ preventScroll: true }); window.scrollTo(0, 0); }
  } catch (error) {
    if (ticket !== state.ticket) return;
    if (!(error instanceof Refused)) console.error(error);
    view.replaceChildren();
    view.dataset.state = "failed";
    status("failed", error.message);
  }
}

// --- search ---------------------------------------------------------------------------------

function searchParams(url) {
  const p = url.searchParams;
  return {
    q: p.get("q") || "", from: p.get("from") || "", to: p.get("to") || "", sort: p.get("sort") || "",
    page: p.get("page") || "", entities: p.getAll("entity"),
    meta: [...p.entries()].filter(([k]) => k.startsWith("meta.")),
  };
}

function searchUrl(s, changes) {
  // The URL of the search `s` with `changes` ({q, from, to, sort, page, entities, meta}).
  const next = { ...s, page: "", ...changes };
  return "/" + query([["q", next.q], ["from", next.from], ["to", next.to], ["sort", next.sort],
    ...next.entities.map((e) => ["entity", e]), ...next.meta, ["page", next.page]]);
}

function searchForm(s) {
  const form = element("form", { class: "search-form", role: "search" });
  const field = (id, label, input) => element("div", { class: "field" }, element("label", { for: id }, label), input);
  const q = element("input", { id: "q", name: "q", type: "search", value: s.q, placeholder: t("searchPlaceholder"),
    disabled: state.info.text ? undefined : true });
  const from = element("input", { id: "from", name: "from", type: "text", inputmode: "numeric", value: s.from,
    placeholder: t("datePlaceholder"), pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", autocomplete: "off" });
  const to = element("input", { id: "to", name: "to", type: "text", inputmode: "numeric", value: s.to,
    placeholder: t("datePlaceholder"), pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?", autocomplete: "off" });
  const sort = element("select", { id: "sort", name: "sort" });
  for (const [value, key] of [["relevance", "sortRelevance"], ["newest", "sortNewest"], ["oldest", "sortOldest"]]) {
    sort.append(element("option", { value }, t(key)));
  }
  sort.value = s.sort || (s.q ? "relevance" : "newest");
  sort.addEventListener("change", () => { sort.dataset.chosen = "true"; });
  form.append(
    field("q", t("searchLabel"), q),
    element("div", { class: "row" }, field("from", t("from"), from), field("to", t("to"), to),
      field("sort", t("sort"), sort),
      element("button", { type: "submit", id: "search-submit" }, t("submit"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // The sort given in the URL or chosen here; otherwise the default of the words (or none).
    const chosen = s.sort || sort.dataset.chosen ? sort.value : "";
    go(searchUrl(s, { q: q.value.trim(), from: from.value.trim(), to: to.value.trim(), sort: chosen }));
  });
  return form;
}

function removable(href, label, ...shown) {
  // A chip that removes one filter: "×" and what it filters by, named for screen readers.
  const chip = link(href, element("span", { "aria-hidden": "true" }, "× "), ...shown);
  chip.setAttribute("aria-label", t("removeFilter", label));
  return element("li", {}, chip);
}

function activeFilters(s, answer) {
  const names = new Map(answer.filters.map((e) => [e.id, e]));
  const items = s.entities.map((id) => {
    const e = names.get(id) || { id, name: id, label: "MISC" };
    return removable(searchUrl(s, { entities: s.entities.filter((other) => other !== id) }), e.name,
      tag(e.label), " ", entityName(e));
  });
  for (const [key, value] of s.meta) {
    const rest = s.meta.filter(([k, v]) => !(k === key && v === value));
    const name = key.slice(5) === state.info.outlet ? t("outlet") : key.slice(5);
    items.push(removable(searchUrl(s, { meta: rest }), value, `${name} : ${value}`));
  }
  if (s.from || s.to) items.push(removable(searchUrl(s, { from: "", to: "" }), t("dates", s.from, s.to), t("dates", s.from, s.to)));
  if (!items.length) return null;
  if (items.length > 1) items.push(element("li", {}, link("/" + query([["q", s.q]]), t("clearAll"))));
  return element("div", { class: "filters" }, element("h2", { class: "visually-hidden" }, t("activeFilters")),
    element("ul", { class: "chips", "aria-label": t("activeFilters") }, ...items));
}

function facetsPanel(s, answer) {
  const panel = element("aside", { class: "facets", "aria-labelledby": "facets-title" },
    element("h2", { id: "facets-title" }, t("refine")));
  const facets = answer.facets;
  if (!facets) return panel;
  panel.append(element("p", { class: "meta", id: "facets-over" }, facets.over < answer.total
    ? t("facetsOver", number(facets.over), number(answer.total)) : t("facetsAll", number(answer.total))));
  for (const facet of facets.meta) {
    if (!facet.values.length) continue;
    const list = element("ul", { class: "facet-list" });
    const key = `meta.${facet.key}`;
    for (const v of facet.values) {
      const meta = v.selected ? s.meta.filter(([k, value]) => !(k === key && value === v.value)) : [...s.meta, [key, v.value]];
      const item = link(searchUrl(s, { meta }), element("span", { class: "sign", "aria-hidden": "true" }, v.selected ? "☑" : "☐"),
        " ", element("span", { class: "facet-name" }, v.value), " ", element("span", { class: "count" }, number(v.documents)));
      if (v.selected) item.setAttribute("aria-current", "true");
      item.dataset.value = v.value;
      list.append(element("li", {}, item));
    }
    const title = facet.key === state.info.outlet ? t("outlet") : facet.key;
    panel.append(element("section", { class: "facet", "data-key": facet.key }, element("h3", {}, title), list));
  }
  for (const group of facets.labels) {
    const list = element("ul", { class: "facet-list" });
    for (const e of group.top) {
      const entities = e.selected ? s.entities.filter((id) => id !== e.id) : [...s.entities, e.id];
      const item = link(searchUrl(s, { entities }), element("span", { class: "sign", "aria-hidden": "true" }, e.selected ? "☑" : "☐"),
        " ", element("span", { class: "facet-name" }, entityName(e)), " ", element("span", { class: "count" }, number(e.documents)));
      if (e.selected) item.setAttribute("aria-current", "true");
      item.dataset.entity = e.id;
      list.append(element("li", {}, item));
    }
    panel.append(element("section", { class: "facet", "data-label": group.label },
      element("h3", {}, tag(group.label), " ", t(group.label), " ", element("span", { class: "count" }, `(${t("distinct", number(group.entities))})`)),
      list));
  }
  return panel;
}

function snippet(pieces) {
  const node = element("p", { class: "snippet" });
  for (const piece of pieces) node.append(piece.match ? element("mark", { class: "hit" }, piece.text) : document.createTextNode(piece.text));
  return node;
}

function dateLine(...parts) {
  return element("p", { class: "meta" }, parts.filter(Boolean).join(" · "));
}

function hitItem(hit) {
  const chips = element("ul", { class: "chips entities" });
  for (const e of hit.entities) {
    const chip = entityChip(e);
    if (e.filtered) chip.classList.add("filtered");
    chips.append(element("li", {}, chip));
  }
  return element("li", { class: "hit", "data-document": hit.id },
    element("h2", {}, link(documentHref(hit.id), hit.title)),
    dateLine(hit.published || t("unknownDate"), hit.outlet, hit.source),
    snippet(hit.snippet), chips);
}

function pager(page, pages, href, label) {
  if (pages <= 1) return null;
  const nav = element("nav", { class: "pager", "aria-label": label || t("pages") });
  nav.append(page > 1 ? element("a", { href: href(page - 1), "data-nav": "", rel: "prev" }, t("previous"))
    : element("span", { class: "disabled", "aria-hidden": "true" }, t("previous")));
  nav.append(element("span", { class: "page-of" }, t("pageOf", number(page), number(pages))));
  nav.append(page < pages ? element("a", { href: href(page + 1), "data-nav": "", rel: "next" }, t("next"))
    : element("span", { class: "disabled", "aria-hidden": "true" }, t("next")));
  return nav;
}

async function searchView(url, ticket) {
  const s = searchParams(url);
  const apiQuery = url.search || "";
  const answer = await api(`/api/search${apiQuery}`);
  if (ticket !== state.ticket) return null;
  const heading = element("h1", { id: "results-title" }, s.q ? t("resultsFor", number(answer.total), s.q)
    : (s.entities.length || s.meta.length || s.from || s.to) ? t("results", number(answer.total)) : t("latest"));
  const list = element("ol", { class: "hits", start: String((answer.page - 1) * answer.size + 1) },
    ...answer.hits.map(hitItem));
  const csv = new URLSearchParams(url.search);
  csv.delete("page");
  csv.set("format", "csv");
  const results = element("section", { class: "results", "aria-labelledby": "results-title" },
    element("div", { class: "results-head" }, heading, csvButton(`/api/search?${csv}`, "search.csv")),
    answer.hits.length ? list : element("p", { class: "empty" }, t("noResult")),
    pager(answer.page, answer.pages, (n) => searchUrl(s, { page: String(n) })));
  const children = [searchForm(s)];
  if (!state.info.text) children.push(element("p", { class: "notice", id: "no-text" }, t("noText")));
  const filters = activeFilters(s, answer);
  if (filters) children.push(filters);
  children.push(element("div", { class: "search-columns" }, facetsPanel(s, answer), results));
  return [children, "search"];
}

// --- entities -------------------------------------------------------------------------------

async function entitiesView(url, ticket) {
  const p = url.searchParams;
  const chosen = { q: p.get("q") || "", label: p.get("label") || "", sort: p.get("sort") || "", page: p.get("page") || "" };
  const params = [["q", chosen.q], ["label", chosen.label], ["sort", chosen.sort]];
  const answer = await api(`/api/entities${query([...params, ["page", chosen.page]])}`);
  if (ticket !== state.ticket) return null;
  const form = element("form", { class: "entities-form", role: "search" });
  const q = element("input", { id: "entities-q", type: "search", value: chosen.q });
  const label = element("select", { id: "entities-label" }, element("option", { value: "" }, t("allLabels")),
    ...LABEL_ORDER.filter((l) => state.info.labels[l]).map((l) => element("option", { value: l }, `${l} — ${t(l)}`)));
  label.value = chosen.label;
  const sort = element("select", { id: "entities-sort" }, ...[["documents", "byDocuments"], ["mentions", "byMentions"],
    ["name", "byName"], ["first", "byFirst"], ["last", "byLast"]].map(([v, k]) => element("option", { value: v }, t(k))));
  sort.value = chosen.sort || "documents";
  form.append(
    element("div", { class: "field" }, element("label", { for: "entities-q" }, t("entitiesFilter")), q),
    element("div", { class: "field" }, element("label", { for: "entities-label" }, t("labelField")), label),
    element("div", { class: "field" }, element("label", { for: "entities-sort" }, t("sortBy")), sort),
    element("button", { type: "submit" }, t("filter")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go("/entities" + query([["q", q.value.trim()], ["label", label.value],
      ["sort", sort.value === "documents" ? "" : sort.value]]));
  });
  const rows = answer.entities.map((e) => element("tr", {},
    element("td", {}, entityChip(e)), element("td", {}, e.label),
    element("td", { class: "num" }, number(e.documents)), element("td", { class: "num" }, number(e.mentions)),
    element("td", {}, [e.first_published, e.last_published].filter(Boolean).join(" → "))));
  const table = element("table", { class: "entities-table" },
    element("thead", {}, element("tr", {}, ...["colName", "colLabel", "colDocuments", "colMentions", "colPeriod"]
      .map((k) => element("th", { scope: "col" }, t(k))))),
    element("tbody", {}, ...rows));
  return [[
    element("div", { class: "results-head" }, element("h1", {}, t("entitiesTitle")),
      csvButton(`/api/entities${query([...params, ["format", "csv"]])}`, "entities.csv")),
    form, element("p", { class: "meta" }, t("entitiesCount", number(answer.total))), table,
    pager(answer.page, answer.pages, (n) => "/entities" + query([...params, ["page", String(n)]])),
  ], "entities"];
}

// --- an entity ------------------------------------------------------------------------------

function facts(rows) {
  const list = element("dl", { class: "facts" });
  for (const [key, value] of rows) {
    if (value === null || value === undefined || value === "") continue;
    list.append(element("div", {}, element("dt", {}, t(key)), element("dd", {}, value)));
  }
  return list;
}

function timelineTable(timeline) {
  const section = element("section", { class: "timeline", "aria-labelledby": "timeline-title" },
    element("div", { class: "section-head" }, element("h2", { id: "timeline-title" }, t("timeline")),
      csvButton(`/api/timeline${query([["entity", timeline.entity], ["format", "csv"]])}`, "timeline.csv")));
  const most = Math.max(1, ...timeline.months.map((m) => m.mentions));
  const rows = timeline.months.map((m) => {
    const bar = element("span", { class: "bar" });
    bar.style.width = `${(100 * m.mentions) / most}%`; // CSSOM: allowed by the style-src policy
    return element("tr", { "data-month": m.month }, element("th", { scope: "row" }, m.month),
      element("td", { class: "num" }, number(m.mentions)), element("td", { class: "num" }, number(m.documents)),
      element("td", { class: "bar-cell", "aria-hidden": "true" }, bar));
  });
  const table = element("table", { class: "timeline-table" },
    element("caption", { class: "visually-hidden" }, t("timeline")),
    element("thead", {}, element("tr", {}, element("th", { scope: "col" }, t("colMonth")),
      element("th", { scope: "col" }, t("colMentions")), element("th", { scope: "col" }, t("colDocuments")),
      element("th", { scope: "col", "aria-hidden": "true" }, t("colBar")))),
    element("tbody", {}, ...rows));
  section.append(element("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": t("timelineLabel") }, table));
  if (timeline.undated) section.append(element("p", { class: "meta" }, t("undated", number(timeline.undated))));
  return section;
}

function comentionsPanel(entity, comentions) {
  const section = element("section", { class: "comentions", "aria-labelledby": "comentions-title" },
    element("div", { class: "section-head" }, element("h2", { id: "comentions-title" }, t("comentions")),
      csvButton(`/api/comentions${query([["entity", entity.id], ["format", "csv"]])}`, "comentions.csv")),
    element("p", { class: "meta" }, comentions.over < entity.documents
      ? t("comentionsOver", number(comentions.over), number(entity.documents)) : t("comentionsAll", number(comentions.over))));
  if (!comentions.labels.length) section.append(element("p", { class: "empty" }, t("noComention")));
  for (const group of comentions.labels) {
    const list = element("ol", { class: "comention-list" });
    for (const other of group.top) {
      list.append(element("li", { "data-entity": other.id }, entityChip(other), " ",
        link("/" + query([["entity", entity.id], ["entity", other.id]]), t("shared", number(other.documents)))));
    }
    section.append(element("h3", {}, tag(group.label), " ", t(group.label)), list);
  }
  return section;
}

function kwicList(kwic) {
  const list = element("ol", { class: "kwic", start: String((kwic.page - 1) * kwic.size + 1) });
  for (const line of kwic.lines) {
    list.append(element("li", { "data-document": line.document_id },
      element("p", { class: "kwic-line" }, element("span", { class: "left" }, line.left),
        element("mark", { class: "keyword" }, line.text), element("span", { class: "right" }, line.right)),
      element("p", { class: "meta" }, link(documentHref(line.document_id, line.start), line.title),
        ` · ${line.published || t("unknownDate")}`)));
  }
  return list;
}

function documentList(docs) {
  const list = element("ol", { class: "documents", start: String((docs.page - 1) * docs.size + 1) });
  for (const d of docs.documents) {
    list.append(element("li", { "data-document": d.id }, link(documentHref(d.id), d.title),
      dateLine(d.published || t("unknownDate"), d.outlet, t("mentionsIn", number(d.mentions)))));
  }
  return list;
}

async function entityView(id, url, ticket) {
  if (!state.entity || state.entity.id !== id) {
    const detail = await api(`/api/entities/${encodeURIComponent(id)}`);
    state.entity = { id, detail };
  }
  const { detail } = state.entity;
  const mentionsPage = Number(url.searchParams.get("mentions")) || 1;
  const documentsPage = Number(url.searchParams.get("documents")) || 1;
  const [kwic, docs] = await Promise.all([
    mentionsPage > 1 ? api(`/api/mentions${query([["entity", id], ["page", mentionsPage]])}`) : detail.mentions,
    documentsPage > 1 ? api(`/api/documents${query([["entity", id], ["page", documentsPage]])}`) : detail.documents,
  ]);
  if (ticket !== state.ticket) return null;
  const e = detail.entity;
  const here = (changes) => {
    const params = new URLSearchParams(url.search);
    for (const [k, v] of Object.entries(changes)) { if (v > 1) params.set(k, v); else params.delete(k); }
    const text = params.toString();
    return `${entityHref(id)}${text ? `?${text}` : ""}`;
  };
  const place = e.lat !== null && e.lon !== null ? `${e.lat}, ${e.lon}` : null;
  const period = [e.first_published, e.last_published].filter(Boolean).join(" → ");
  const head = element("header", { class: "entity-head" },
    element("nav", { class: "crumbs", "aria-label": t("breadcrumbs") }, link("/", t("navSearch")), " › ",
      link("/entities", t("navEntities"))),
    element("h1", {}, tag(e.label), " ", element("span", { class: "name" }, entityName(e))),
    facts([["aliases", e.aliases.filter((a) => a !== e.name).join(" · ")], ["kbId", e.kb_id], ["country", e.country],
      ["coordinates", place], ["documentsCount", number(e.documents)], ["mentionsCount", number(e.mentions)],
      ["period", period]]),
    element("p", {}, link("/" + query([["entity", e.id]]), t("searchIn", number(e.documents)))));
  const kwicSection = element("section", { class: "kwic-section", "aria-labelledby": "kwic-title" },
    element("div", { class: "section-head" }, element("h2", { id: "kwic-title" }, t("kwic"), " ",
      element("span", { class: "count" }, `(${t("kwicCount", number(kwic.total))})`)),
    csvButton(`/api/mentions${query([["entity", id], ["format", "csv"]])}`, "mentions.csv")),
    kwicList(kwic), pager(kwic.page, kwic.pages, (n) => here({ mentions: n }), t("kwic")));
  const docsSection = element("section", { class: "documents-section", "aria-labelledby": "documents-title" },
    element("div", { class: "section-head" }, element("h2", { id: "documents-title" }, t("documentsTitle"), " ",
      element("span", { class: "count" }, `(${number(docs.total)})`)),
    csvButton(`/api/documents${query([["entity", id], ["format", "csv"]])}`, "documents.csv")),
    documentList(docs), pager(docs.page, docs.pages, (n) => here({ documents: n }), t("documentsTitle")));
  const columns = element("div", { class: "entity-columns" },
    element("div", { class: "main-column" }, kwicSection, docsSection),
    element("div", { class: "side-column" }, timelineTable(detail.timeline), comentionsPanel(e, detail.comentions)));
  return [[head, columns], "entity"];
}

// --- a document -----------------------------------------------------------------------------

function offsets(container) {
  // The character offset (Python's: code points) at which each mark of `container` starts.
  const found = new Map();
  let at = 0;
  for (const node of container.childNodes) {
    const text = node.nodeType === Node.TEXT_NODE ? node.textContent : node.querySelector(".ent-text").textContent;
    if (node.nodeType !== Node.TEXT_NODE) found.set(at, node);
    at += Array.from(text).length;
  }
  return found;
}

function webLink(address) {
  // `address` is the server's `url`: an http(s) address from the meta, vetted there.
  return element("a", { href: address, rel: "noopener noreferrer", target: "_blank", class: "external" }, address);
}

function metaValue(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

async function documentView(id, url, ticket) {
  const doc = await api(`/api/documents/${encodeURIComponent(id)}`);
  if (ticket !== state.ticket) return null;
  const shown = new Set(["title", "url", "published", state.info.outlet]);
  const others = Object.entries(doc.meta || {}).filter(([k]) => !shown.has(k));
  const published = doc.published ? `${doc.published} ${doc.published_from ? t("publishedFrom", doc.published_from) : ""}`.trim()
    : t("unknownDate");
  const list = facts([["outlet", doc.outlet], ["published", published], ["source", doc.source],
    ["encoding", doc.encoding], ["error", doc.error]]);
  if (doc.url || (doc.meta && doc.meta.url !== undefined)) {  // anything but http(s) stays text
    const address = doc.url ? webLink(doc.url) : metaValue(doc.meta.url);
    list.append(element("div", {}, element("dt", {}, t("address")), element("dd", { id: "document-url" }, address)));
  }
  for (const [key, value] of others) list.append(element("div", {}, element("dt", {}, key), element("dd", {}, metaValue(value))));
  const groups = new Map(doc.groups.map((g) => [g.group, g]));
  const article = element("div", { id: "article", class: "article", "aria-label": t("articleLabel") });
  const aside = element("aside", { class: "document-entities", "aria-labelledby": "document-entities-title" },
    element("h2", { id: "document-entities-title" }, t("documentEntities")));
  for (const label of LABEL_ORDER) {
    const mine = doc.groups.filter((g) => g.label === label);
    if (!mine.length) continue;
    aside.append(element("h3", {}, tag(label), " ", t(label)), element("ul", { class: "group-list" },
      ...mine.map((g) => element("li", { "data-entity": g.id }, link(entityHref(g.id), g.name), " ",
        element("span", { class: "count" }, t("mentionsIn", number(g.mentions)))))));
  }
  const head = element("header", { class: "document-head" },
    element("nav", { class: "crumbs", "aria-label": t("breadcrumbs") }, link("/", t("navSearch"))),
    element("h1", {}, doc.title), list,
    element("div", { class: "row" }, csvButton(`/api/documents/${encodeURIComponent(id)}?format=csv`, `document-${id}.csv`)));
  const body = doc.text === null ? element("p", { class: "notice" }, t("noArticle"))
    : element("div", {}, element("p", { class: "hint" }, t("documentHint")), article);
  const after = () => {
    if (doc.text === null) return;
    const marks = renderMarks(article, doc.text, doc.entities, {
      groups, locale: state.language,
      keys: { label: t("cardLabel"), date: t("cardDate"), kb: t("cardKb"), name: t("cardName"), confidence: t("cardConfidence") },
    });
    for (const mark of marks) {
      const group = groups.get(mark.dataset.group);
      if (group) mark.dataset.entity = group.id;
    }
    const wanted = url.searchParams.get("mention");
    const target = wanted === null ? null : offsets(article).get(Number(wanted));
    if (target) {
      target.classList.add("selected");
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    } else {
      document.querySelector("#view h1").focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  };
  return [[head, element("div", { class: "document-columns" }, body, aside)], "document", after];
}

// --- start ----------------------------------------------------------------------------------

function openMark(event) {
  const mark = event.target.closest("#article mark.ent[data-entity]");
  if (!mark) return;
  if (event.type === "keydown" && event.key !== "Enter") return;
  event.preventDefault();
  go(entityHref(mark.dataset.entity));
}

function followLink(event) {
  const anchor = event.target.closest("a[data-nav]");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
      || event.shiftKey || event.altKey) return;
  const target = new URL(anchor.href, location.href);
  if (target.origin !== location.origin) return;
  event.preventDefault();
  go(target.pathname + target.search);
}

async function start() {
  setLanguage(storedLanguage() || "fr", false);
  for (const button of document.querySelectorAll(".lang-choice")) {
    button.addEventListener("click", () => { setLanguage(button.dataset.lang, true); route(true); });
  }
  document.addEventListener("click", followLink);
  document.addEventListener("click", openMark);
  document.addEventListener("keydown", openMark);
  window.addEventListener("popstate", () => route());
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    try { sessionStorage.setItem(TOKEN_KEY, $("token").value.trim()); } catch (_) { /* private mode */ }
    $("token").value = "";
    $("token-form").hidden = true;
    route();
  });
  try {
    state.health = await (await fetch("/health")).json();
  } catch (_) {
    state.health = { token: true };
  }
  document.body.dataset.health = "known";
  if (state.health.token && !storedToken()) {
    $("view").dataset.state = "failed";
    askToken();
    return;
  }
  route();
}

document.addEventListener("DOMContentLoaded", start);
