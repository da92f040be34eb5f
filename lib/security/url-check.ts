export interface UrlProblem {
  part: 'path' | 'query';
  /** The query parameter's name, as far as it can be read. */
  parameter?: string;
  problem: 'malformed_encoding' | 'nul' | 'lone_surrogate';
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

function decode(raw: string): { text: string } | { problem: UrlProblem['problem'] } {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return { problem: 'malformed_encoding' };
  }
  if (text.includes('\u0000')) return { problem: 'nul' };
  if (LONE_SURROGATE.test(text)) return { problem: 'lone_surrogate' };
  return { text };
}

const WHAT: Record<UrlProblem['problem'], string> = {
  malformed_encoding: 'is not well-formed percent-encoding of UTF-8 text',
  nul: 'contains U+0000 (a NUL character)',
  lone_surrogate: 'contains half of a UTF-16 surrogate pair',
};

/**
 * The first thing in a URL's path or query that cannot be read as text: percent-encoding that is
 * malformed or not UTF-8 (`%E0%A4%A`, `%FF`), or that decodes to U+0000 or a lone surrogate.
 * Routes read params and queries decoded, where such input would otherwise fail deep inside
 * (Next's own decoding, or the database refusing a NUL), so it is refused at the door.
 */
export function findUrlProblem(url: string): UrlProblem | null {
  const { pathname, search } = new URL(url);
  for (const segment of pathname.split('/')) {
    const decoded = decode(segment);
    if ('problem' in decoded) {
      return {
        part: 'path',
        problem: decoded.problem,
        message: `The URL path is not valid: ${shown(segment)} ${WHAT[decoded.problem]}.`,
      };
    }
  }
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const rawName = (separator === -1 ? pair : pair.slice(0, separator)).replaceAll('+', ' ');
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1).replaceAll('+', ' ');
    const name = decode(rawName);
    const inName = 'problem' in name;
    const failed = inName ? name : decode(rawValue);
    if ('problem' in failed) {
      const parameter = 'text' in name ? name.text : rawName;
      return {
        part: 'query',
        parameter,
        problem: failed.problem,
        message: `The query parameter ${shown(parameter)} is not valid: its ${inName ? 'name' : 'value'} ${WHAT[failed.problem]}.`,
      };
    }
  }
  return null;
}
