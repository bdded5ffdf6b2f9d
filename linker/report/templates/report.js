(function () {
  "use strict";
  // Every element is built from text nodes (never innerHTML), and only http(s) addresses become
  // links: nothing in a title, abstract, key or file name can run.
  async function load() {
    const node = document.getElementById("report-data");
    if (node.getAttribute("data-encoding") !== "gzip+base64") return JSON.parse(node.textContent);
    // Large reports: gzip in base64, unpacked by the browser itself (no request is made).
    const text = atob(node.textContent.trim());
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }
  load().then(start).catch((error) => {
    document.getElementById("f-status").textContent = "This report's data could not be read: " + error;
    document.documentElement.setAttribute("data-ready", "error");
  });

  function start(DATA) {
    const PUBS = DATA.publications;
    const SEVERITIES = ["error", "warning", "info"];
    const BIT = { error: 4, warning: 2, info: 1 };
    const RANK = { error: 3, warning: 2, info: 1 };
    const WORST = ["none", "info", "warning", "error"];
    const FINDINGS_PER_PAGE = 25;
    const PAGE_SIZES = [25, 50, 100, 500];
    const PRINT_LIMIT = 5000;
    const $ = (id) => document.getElementById(id);
    const controls = {
      q: $("f-text"), sev: $("f-severity"), rule: $("f-rule"), reg: $("f-registry"), kind: $("f-kind"), group: $("f-group"),
    };
    const DEFAULTS = { q: "", sev: "", rule: "", reg: "", kind: "", group: "", sort: "", page: 1, fpage: 1, size: 50 };
    let state = Object.assign({}, DEFAULTS);
    let view = [];         // indexes of the publications shown, in table order
    let findingView = [];  // [publication index, finding] pairs shown, in the same order
    let printing = false;
    const open = new Set();

    // ---- preparation: one pass, so that filters are a scan of flat strings ----
    PUBS.forEach((p, index) => {
      // Defaults the data leaves out (see linker/report/html_data.py, FORMAT).
      p.i = p.i || [];
      p.x = p.x || [];
      p.c = DATA.kind_codes[p.c] || p.c;
      if (!p.pm && /^\d{1,9}$/.test(p.k)) p.pm = p.k;
      if (!p.doi && /^10\.\d{4,9}\/\S+$/.test(p.k)) p.doi = p.k;
      for (const i of p.i) {
        i.o = i.o || "found";
        i.ro = i.ro || "own";
        if (i.rec) { i.rec.r = i.rec.r || i.r; i.rec.id = i.rec.id || i.id; i.rec.u = i.rec.u || i.u; }
      }
      p.index = index;
      p.n = { error: 0, warning: 0, info: 0 };
      p.x.forEach((f) => { p.n[f.s] += 1; });
      p.worst = p.x.reduce((w, f) => Math.max(w, RANK[f.s] || 0), 0);
      p.bits = p.x.reduce((b, f) => b | (BIT[f.s] || 0), 0);
      p.rules = " " + p.x.map((f) => f.c).join(" ") + " ";
      p.regs = " " + p.i.map((i) => i.r).join(" ") + " ";
      p.hay = [p.k, p.t, DATA.files[p.f] + ":" + p.l, p.pm, p.doi, label(DATA.kinds, p.c)]
        .concat(p.i.map((i) => i.id + " " + (i.raw || "") + " " + ((i.rec && i.rec.t) || "")))
        .concat(p.x.map((f) => f.c + " " + f.m))
        .join("\n").toLowerCase();
    });

    function label(table, key) { return (table && table[key]) || key || ""; }
    function natural(text) {
      return String(text).toLowerCase().replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, "").padStart(12, "0"));
    }
    const SORTS = {
      key: { type: "text", of: (p) => natural(p.k) },
      title: { type: "text", of: (p) => (p.t || "").toLowerCase() },
      location: { type: "text", of: (p) => natural(DATA.files[p.f] + ":" + p.l) },
      year: { type: "number", of: (p) => (p.y == null ? Infinity : p.y) },
      kind: { type: "text", of: (p) => label(DATA.kinds, p.c) },
      identifiers: { type: "text", of: (p) => (p.i.length ? natural(p.i.map((i) => i.id).join(" ")) : "\uffff") },
      error: { type: "count", of: (p) => p.n.error },
      warning: { type: "count", of: (p) => p.n.warning },
      info: { type: "count", of: (p) => p.n.info },
      worst: { type: "count", of: (p) => p.worst },
    };
    const ascending = {};  // column -> publication indexes in ascending order, made once
    let sortedOrder = null;
    let sortedFor = null;

    function order() {
      if (!state.sort) return null;
      if (sortedFor === state.sort) return sortedOrder;
      const descending = state.sort.charAt(0) === "-";
      const column = state.sort.replace(/^-/, "");
      const spec = SORTS[column];
      if (!spec) return null;
      if (!ascending[column]) {
        const keys = PUBS.map(spec.of);
        const indexes = PUBS.map((p, i) => i);
        indexes.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
        ascending[column] = indexes;
      }
      sortedOrder = descending ? ascending[column].slice().reverse() : ascending[column];
      sortedFor = state.sort;
      return sortedOrder;
    }

    // ---- filtering ----
    function matches(p, terms) {
      if (state.kind && p.c !== state.kind) return false;
      if (state.reg && p.regs.indexOf(" " + state.reg + " ") < 0) return false;
      if (state.sev === "none") { if (p.x.length) return false; }
      else if (state.sev && !(p.bits & BIT[state.sev])) return false;
      if (state.rule && p.rules.indexOf(" " + state.rule + " ") < 0) return false;
      for (const term of terms) if (p.hay.indexOf(term) < 0) return false;
      return true;
    }
    function findingMatches(f) {
      return (!state.sev || state.sev === "none" || f.s === state.sev) && (!state.rule || f.c === state.rule);
    }
    function compute() {
      const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      const indexes = order();
      view = [];
      findingView = [];
      const visit = (p) => {
        if (!matches(p, terms)) return;
        view.push(p.index);
        for (const f of p.x) if (findingMatches(f)) findingView.push([p.index, f]);
      };
      if (indexes) for (const i of indexes) visit(PUBS[i]);
      else PUBS.forEach(visit);
      // Grouped findings keep the table's order within each group (the sort is stable).
      if (state.group === "rule") findingView.sort((a, b) => (a[1].c < b[1].c ? -1 : a[1].c > b[1].c ? 1 : 0));
      else if (state.group === "severity") findingView.sort((a, b) => RANK[b[1].s] - RANK[a[1].s]);
    }

    // ---- elements ----
    function el(tag, attrs, children) {
      const node = document.createElement(tag);
      if (attrs) for (const name in attrs) {
        const value = attrs[name];
        if (value == null || value === false) continue;
        if (name === "class") node.className = value;
        else node.setAttribute(name, value === true ? "" : value);
      }
      append(node, children);
      return node;
    }
    function append(node, children) {
      if (children == null) return node;
      if (!Array.isArray(children)) children = [children];
      for (const child of children) {
        if (child == null || child === false) continue;
        if (Array.isArray(child)) { append(node, child); continue; }
        node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
      }
      return node;
    }
    function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
    function link(text, url) {
      const href = safeUrl(url);
      return href ? el("a", { href: href, rel: "noopener noreferrer" }, text) : el("span", null, text);
    }
    function code(text) { return el("code", null, text); }
    function badge(kind, text) { return el("span", { class: "badge " + kind }, text); }
    function outcomeBadge(outcome) { return badge("out-" + outcome, label(DATA.outcomes, outcome)); }
    function breakable(text) {
      // Break opportunities after "/" and before ":" so that paths wrap between their parts.
      const parts = String(text).split(/(?<=\/)|(?=:)/);
      const out = [];
      parts.forEach((part, i) => { if (i) out.push(el("wbr")); out.push(part); });
      return out;
    }
    function placeOf(p, line, column) {
      return (DATA.files[p.f] || "") + ":" + (line || p.l) + (column ? ":" + column : "");
    }
    function pubLinks(p) {
      const links = [];
      if (p.pm) links.push(link("PubMed " + p.pm, "https://pubmed.ncbi.nlm.nih.gov/" + encodeURIComponent(p.pm) + "/"));
      if (p.doi) links.push(link("DOI " + p.doi, "https://doi.org/" + encodeURI(p.doi)));
      return links.length ? el("div", { class: "links" }, links) : null;
    }
    function identifierLine(i) {
      return el("span", { class: "idline" }, [
        link(i.id, i.u), " ", outcomeBadge(i.o), i.ro === "other" ? el("small", null, " other trial") : null,
      ]);
    }

    // ---- the table ----
    const COLUMNS = ["Key", "Title", "Location", "Year", "Classification", "Identifiers", "Errors", "Warnings", "Info", "Worst"];
    function row(p) {
      const expanded = open.has(p.index);
      const toggle = el("button", {
        type: "button", class: "toggle", "aria-expanded": expanded ? "true" : "false",
        "aria-controls": "detail-" + p.index, "aria-label": "Details of " + p.k, "data-index": p.index,
      }, expanded ? "−" : "+");
      const cells = [
        el("td", { class: "key" }, [toggle, code(breakable(p.k))]),
        el("td", { class: "title" }, [p.t, pubLinks(p)]),
        el("td", { class: "loc" }, breakable(placeOf(p))),
        el("td", { class: "num year" }, p.y == null ? null : String(p.y)),
        el("td", null, label(DATA.kinds, p.c)),
        el("td", { class: "ids" }, p.i.map(identifierLine)),
        el("td", { class: "num" }, String(p.n.error)),
        el("td", { class: "num" }, String(p.n.warning)),
        el("td", { class: "num" }, String(p.n.info)),
        el("td", { class: "worst sev-" + WORST[p.worst] }, WORST[p.worst]),
      ];
      cells.forEach((cell, i) => cell.setAttribute("data-label", COLUMNS[i]));
      const rows = [el("tr", null, cells)];
      if (expanded) rows.push(el("tr", { class: "detail", id: "detail-" + p.index }, el("td", { colspan: COLUMNS.length }, detail(p))));
      return rows;
    }
    function detail(p) {
      const parts = [];
      const facts = [["classification", label(DATA.kinds, p.c)]];
      if (p.tn && p.tn.length) facts.push(["trial names", p.tn.join(", ")]);
      if (p.ev && p.ev.length) facts.push(["evidence", p.ev.join("; ")]);
      parts.push(factList(facts));
      if (!p.i.length) parts.push(el("p", { class: "empty" }, "No trial registration identifier in this publication."));
      for (const i of p.i) parts.push(identifierBlock(p, i));
      return parts;
    }
    function factList(pairs) {
      const dl = el("dl", { class: "facts" });
      for (const [name, value] of pairs) {
        if (value == null || value === "") continue;
        append(dl, [el("dt", null, name), el("dd", null, value)]);
      }
      return dl;
    }
    function identifierBlock(p, i) {
      const rec = i.rec || {};
      const facts = [
        ["cited as", i.raw ? i.raw + " (" + placeOf(p, i.l, i.col) + ")" : placeOf(p, i.l, i.col)],
        ["read from", i.rf],
        ["role", i.ro === "own" ? "the paper's own registration" : i.ro === "other" ? "another trial's" : "unclear"],
        ["answer", label(DATA.outcomes, i.o) + (i.rs ? ": " + i.rs : "")],
        ["current id", i.cur],
        ["answered from", describe(i.src)],
        ["match", i.m ? i.m[1] + " (score " + i.m[0] + ")" : null],
      ];
      return el("div", { class: "identifier" }, [
        el("h4", null, [label(DATA.registries, i.r), " ", link(i.id, i.u), " ", outcomeBadge(i.o)]),
        factList(facts),
        i.rec ? recordFacts(rec) : null,
        i.rec ? timeline(rec, p) : null,
      ]);
    }
    function describe(value) {
      if (value == null) return null;
      if (typeof value !== "object") return String(value);
      return Object.keys(value).map((k) => k + ": " + describe(value[k])).join(", ");
    }
    function recordFacts(rec) {
      return factList([
        ["registry title", rec.t], ["acronym", rec.ac], ["sponsor", rec.sp], ["status", rec.st],
        ["lists", rec.xr && rec.xr.length ? rec.xr.join(", ") : "no other registration"],
      ]);
    }

    // ---- the timeline of one registration ----
    function dayOf(value) {
      // The middle of what a partial date can mean ("2014" is mid-2014), to place and order it.
      const [y, m, d] = value.split("-").map(Number);
      if (d) return Date.UTC(y, m - 1, d) / 864e5;
      const first = Date.UTC(y, m ? m - 1 : 0, 1) / 864e5;
      const next = Date.UTC(m ? y : y + 1, m ? m : 0, 1) / 864e5;
      return (first + next - 1) / 2;
    }
    function monthsBetween(earlier, later) {
      const [ey, em] = (earlier + "-01").split("-").map(Number);
      const [ly, lm] = (later + "-01").split("-").map(Number);
      return (ly - ey) * 12 + (lm - em);
    }
    function retrospective(rec) {
      // As the rule compares: both dates cut to the coarser precision, never finer than a month.
      if (!rec.reg || !rec.start) return null;
      const length = Math.min(rec.reg.length, rec.start.length, 7);
      const reg = rec.reg.slice(0, length), start = rec.start.slice(0, length);
      if (reg <= start) return null;
      return length === 4 ? (Number(reg) - Number(start)) + " year(s)" : monthsBetween(start, reg) + " month(s)";
    }
    function timeline(rec, p) {
      const events = [
        ["registered", rec.reg], ["started", rec.start], ["completed", rec.done],
        ["results", rec.res, "results posted"], ["published", p.y == null ? null : String(p.y)],
      ].filter((e) => e[1]);
      if (events.length < 2 && !rec.reg) return null;
      events.sort((a, b) => dayOf(a[1]) - dayOf(b[1]));
      const first = dayOf(events[0][1]), last = dayOf(events[events.length - 1][1]);
      const span = last - first;
      const at = (value) => (span ? (100 * (dayOf(value) - first)) / span : 50);
      const track = el("div", { class: "track", "aria-hidden": "true" }, el("div", { class: "axis" }));
      const gap = retrospective(rec);
      if (gap) {
        const band = el("div", { class: "span-gap" });
        band.style.left = at(rec.start) + "%";
        band.style.width = Math.max(at(rec.reg) - at(rec.start), 0.5) + "%";
        track.appendChild(band);
      }
      for (const [kind, value] of events) {
        const dot = el("div", { class: "dot " + kind, title: kind + " " + value });
        dot.style.left = at(value) + "%";
        track.appendChild(dot);
      }
      const list = el("ol", { class: "events", "aria-label": "Timeline" },
        events.map((e) => el("li", { class: e[0] }, [(e[2] || e[0]) + " ", el("time", null, e[1])])));
      return el("div", { class: "timeline" }, [
        track, list,
        gap ? el("p", { class: "gap-note" }, "Registered " + gap + " after the trial started (retrospective).") : null,
      ]);
    }

    // ---- finding cards ----
    const STOP = new Set("the and for with from into that this are was were its their than then over under after before about of in on to by an or as at be vs versus study trial trials randomised randomized controlled".split(" "));
    function words(text) {
      return new Set((String(text || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).filter((w) => (w.length > 2 || /\d/.test(w)) && !STOP.has(w)));
    }
    function highlighted(text, shared) {
      const out = [];
      for (const token of String(text || "").split(/([\p{L}\p{N}]+)/u)) {
        if (!token) continue;
        out.push(shared.has(token.toLowerCase()) ? el("mark", null, token) : token);
      }
      return out;
    }
    function titles(paper, registry, registryLabel) {
      const a = words(paper), b = words(registry);
      const shared = new Set([...a].filter((w) => b.has(w)));
      return [
        el("div", { class: "side" }, [
          el("div", null, [el("small", null, "Paper"), highlighted(paper, shared)]),
          el("div", null, [el("small", null, registryLabel), registry ? highlighted(registry, shared) : "—"]),
        ]),
        registry ? el("p", { class: "where" }, shared.size ? "Words both titles share are highlighted (" + shared.size + ")." : "The titles share no word.") : null,
      ];
    }
    function identifierIn(p, id) {
      return p.i.find((i) => i.id === id || i.raw === id) || null;
    }
    function recordPanel(p, i, id) {
      if (!i) return el("div", null, [el("small", null, "Registry record"), id, " (not in this result)"]);
      const rec = i.rec || {};
      return el("div", null, [
        el("small", null, label(DATA.registries, i.r)),
        el("strong", null, link(i.id, i.u)), " ", outcomeBadge(i.o),
        el("p", null, rec.t || "—"),
        factList([["registered", rec.reg], ["started", rec.start], ["sponsor", rec.sp],
          ["lists", rec.xr && rec.xr.length ? rec.xr.join(", ") : "no other registration"]]),
      ]);
    }
    function suggestionList(items) {
      // Registrations a registry search found for a trial the paper names without an id.
      if (!items || !items.length) return null;
      return el("div", null, [el("strong", null, "Suggested registrations (check before citing)"), el("ul", { class: "suggestions" }, items.map((s) => {
        if (typeof s !== "object") return el("li", null, String(s));
        const known = ["id", "url", "registry", "title", "trial", "score"];
        const rest = Object.keys(s).filter((k) => !known.includes(k)).map((k) => k.replace(/_/g, " ") + ": " + describe(s[k]));
        const notes = [s.trial ? "for " + s.trial : null, typeof s.score === "number" ? "score " + s.score.toFixed(2) : null].concat(rest).filter(Boolean);
        return el("li", null, [
          s.registry ? label(DATA.registries, s.registry) + " " : "", link(s.id || "", s.url),
          s.title ? ": " + s.title : "", notes.length ? " (" + notes.join("; ") + ")" : "",
        ]);
      }))]);
    }
    function card(p, f, extra) {
      const rule = DATA.rules[f.c] || {};
      const heading = [badge("sev-" + f.s, f.s), " ", link([code(f.c), " " + (rule.n || f.n || "")], rule.u)];
      const identifier = f.id ? identifierIn(p, f.id) : null;
      let side = null;
      if (f.id && f.id.indexOf("+") > 0 && !identifier) {
        const ids = f.id.split("+");
        side = el("div", { class: "side" }, ids.map((id) => recordPanel(p, identifierIn(p, id), id)));
      } else if (identifier || f.rt) {
        const registryTitle = f.rt || (identifier && identifier.rec && identifier.rec.t);
        side = titles(f.pt || p.t, registryTitle, identifier ? "Registry: " + label(DATA.registries, identifier.r) + " " + identifier.id : "Registry");
      }
      return el("article", { class: "finding " + f.s }, [
        el("h3", null, heading),
        el("p", { class: "where" }, [code(p.k), " · ", p.t, " · ", placeOf(p, f.l, f.col)]),
        extra,
        el("p", null, f.m),
        f.prov ? el("p", { class: "where" }, "Rests on: " + describe(f.prov)) : null,
        suggestionList(f.sg),
        side,
        identifier && identifier.rec && (f.c === "TL302" || f.c === "TL304") ? timeline(identifier.rec, p) : null,
      ]);
    }

    // ---- pages ----
    function pager(nav, page, count, size, key, noun, withSizes) {
      nav.textContent = "";
      const pages = Math.max(1, Math.ceil(count / size));
      if (count === 0) return;
      const go = (to) => {
        state[key] = to;
        if (key === "page") renderTable(); else renderFindings();
        writeHash();
      };
      const start = (page - 1) * size + 1, end = Math.min(count, page * size);
      append(nav, [
        el("button", { type: "button", disabled: page <= 1, "data-go": "prev" }, "‹ Previous"),
        el("span", null, "Page " + page + " of " + pages + " · " + noun + " " + start + "–" + end + " of " + count.toLocaleString("en")),
        el("button", { type: "button", disabled: page >= pages, "data-go": "next" }, "Next ›"),
      ]);
      nav.querySelector('[data-go="prev"]').addEventListener("click", () => go(page - 1));
      nav.querySelector('[data-go="next"]').addEventListener("click", () => go(page + 1));
      if (withSizes) {
        const select = el("select", { id: "page-size" }, PAGE_SIZES.map((n) => el("option", { value: n, selected: n === size }, String(n))));
        select.addEventListener("change", () => { state.size = Number(select.value); state.page = 1; update(true); });
        append(nav, [el("label", { for: "page-size" }, "Rows per page"), select]);
      }
    }
    function clampPage(page, count, size) { return Math.min(Math.max(1, page), Math.max(1, Math.ceil(count / size))); }

    function render() {
      renderTable();
      renderFindings();
      renderStatus();
    }
    function renderTable() {
      const size = printing ? Math.max(view.length, 1) : state.size;
      state.page = clampPage(state.page, view.length, size);
      const tbody = $("rows");
      const fragment = document.createDocumentFragment();
      const shown = printing ? view.slice(0, PRINT_LIMIT) : view.slice((state.page - 1) * size, state.page * size);
      for (const index of shown) append(fragment, row(PUBS[index]));
      if (printing && view.length > PRINT_LIMIT) {
        fragment.appendChild(el("tr", { class: "nothing" }, el("td", { colspan: COLUMNS.length, class: "empty" },
          (view.length - PRINT_LIMIT).toLocaleString("en") + " more publications are not printed: filter the list, or download the CSV.")));
      }
      if (!view.length) fragment.appendChild(el("tr", { class: "nothing" }, el("td", { colspan: COLUMNS.length, class: "empty" }, "No publication matches the filter.")));
      tbody.textContent = "";
      tbody.appendChild(fragment);
      pager($("rows-pager"), state.page, view.length, size, "page", "rows", true);
      document.querySelectorAll("#publications th[data-sort]").forEach((th) => {
        const column = th.getAttribute("data-sort");
        th.setAttribute("aria-sort", state.sort === column ? "ascending" : state.sort === "-" + column ? "descending" : "none");
      });
    }
    function renderFindings() {

      state.fpage = clampPage(state.fpage, findingView.length, FINDINGS_PER_PAGE);
      const cards = document.createDocumentFragment();
      const fshown = printing ? findingView.slice(0, PRINT_LIMIT) :
        findingView.slice((state.fpage - 1) * FINDINGS_PER_PAGE, state.fpage * FINDINGS_PER_PAGE);
      let group = null;
      for (const [index, f] of fshown) {
        const name = state.group === "rule" ? f.c + " " + ((DATA.rules[f.c] || {}).n || f.n || "") : state.group === "severity" ? f.s : null;
        if (name !== null && name !== group) {
          group = name;
          const count = findingView.filter((pair) => (state.group === "rule" ? pair[1].c === f.c : pair[1].s === f.s)).length;
          cards.appendChild(el("h3", { class: "group" }, name + " (" + count.toLocaleString("en") + ")"));
        }
        cards.appendChild(card(PUBS[index], f));
      }
      if (printing && findingView.length > PRINT_LIMIT) {
        cards.appendChild(el("p", { class: "empty" }, (findingView.length - PRINT_LIMIT).toLocaleString("en") + " more findings are not printed: filter the list."));
      }
      if (!findingView.length) cards.appendChild(el("p", { class: "empty" }, totalFindings ? "No finding matches the filter." : "No findings."));
      $("findings").textContent = "";
      $("findings").appendChild(cards);
      pager($("findings-pager"), state.fpage, findingView.length, FINDINGS_PER_PAGE, "fpage", "findings", false);
    }
    function renderStatus() {
      $("f-status").textContent = "Showing " + view.length.toLocaleString("en") + " of " + PUBS.length.toLocaleString("en") +
        " publications and " + findingView.length.toLocaleString("en") + " of " + totalFindings.toLocaleString("en") + " findings.";
    }
    const totalFindings = PUBS.reduce((n, p) => n + p.x.length, 0);

    // ---- state in the URL hash ----
    function readHash() {
      const params = new URLSearchParams(location.hash.replace(/^#/, ""));
      const next = Object.assign({}, DEFAULTS);
      for (const key of Object.keys(DEFAULTS)) {
        if (!params.has(key)) continue;
        const value = params.get(key);
        next[key] = typeof DEFAULTS[key] === "number" ? Math.max(1, parseInt(value, 10) || DEFAULTS[key]) : value;
      }
      if (!PAGE_SIZES.includes(next.size)) next.size = DEFAULTS.size;
      if (next.sort && !SORTS[next.sort.replace(/^-/, "")]) next.sort = "";
      state = next;
      for (const key in controls) {
        const control = controls[key];
        control.value = state[key];
        if (control.value !== state[key]) { control.value = ""; state[key] = ""; }  // unknown option
      }
    }
    function writeHash() {
      const params = new URLSearchParams();
      for (const key of Object.keys(DEFAULTS)) if (state[key] !== DEFAULTS[key]) params.set(key, state[key]);
      const hash = params.toString() ? "#" + params.toString() : "";
      if (hash === location.hash || (!hash && !location.hash)) return;
      try { history.replaceState(null, "", hash || location.pathname + location.search); }
      catch (e) { location.hash = hash; }
    }
    function update(keepPages) {
      if (!keepPages) { state.page = 1; state.fpage = 1; }
      compute();
      render();
      writeHash();
    }

    // ---- CSV of the filtered view, escaped as the CSV report does (linker/report/escape.py) ----
    const FORMULA_STARTS = DATA.csv_formula_starts;
    function cell(value) {
      let text = value == null ? "" : String(value);
      if (FORMULA_STARTS.some((start) => text.startsWith(start))) text = "'" + text;
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    function csv() {
      const header = ["key", "title", "file", "line", "year", "classification", "pmid", "doi", "identifiers", "outcomes", "errors", "warnings", "info", "worst"];
      const lines = [header.join(",")];
      for (const index of view) {
        const p = PUBS[index];
        lines.push([p.k, p.t, DATA.files[p.f], p.l, p.y, label(DATA.kinds, p.c), p.pm, p.doi,
          p.i.map((i) => i.id).join("; "), p.i.map((i) => label(DATA.outcomes, i.o)).join("; "),
          p.n.error, p.n.warning, p.n.info, WORST[p.worst]].map(cell).join(","));
      }
      return lines.join("\n") + "\n";
    }
    $("csv").addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([csv()], { type: "text/csv;charset=utf-8" }));
      const a = el("a", { href: url, download: "trial-linker-publications.csv" });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

    // ---- events ----
    controls.q.addEventListener("input", () => { state.q = controls.q.value; update(false); });
    for (const key of ["sev", "rule", "reg", "kind", "group"]) {
      controls[key].addEventListener("change", () => { state[key] = controls[key].value; update(false); });
    }
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("filters").addEventListener("reset", () => {
      setTimeout(() => { for (const key in controls) state[key] = ""; update(false); }, 0);
    });
    document.querySelectorAll("#publications th[data-sort] button").forEach((button) => {
      button.addEventListener("click", () => {
        const column = button.parentElement.getAttribute("data-sort");
        const first = SORTS[column].type === "count" ? "-" + column : column;
        const second = first.charAt(0) === "-" ? column : "-" + column;
        state.sort = state.sort === first ? second : first;
        update(true);
      });
    });
    $("rows").addEventListener("click", (event) => {
      const toggle = event.target.closest("button.toggle");
      if (!toggle) return;
      const index = Number(toggle.getAttribute("data-index"));
      if (open.has(index)) open.delete(index); else open.add(index);
      renderTable();
      const again = document.querySelector('button.toggle[data-index="' + index + '"]');
      if (again) again.focus();
    });
    document.querySelectorAll(".chart-filter").forEach((button) => {
      button.addEventListener("click", () => {
        const key = button.getAttribute("data-filter") === "rule" ? "rule" : "reg";
        state[key] = button.getAttribute("data-value");
        controls[key].value = state[key];
        update(false);
        $("filters").scrollIntoView();
      });
    });
    window.addEventListener("hashchange", () => { readHash(); update(true); });
    function beforePrint() {
      if (printing) return;
      printing = true;
      $("suppressed-details").open = true;
      render();
    }
    function afterPrint() { if (!printing) return; printing = false; render(); }
    window.addEventListener("beforeprint", beforePrint);
    window.addEventListener("afterprint", afterPrint);

    // ---- suppressed and baselined findings (not filtered: they are the accepted ones) ----
    function renderSuppressed() {
      const rows = DATA.suppressed || [];
      const box = $("suppressed");
      const byKey = new Map(PUBS.map((p) => [p.k, p]));
      $("suppressed-heading").textContent = "Suppressed and baselined findings (" + rows.length + ")";
      if (!rows.length) { box.appendChild(el("p", { class: "empty" }, "No finding was suppressed or baselined.")); return; }
      for (const f of rows) {
        const p = byKey.get(f.p) || { k: f.p, t: f.pt || "", f: 0, l: f.l, i: [], x: [] };
        const why = el("p", null, [el("strong", null, f.kind === "baselined" ? "Baselined" : "Suppressed"), f.why ? ": " + describe(f.why) : ""]);
        box.appendChild(card(p, f, why));
      }
    }

    readHash();
    renderSuppressed();
    compute();
    render();
    document.documentElement.setAttribute("data-ready", "true");
    performance.mark("trial-linker:ready");  // bench/report.py reads it
  }
})();
