import { ApiError } from './errors.js';

/**
 * Removes commas that stand right before a closing `}` or `]` outside strings. The seeds'
 * own raw examples (`{ "apiToken": "YOUR-API-TOKEN",}`) carry one, and a request copied from
 * them must work.
 */
function withoutTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    if (char === ',') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text.charAt(next))) next++;
      if (text[next] === '}' || text[next] === ']') continue;
    }
    out += char;
  }
  return out;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The body of an integration request as a JSON object, or 9003: not JSON, not an object, or
 * sent with a content type other than JSON. An absent body reads as `{}` (a token may come in
 * the Authorization header).
 */
export function readJsonObject(raw: Buffer | undefined, contentType: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.length === 0) {
    if (contentType === undefined || JSON_MEDIA_TYPE.test(contentType)) return {};
    throw new ApiError(9003);
  }
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) throw new ApiError(9003);
  const text = raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = JSON.parse(withoutTrailingCommas(text));
    } catch {
      throw new ApiError(9003);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(9003);
  return value as Record<string, unknown>;
}
