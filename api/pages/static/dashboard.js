/*
 * Leadership dashboard: plain browser JavaScript, no framework, served from the API's own origin
 * (helmet's Content-Security-Policy allows only same-origin scripts). Every number comes from the
 * public API with the signed-in user's bearer token, kept in sessionStorage (gone when the tab closes).
 * All text is built with textContent / createElementNS, never innerHTML.
 */
(() => {
  'use strict';

  const TOKEN_KEY = 'dashboard.token';
  const LANG_KEY = 'dashboard.lang';
  const SVG = 'http://www.w3.org/2000/svg';
  const REFRESH_MS = 30000;

  let messages = { 'zh-CN': {}, en: {} };
  let lang = sessionStorage.getItem(LANG_KEY) || 'zh-CN';
  let me = null;
  let campaign = null;
  let timer = null;

  const $ = (id) => document.getElementById(id);

  function t(key, params) {
    const m = messages[lang]?.[key] ?? messages['zh-CN']?.[key] ?? key;
    if (!params) return m;
    return m.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
    );
  }
  const label = (key, fallback) => {
    const m = t(key);
    return m === key ? fallback : m;
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat())
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children.flat())
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  const replace = (node, ...children) => {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  };
  const empty = (text) => el('p', { class: 'empty', text });

  /** Date-times are shown in China Standard Time, as everywhere in the system. */
  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(Date.parse(iso) + 8 * 3600000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  }
  const fmtNum = (n) =>
    Number(n).toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 });
  const fmtPct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
  const unitName = (row, zhKey, enKey, idKey) =>
    (lang === 'en' ? row[enKey] : row[zhKey]) || row[idKey] || '';

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { accept: 'application/json', ...(options.headers || {}) };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method: options.method || 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (res.status === 401 && !options.noSignOut) {
      signOut(t('dashboard.badToken'));
      throw new ApiError(401, t('dashboard.badToken'));
    }
    if (!res.ok) {
      let detail = `HTTP ${res.status}`;
      try {
        const p = await res.json();
        detail = p.detail || p.title || detail;
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, detail);
    }
    if (options.raw) return res;
    return res.status === 204 ? null : res.json();
  }

  // ── language ──────────────────────────────────────────────────────────────────────────────────

  function applyStaticText() {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('dashboard.title');
    for (const node of document.querySelectorAll('[data-i18n]'))
      node.textContent = t(node.getAttribute('data-i18n'));
    for (const b of document.querySelectorAll('[data-lang]'))
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    $('token').setAttribute('placeholder', t('dashboard.token'));
    if (me)
      $('who').textContent = t('dashboard.signedInAs', {
        name: me.name,
        role: label(`role.${me.role}`, me.role),
      });
  }

  function setLang(next) {
    lang = next === 'en' ? 'en' : 'zh-CN';
    sessionStorage.setItem(LANG_KEY, lang);
    $('flash').textContent = '';
    applyStaticText();
    if (me) void loadAll();
  }

  // ── sign-in ───────────────────────────────────────────────────────────────────────────────────

  function showSignIn(error) {
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    $('refresh').hidden = true;
    $('who').textContent = '';
    $('sign-in-error').textContent = error || '';
  }

  function signOut(error) {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    campaign = null;
    if (timer) clearInterval(timer);
    timer = null;
    showSignIn(error);
  }

  async function start() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return showSignIn('');
    try {
      me = await api('/api/v1/me', { noSignOut: true });
    } catch (err) {
      return signOut(
        err.status === 401 ? t('dashboard.badToken') : t('dashboard.error', { message: err.message }),
      );
    }
    if (me.role !== 'leader' && me.role !== 'coordinator') {
      me = null;
      sessionStorage.removeItem(TOKEN_KEY);
      return showSignIn(t('dashboard.wrongRole'));
    }
    if (!sessionStorage.getItem(LANG_KEY) && (me.locale === 'en' || me.locale === 'zh-CN')) lang = me.locale;
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    $('refresh').hidden = false;
    applyStaticText();
    await loadAll();
    if (timer) clearInterval(timer);
    timer = setInterval(() => {
      // Never re-render under a leader who is writing an instruction.
      const typing = [...document.querySelectorAll('.ack input')].some(
        (i) => i.value.trim() !== '' || i === document.activeElement,
      );
      if (!typing) void loadAll();
    }, REFRESH_MS);
  }

  // ── sections ──────────────────────────────────────────────────────────────────────────────────

  async function section(node, load) {
    try {
      await load();
    } catch (err) {
      if (err.status !== 401)
        replace(node, el('p', { class: 'error', text: t('dashboard.error', { message: err.message }) }));
    }
  }

  async function loadAll() {
    $('app').setAttribute('aria-busy', 'true');
    await Promise.all([
      section($('escalations'), loadEscalations),
      section($('charts'), loadStatistics),
      section($('accountability'), loadAccountability),
      section($('campaign'), loadCampaign),
    ]);
    renderDownloads();
    $('app').setAttribute('aria-busy', 'false');
    $('app').setAttribute('data-loaded', lang);
  }

  async function loadEscalations() {
    const { items } = await api('/api/v1/escalations?status=open&limit=500');
    items.sort(
      (a, b) =>
        b.level - a.level || b.daysOverdue - a.daysOverdue || Date.parse(a.dueAt) - Date.parse(b.dueAt),
    );
    const node = $('escalations');
    if (items.length === 0) return replace(node, empty(t('dashboard.noEscalations')));
    const canAck = me.role === 'leader';
    const head = el(
      'tr',
      {},
      [
        'dashboard.col.level',
        'dashboard.col.clue',
        'dashboard.col.task',
        'dashboard.col.unit',
        'dashboard.col.dueAt',
        'dashboard.col.daysOverdue',
      ].map((k) => el('th', { text: t(k) })),
      canAck ? el('th', { text: t('dashboard.col.instruction') }) : null,
    );
    const rows = items.map((e) => {
      const input = el('input', {
        type: 'text',
        id: `instruction-${e.id}`,
        maxlength: '4000',
        placeholder: t('dashboard.instructionPlaceholder'),
        'aria-label': t('dashboard.col.instruction'),
      });
      const button = el('button', {
        type: 'button',
        class: 'primary',
        id: `ack-${e.id}`,
        text: t('dashboard.acknowledge'),
      });
      button.addEventListener('click', () => void acknowledge(e, input, button));
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') void acknowledge(e, input, button);
      });
      return el(
        'tr',
        { 'data-escalation-id': e.id, 'data-ref': e.ownerRef },
        el(
          'td',
          {},
          el('span', {
            class: `badge l${Math.min(3, e.level)}`,
            text: label(`level.${e.level}`, String(e.level)),
          }),
        ),
        el('td', { text: e.ownerRef }),
        el('td', { text: label(`task.${e.task}`, e.task) }),
        el('td', { text: unitName(e, 'unitNameZh', 'unitNameEn', 'unitId') }),
        el('td', { text: fmtTime(e.dueAt) }),
        el('td', { class: 'num', text: String(e.daysOverdue) }),
        canAck ? el('td', {}, el('div', { class: 'ack' }, input, button)) : null,
      );
    });
    replace(node, el('table', { id: 'escalation-table' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  async function acknowledge(e, input, button) {
    const instruction = input.value.trim();
    if (!instruction) {
      $('flash').className = 'flash error';
      $('flash').textContent = t('dashboard.instructionRequired');
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await api(`/api/v1/escalations/${encodeURIComponent(e.id)}/acknowledgement`, {
        method: 'POST',
        body: { instruction },
      });
      $('flash').className = 'flash';
      $('flash').textContent = t('dashboard.acknowledged', { ref: e.ownerRef });
      await Promise.all([section($('escalations'), loadEscalations), section($('charts'), loadStatistics)]);
    } catch (err) {
      button.disabled = false;
      $('flash').className = 'flash error';
      $('flash').textContent = t('dashboard.error', { message: err.message });
    }
  }

  /** A horizontal bar chart as inline SVG. rows: [{ label, value, note?, color? }] */
  function barChart(title, rows, id) {
    const wrap = el('div', { class: 'chart', id });
    wrap.append(el('h3', { text: title }));
    if (rows.length === 0) {
      wrap.append(empty('—'));
      return wrap;
    }
    const W = 420;
    const LABEL = 150;
    const VALUE = 70;
    const ROW = 22;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const s = svg('svg', { viewBox: `0 0 ${W} ${rows.length * ROW + 4}`, role: 'img', 'aria-label': title });
    rows.forEach((r, i) => {
      const y = i * ROW + 2;
      const w = Math.round(((W - LABEL - VALUE - 8) * r.value) / max);
      const short = r.label.length > 14 ? `${r.label.slice(0, 13)}…` : r.label;
      s.append(
        svg('text', { x: LABEL - 6, y: y + 14, 'text-anchor': 'end' }, svg('title', {}, r.label), short),
        svg('rect', {
          x: LABEL,
          y: y + 3,
          width: Math.max(r.value > 0 ? 2 : 0, w),
          height: ROW - 8,
          rx: 2,
          fill: r.color || '#1d4e89',
        }),
        svg('text', { x: LABEL + Math.max(w, 0) + 6, y: y + 14, class: 'v' }, r.note ?? fmtNum(r.value)),
      );
    });
    wrap.append(s);
    return wrap;
  }

  const GRADE_COLOURS = { I: '#c92a2a', II: '#e8590c', III: '#e0b000', IV: '#1c7ed6' };

  async function loadStatistics() {
    const s = await api(`/api/v1/ledger/statistics?lang=${encodeURIComponent(lang)}`);
    const T = s.totals;
    $('totals').textContent = t('dashboard.totals', {
      total: fmtNum(T.clues),
      keyClues: fmtNum(T.keyClues),
      open: fmtNum(T.open),
      amount: fmtNum(T.amountCny),
      participants: fmtNum(T.participants),
    });
    const bucketRows = (bs) =>
      bs.map((b) => ({ label: b.label, value: b.count, note: `${fmtNum(b.count)}` }));
    replace(
      $('charts'),
      barChart(
        t('dashboard.byGrade'),
        s.byGrade.map((b) => ({ label: b.label, value: b.count, color: GRADE_COLOURS[b.key] })),
        'chart-grade',
      ),
      barChart(t('dashboard.byUnit'), bucketRows(s.byUnit), 'chart-unit'),
      barChart(t('dashboard.byKeyArea'), bucketRows(s.byKeyArea), 'chart-area'),
      barChart(t('dashboard.byBehaviour'), bucketRows(s.byBehaviour), 'chart-behaviour'),
      barChart(t('dashboard.byStage'), bucketRows(s.byStage), 'chart-stage'),
      barChart(t('dashboard.bySource'), bucketRows(s.bySource), 'chart-source'),
      barChart(
        t('dashboard.escalationsByLevel'),
        s.escalationsByLevel.map((e) => ({
          label: e.label,
          value: e.open,
          note: `${e.open} / ${e.total}`,
          color: ['#e8a33d', '#d9480f', '#a4161a'][Math.min(2, e.level - 1)],
        })),
        'chart-escalations',
      ),
      el(
        'div',
        { class: 'chart', id: 'free-units' },
        el('h3', { text: t('dashboard.freeUnits') }),
        s.unitsFreeOfOpenKeyClues.length
          ? el(
              'ul',
              { class: 'units' },
              s.unitsFreeOfOpenKeyClues.map((u) => el('li', { text: u.unitName })),
            )
          : empty(t('dashboard.noFreeUnits')),
      ),
    );
    renderOnTime(s.onTimeByUnit);
  }

  function renderOnTime(units) {
    const node = $('ontime');
    const done = units.filter((u) => u.done > 0);
    if (done.length === 0) return replace(node, empty(t('dashboard.noOnTime')));
    replace(
      node,
      el(
        'div',
        { class: 'bars', id: 'ontime-bars' },
        done.flatMap((u) => {
          const pct = Math.round(u.rate * 1000) / 10;
          const cls = u.rate < 0.6 ? 'low' : u.rate < 0.9 ? 'mid' : 'high';
          const fill = el('span', { class: cls });
          fill.style.width = `${pct}%`;
          return [
            el('span', { text: u.unitName }),
            el(
              'div',
              {
                class: 'bar',
                role: 'meter',
                'aria-valuemin': '0',
                'aria-valuemax': '100',
                'aria-valuenow': String(pct),
                'aria-label': u.unitName,
              },
              fill,
            ),
            el('span', {
              class: 'value',
              title: t('dashboard.onTimeDetail', { onTime: u.onTime, done: u.done }),
              text: `${fmtPct(u.rate)} · ${t('dashboard.onTimeDetail', { onTime: u.onTime, done: u.done })}`,
            }),
          ];
        }),
      ),
    );
  }

  async function loadAccountability() {
    const { items } = await api('/api/v1/accountability');
    const node = $('accountability');
    if (items.length === 0) return replace(node, empty(t('dashboard.noAccountability')));
    replace(
      node,
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            [
              'dashboard.col.unit',
              'dashboard.col.clue',
              'dashboard.col.task',
              'dashboard.col.level',
              'dashboard.col.daysOverdue',
            ].map((k) => el('th', { text: t(k) })),
          ),
        ),
        el(
          'tbody',
          {},
          items
            .slice(0, 50)
            .map((a) =>
              el(
                'tr',
                {},
                el('td', { text: unitName(a, 'unitNameZh', 'unitNameEn', 'unitId') }),
                el('td', { text: a.ownerRef }),
                el('td', { text: label(`task.${a.task}`, a.task) }),
                el('td', { text: label(`level.${a.level}`, String(a.level)) }),
                el('td', { class: 'num', text: String(a.daysOverdue) }),
              ),
            ),
        ),
      ),
    );
  }

  async function loadCampaign() {
    const node = $('campaign');
    let list;
    try {
      list = await api('/api/v1/campaigns?status=active&limit=1');
      if (!list.items?.length) list = await api('/api/v1/campaigns?limit=1');
    } catch (err) {
      if (err.status === 404) {
        campaign = null;
        return replace(node, empty(t('dashboard.noCampaign')));
      }
      throw err;
    }
    const c = list.items?.[0];
    if (!c) {
      campaign = null;
      return replace(node, empty(t('dashboard.noCampaign')));
    }
    const p = await api(`/api/v1/campaigns/${encodeURIComponent(c.id)}/progress`);
    campaign = { id: p.campaignId, name: p.name };
    const status = (d) => {
      if (!d) return el('span', { text: '—' });
      const text =
        d.status === 'filed'
          ? t('dashboard.filed')
          : d.status === 'filed_late'
            ? `${t('dashboard.filed')}（${t('dashboard.late')}）`
            : d.status === 'overdue'
              ? `${t('dashboard.notFiled')}（${t('dashboard.late')}）`
              : d.status === 'cancelled'
                ? '—'
                : t('dashboard.notFiled');
      return el('span', { class: `st-${d.status}`, text });
    };
    const wi = (d) => {
      const s = status(d);
      s.textContent = `${d.filedCount}/${d.required} · ${s.textContent}`;
      return s;
    };
    replace(
      node,
      el('p', {
        class: 'meta',
        id: 'campaign-name',
        text: `${p.name} · ${t('dashboard.campaignPhase', { phase: label(`campaignPhase.${p.phase}`, p.phase) })}`,
      }),
      el(
        'table',
        { id: 'campaign-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { text: t('dashboard.col.unit') }),
            el('th', { text: label('task.implementation_plan', 'Implementation plan') }),
            el('th', { text: label('task.work_information', 'Work information') }),
            el('th', { text: label('task.summary_report', 'Summary report') }),
          ),
        ),
        el(
          'tbody',
          {},
          (p.units || []).map((u) =>
            el(
              'tr',
              {},
              el('td', { text: (lang === 'en' ? u.unitName?.en : u.unitName?.zh) || u.unitId }),
              el('td', {}, status(u.deliverables?.implementationPlan)),
              el('td', {}, u.deliverables?.workInformation ? wi(u.deliverables.workInformation) : '—'),
              el('td', {}, status(u.deliverables?.summaryReport)),
            ),
          ),
        ),
      ),
    );
  }

  async function download(path, fallbackName) {
    const res = await api(path, { raw: true, headers: { accept: '*/*' } });
    const blob = await res.blob();
    const cd = res.headers.get('content-disposition') || '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    const plain = /filename="([^"]+)"/i.exec(cd);
    const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  }

  function renderDownloads() {
    const q = `lang=${encodeURIComponent(lang)}`;
    const button = (id, text, path, name) =>
      el('button', {
        type: 'button',
        class: 'primary',
        id,
        text,
        onclick: () =>
          void download(path, name).catch((err) => {
            $('flash').className = 'flash error';
            $('flash').textContent = t('dashboard.error', { message: err.message });
          }),
      });
    replace(
      $('downloads'),
      button(
        'download-risks',
        t('dashboard.exportRisks'),
        `/api/v1/ledger/risks?format=xlsx&${q}`,
        'risks.xlsx',
      ),
      button(
        'download-key-clues',
        t('dashboard.exportKeyClues'),
        `/api/v1/ledger/key-clues?format=xlsx&${q}`,
        'key-clues.xlsx',
      ),
      campaign
        ? button(
            'download-summary',
            t('dashboard.summaryReport'),
            `/api/v1/campaigns/${encodeURIComponent(campaign.id)}/district-summary?format=docx&${q}`,
            'summary.docx',
          )
        : null,
    );
  }

  // ── wiring ────────────────────────────────────────────────────────────────────────────────────

  document.addEventListener('DOMContentLoaded', async () => {
    for (const b of document.querySelectorAll('[data-lang]'))
      b.addEventListener('click', () => setLang(b.getAttribute('data-lang')));
    $('sign-out').addEventListener('click', () => signOut(''));
    $('refresh').addEventListener('click', () => void loadAll());
    $('sign-in-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const token = $('token').value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token').value = '';
      void start();
    });
    try {
      messages = await (await fetch('/dashboard/messages.json')).json();
    } catch {
      /* keep the built-in Chinese text of the page */
    }
    applyStaticText();
    await start();
  });
})();
