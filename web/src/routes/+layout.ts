// A single-page app: nothing renders on the server, every route falls back to index.html.
export const ssr = false;
export const prerender = false;
