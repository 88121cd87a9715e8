// The Content-Disposition of a download (RFC 6266 with RFC 5987's filename*): an ASCII fallback for old
// clients and the real name, often Chinese, percent-encoded as UTF-8. Every route that sends a file uses
// this one function: a raw non-Latin-1 name in a header makes Node throw, and a quote would end the value.

/** `attachment; filename="<ascii>"; filename*=UTF-8''<name>`; the fallback defaults to the name made ASCII. */
export function attachmentHeader(fileName: string, fallback: string = fileName): string {
  const ascii = fallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * unencoded; RFC 5987's attr-char does not allow them.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
