// The API reference page: renders /api/openapi.json in the browser.
// Every text from the document is set with textContent, never as markup.

import { $, el } from './dom.js';
import { api } from './api.js';

// Problem types: `type` of every error body is /api/docs#problem-<kind>.
const PROBLEMS = [
  ['bad-request', 400, 'The request could not be read: malformed JSON, or a query parameter of the wrong type. The detail says which.'],
  ['unauthorized', 401, 'Saving, updating or deleting a saved plan on a server that has a token, without `Authorization: Bearer <token>` or with the wrong token.'],
  ['not-found', 404, 'No such endpoint, GEOID, program, chart, export format or saved plan.'],
  ['method-not-allowed', 405, 'The endpoint exists but not with this method; the `Allow` header lists the methods it takes.'],
  ['precondition-failed', 412, 'A PUT with `If-Match` whose revision is no longer current: someone else saved the plan since you read it. Read it again and reapply your change.'],
  ['too-large', 413, 'The request body is over 1 MiB.'],
  ['unsupported-media-type', 415, 'A body that is not sent as `Content-Type: application/json`.'],
  ['misdirected-request', 421, 'A request to a loopback-only server under a host name other than localhost or 127.0.0.1 (protection against DNS rebinding).'],
  ['invalid', 422, 'The request was read but cannot be used: an unknown driver or program id (with the closest id suggested), a negative or absurd figure, a custom area without a population, a catalog override with errors (each with file, line and field). `errors[].pointer` is a JSON Pointer into the request body.'],
  ['unavailable', 503, 'The server is busy with other computations, or the request took longer than 30 seconds. Try again, or ask for fewer simulation draws.'],
  ['internal', 500, 'A bug in safetygap. Please report it with the request that caused it.'],
];

const refName = (ref) => ref.split('/').pop();

