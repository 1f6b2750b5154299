/**
 * Bytes of a page or feed → text, in the encoding the document declares, as a browser would pick
 * it: a byte-order mark first, then the charset the server sent, then the document's own
 * declaration (`<meta charset>` or `<?xml encoding?>` in its first 1,024 bytes), else UTF-8.
 * Node's TextDecoder knows the WHATWG encodings (windows-1252, ISO-8859-x, Shift_JIS, GBK…); an
 * unknown label falls back to UTF-8. Bytes that are not valid in the encoding become U+FFFD.
 */
export function decodeDocument(bytes: Uint8Array, declared: string | null): string {
  const label = bom(bytes) ?? declared ?? prescan(bytes) ?? 'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

function bom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

function prescan(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml) return xml[1]!.toLowerCase();
  const meta = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return meta ? meta[1]!.toLowerCase() : null;
}
