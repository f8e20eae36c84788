// Small DOM helpers shared by the page (app.js) and the API reference (docs.js).
// Every string is put on the page with textContent or setAttribute, never as markup.

export const $ = (id) => document.getElementById(id);

/** Creates an element: el('td', {className: 'n', text: '12', 'data-label': 'Need'}, child, ...). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'className') e.className = v;
    else if (k === 'hidden') e.hidden = true;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** Puts a cell's content in one wrapper, so a stacked (phone) layout keeps value and note together. */
export function fill(td, ...parts) {
  td.replaceChildren(el('span', { className: 'val' }, ...parts));
}
