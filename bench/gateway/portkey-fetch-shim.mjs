// Loaded into Portkey's gateway process (node --import) by the gateway benchmark. On Node 20,
// Portkey's streaming path appends headers to the Response that fetch returned, whose headers are
// immutable there ("TypeError: immutable", every stream answers 500). Re-wrapping each fetched
// Response gives it mutable headers; the body stream is passed through untouched.
const original = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await original(...args);
  return new Response(response.body, response);
};
