// The API client: JSON in and out, errors as RFC 9457 problems (ApiError).
// Shared by the page (app.js) and the API reference (docs.js).

// ------------------------------------------------------------ API

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
    this.status = status;
  }
}

export async function api(method, path, body, opts) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // Saved plans need the token for reads too on a server that has one.
  if (path.startsWith('/api/saved-plans')) {
    const t = sessionStorage.getItem('safetygap-token');
    if (t) headers.Authorization = 'Bearer ' + t;
  }
  Object.assign(headers, (opts && opts.headers) || {});
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError({ title: 'The server cannot be reached', detail: 'Check that safetygap serve is still running, then try again.' }, 0);
  }
  if (!res.ok) {
    let p;
    try { p = await res.json(); } catch (e) { p = { title: res.statusText || 'Error', detail: '' }; }
    throw new ApiError(p, res.status);
  }
  if (opts && opts.raw) return res;
  return res.status === 204 ? null : res.json();
}
