// A text with its entity marks, built from text nodes and elements only: no piece of the
// text or of the server's answer is ever parsed as markup. Shared by the reading page
// (page.js) and the corpus explorer's document page; it defines one global function,
// renderMarks. The marks have the structure entityx/render_html.py writes for `-f html`,
// styled by marks.css: a colour AND a visible label, so they read without colour.
//
//   <mark class="ent" data-label="ORG" data-group="E3" tabindex="0">
//     <span class="ent-text">DGSN</span><span class="tag">ORG</span>
//     <span class="card" role="tooltip"><span class="card-row" data-row="label">…</span>…</span>
//   </mark>
"use strict";

(function () {
  const KEYS = { label: "label", date: "date", kb: "kb id", name: "name", confidence: "confidence" };

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function segments(text, mentions) {
    // The text cut into [piece, mention|null]; a mention overlapping an earlier one stays text.
    const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
    const pieces = [];
    let position = 0;
    for (const m of sorted) {
      if (!(m.start >= position) || !(m.end <= text.length) || !(m.start < m.end)) continue;
      if (m.start > position) pieces.push([text.slice(position, m.start), null]);
      pieces.push([text.slice(m.start, m.end), m]);
      position = m.end;
    }
    if (position < text.length) pieces.push([text.slice(position), null]);
    return pieces;
  }

  function percent(value, locale) {
    try {
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
    } catch (_) {
      return `${Math.round(value * 100)} %`;
    }
  }

  function cardRows(m, group, keys, locale) {
    // [row name, caption, value]: label, ISO date value, knowledge-base id, name, confidence.
    const rows = [["label", keys.label, m.label]];
    if (m.norm) rows.push(["date", keys.date, m.norm]);
    if (m.kb_id) rows.push(["kb", keys.kb, m.kb_id]);
    if (group) rows.push(["name", keys.name, group.name]);
    if (typeof m.confidence === "number" && Number.isFinite(m.confidence)) {
      rows.push(["confidence", keys.confidence, percent(Math.min(1, Math.max(0, m.confidence)), locale)]);
    }
    return rows;
  }

  function mark(piece, m, group, keys, locale) {
    const node = element("mark", { class: "ent", "data-label": String(m.label), "data-group": String(m.group || ""), tabindex: "0" });
    node.append(element("span", { class: "ent-text" }, piece), element("span", { class: "tag" }, String(m.label)));
    const card = element("span", { class: "card", role: "tooltip" });
    for (const [name, key, value] of cardRows(m, group, keys, locale)) {
      const row = element("span", { class: "card-row", "data-row": name });
      row.append(element("span", { class: "card-key" }, key), document.createTextNode(" " + value));
      card.append(row);
    }
    node.append(card);
    return node;
  }

  /**
   * Replace the children of `container` with `text`, each entity of `entities` (the JSON
   * contract's mentions: start, end, label, group, norm, kb_id, confidence?) marked.
   *
   * options:
   *   groups  the document's groups (an array or a Map by id): a card names its entity
   *   hidden  labels (a Set or an array) whose mentions stay plain text
   *   keys    the captions of the card rows ({label, date, kb, name, confidence}), to translate
   *   locale  how the confidence percentage is written ("fr", "en"…)
   *
   * Returns the mark elements, in text order. Offsets are in Unicode characters (Python's),
   * so the text is cut by code points, not by JavaScript's UTF-16 units.
   */
  function renderMarks(container, text, entities, options) {
    const opts = options || {};
    const groups = opts.groups instanceof Map ? opts.groups
      : new Map((opts.groups || []).map((g) => [g.id, g]));
    const hidden = new Set(opts.hidden || []);
    const keys = { ...KEYS, ...(opts.keys || {}) };
    const chars = Array.from(String(text));
    const wide = chars.length !== String(text).length;
    const shown = (entities || []).filter((m) => !hidden.has(m.label));
    const fragment = document.createDocumentFragment();
    const marks = [];
    for (const [piece, m] of segments(wide ? chars : String(text), shown)) {
      const words = wide ? piece.join("") : piece;
      if (m) {
        const node = mark(words, m, groups.get(m.group), keys, opts.locale);
        marks.push(node);
        fragment.append(node);
      } else {
        fragment.append(document.createTextNode(words));
      }
    }
    container.replaceChildren(fragment);
    return marks;
  }

  window.renderMarks = renderMarks;
})();
