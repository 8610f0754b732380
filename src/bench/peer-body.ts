/** What every bench:http client sends: one POST body of a corpus-like text, as JSON. */
export const BODY = JSON.stringify({ text: 'Explain how a transformer model decides which words to attend to (#1)' });
export const BODY_CONTENT_TYPE = 'application/json';
