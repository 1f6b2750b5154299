import { isIP } from 'node:net';

/**
 * The outlet's name from an article URL's host: ndtv.com → NDTV, newsweek.com → Newsweek,
 * bbc.co.uk → BBC. Short names (up to four letters) are acronyms in practice and go upper case;
 * longer ones get a capital first letter. `corpus/sources.json` overrides any of them.
 */
export function outletFromUrl(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  // An address given as a number (127.0.0.1, [::1]) names no outlet.
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return null;
  const labels = host.replace(/^www\d*\./, '').split('.').filter(Boolean);
  if (labels.length === 0) return null;
  // Second-level registries such as co.uk, com.au, co.in: the name is the label before them.
  const secondLevel = labels.length >= 3 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3;
  const name = labels.length === 1 ? labels[0]! : secondLevel ? labels.at(-3)! : labels.at(-2)!;
  if (!/^[a-z0-9-]+$/.test(name)) return null;
  return name.length <= 4 ? name.toUpperCase() : name[0]!.toUpperCase() + name.slice(1);
}