function typeOf(s) {
  if (!s) return el('span', { text: 'any' });
  if (s.$ref) return el('a', { href: '#schema-' + refName(s.$ref), text: refName(s.$ref) });
  for (const k of ['oneOf', 'anyOf', 'allOf']) {
    if (s[k]) {
      const parts = s[k].filter((x) => x.type !== 'null');
      const span = el('span');
      parts.forEach((p, i) => { if (i) span.append(k === 'allOf' ? ' & ' : ' or '); span.append(typeOf(p)); });
      if (parts.length < s[k].length) span.append(' or null');
      return span;
    }
  }
  let t = Array.isArray(s.type) ? s.type.filter((x) => x !== 'null') : [s.type];
  const nullable = Array.isArray(s.type) && s.type.includes('null');
  const span = el('span');
  if (t[0] === 'array') { span.append('array of ', typeOf(s.items)); }
  else if (t[0] === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') { span.append('map of id → ', typeOf(s.additionalProperties)); }
  else if (s.enum) { span.append('one of ' + s.enum.join(', ')); }
  else { span.append((t[0] || 'object') + (s.format ? ' (' + s.format + ')' : '')); }
  if (nullable) span.append(' or null');
  return span;
}

function schemaTable(s, doc) {
  if (s.$ref) s = doc.components.schemas[refName(s.$ref)] || {};
  const props = s.properties || {};
  const req = new Set(s.required || []);
  const keys = Object.keys(props);
  if (!keys.length) return null;
  return el('div', { className: 'scroll', role: 'region', tabindex: '0', 'aria-label': 'Fields' },
    el('table', { className: 'data' },
      el('thead', null, el('tr', null, el('th', { scope: 'col', text: 'Field' }), el('th', { scope: 'col', text: 'Type' }), el('th', { scope: 'col', text: 'Description' }))),
      el('tbody', null, ...keys.map((k) => el('tr', null,
        el('th', { scope: 'row' }, el('code', { text: k }), req.has(k) ? el('span', { className: 'sub', text: 'required' }) : null),
        el('td', null, typeOf(props[k])),
        el('td', { text: props[k].description || '' }))))));
}

function operation(method, path, op, doc) {
  const id = 'op-' + (op.operationId || method + path.replace(/\W+/g, '-'));
  const sec = el('section', { className: 'block', id, 'aria-labelledby': id + '-h' },
    el('h3', { id: id + '-h' }, el('code', { text: method.toUpperCase() + ' ' + path })));
  if (op.summary) sec.append(el('p', { text: op.summary }));
  if (op.description && op.description !== op.summary) sec.append(el('p', { className: 'hint', text: op.description }));
  if (op.security && op.security.length) sec.append(el('p', { className: 'hint', text: 'Needs `Authorization: Bearer <token>`: this server was started with a token.' }));
  const params = op.parameters || [];
  if (params.length) {
    sec.append(el('h4', { text: 'Parameters' }), el('div', { className: 'scroll', role: 'region', tabindex: '0', 'aria-label': 'Parameters' },
      el('table', { className: 'data' },
        el('thead', null, el('tr', null, ...['Name', 'In', 'Type', 'Description'].map((t) => el('th', { scope: 'col', text: t })))),
        el('tbody', null, ...params.map((p) => el('tr', null,
          el('th', { scope: 'row' }, el('code', { text: p.name }), p.required ? el('span', { className: 'sub', text: 'required' }) : null),
          el('td', { text: p.in }),
          el('td', null, typeOf(p.schema)),
          el('td', { text: p.description || '' })))))));
  }
  if (op.requestBody) {
    const c = op.requestBody.content || {};
    sec.append(el('h4', { text: 'Request body' }));
    for (const [ct, m] of Object.entries(c)) sec.append(el('p', null, el('code', { text: ct }), ': ', typeOf(m.schema)));
  }
  const rs = Object.entries(op.responses || {});
  if (rs.length) {
    sec.append(el('h4', { text: 'Responses' }), el('div', { className: 'scroll', role: 'region', tabindex: '0', 'aria-label': 'Responses' },
      el('table', { className: 'data' },
        el('thead', null, el('tr', null, ...['Status', 'Content', 'Description'].map((t) => el('th', { scope: 'col', text: t })))),
        el('tbody', null, ...rs.map(([status, given]) => {
          // Errors are shared responses (#/components/responses/...).
          const r = given.$ref ? ((doc.components.responses || {})[refName(given.$ref)] || {}) : given;
          const content = el('td');
          for (const [ct, m] of Object.entries(r.content || {})) {
            if (content.childNodes.length) content.append(el('br'));
            content.append(el('code', { text: ct }));
            if (m.schema) content.append(' ', typeOf(m.schema));
          }
          return el('tr', null, el('th', { scope: 'row', text: status }), content, el('td', { text: r.description || '' }));
        })))));
  }
  return sec;
}

async function start() {
  let doc;
  try {
    doc = await api('GET', '/api/openapi.json');
  } catch (e) {
    $('intro').textContent = 'The OpenAPI document could not be loaded: ' + e.message;
    return;
  }
  $('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.title = doc.info.title + ' reference';
  $('intro').textContent = doc.info.description || '';
  const bearer = doc.components && doc.components.securitySchemes && doc.components.securitySchemes.bearer;
  if (bearer) $('intro').after(el('p', { className: 'hint', text: 'Authentication: ' + bearer.description }));
  $('intro').after(el('p', { className: 'hint', text: 'OpenAPI ' + doc.openapi + ' document: /api/openapi.json. Errors are application/problem+json (RFC 9457); their types are listed under Problems below.' }));

  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([method, path, op]);
    }
  }
  const toc = el('ul');
  const ops = $('ops');
  for (const [tag, list] of byTag) {
    const tagInfo = (doc.tags || []).find((t) => t.name === tag);
    const tid = 'tag-' + tag.replace(/\W+/g, '-');
    ops.append(el('h2', { id: tid, className: 'block', text: tag[0].toUpperCase() + tag.slice(1) }));
    if (tagInfo && tagInfo.description) ops.append(el('p', { className: 'hint', text: tagInfo.description }));
    const sub = el('ul');
    for (const [method, path, op] of list) {
      const sec = operation(method, path, op, doc);
      ops.append(sec);
      sub.append(el('li', null, el('a', { href: '#' + sec.id, text: method.toUpperCase() + ' ' + path })));
    }
    toc.append(el('li', null, el('a', { href: '#' + tid, text: tag }), sub));
  }
  $('toc').append(el('h2', { text: 'Endpoints' }), toc);

  const pr = $('problems');
  pr.append(el('h2', { id: 'problems-h', className: 'block', text: 'Problems' }),
    el('p', { className: 'hint', text: 'Every error is a JSON object with type, title, status, detail (what was wrong and how to fix it) and, for input errors, errors[] located by JSON Pointer, file, line and field.' }));
  const dl = el('dl');
  for (const [kind, status, text] of PROBLEMS) {
    dl.append(el('dt', { id: 'problem-' + kind }, el('code', { text: '/api/docs#problem-' + kind }), ' (' + status + ')'), el('dd', { text: text }));
  }
  pr.append(dl);

  const sc = $('schemas');
  sc.append(el('h2', { id: 'schemas-h', className: 'block', text: 'Schemas' }));
  for (const [name, s] of Object.entries((doc.components && doc.components.schemas) || {})) {
    const sec = el('section', { id: 'schema-' + name, 'aria-labelledby': 'schema-' + name + '-h' }, el('h3', { id: 'schema-' + name + '-h', text: name }));
    if (s.description) sec.append(el('p', { text: s.description }));
    if (s.oneOf) sec.append(el('p', null, 'One of: ', typeOf(s)));
    const t = schemaTable(s, doc);
    if (t) sec.append(t);
    sc.append(sec);
  }
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
