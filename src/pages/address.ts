/**
 * Which addresses Cited may fetch from. A URL given by a corpus admin, a feed item's link or a
 * redirect must never become a way into the bot's own network (a router's admin page, a cloud
 * metadata service at 169.254.169.254, a database on localhost): only public unicast addresses
 * are allowed, unless ALLOW_PRIVATE_URLS is set. The check runs on the resolved address that the
 * connection then uses (fetch.ts), so a DNS answer that changes between check and connect (DNS
 * rebinding) cannot slip through.
 *
 * ipaddr.js classifies the ranges (IANA special-purpose registries for IPv4 and IPv6, IPv4-mapped
 * IPv6 unwrapped): 92 KB, no dependencies, and the same classifier Express's proxy-addr uses.
 */
import ipaddr from 'ipaddr.js';

/** Why an address is refused, in words ("10.0.0.5 is a private address"); null when it is a public address. */
export function refusedAddress(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so a mapped address is judged as what it is.
    parsed = ipaddr.process(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  return `${address} is ${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}`;
}

const RANGE_WORDS: Record<string, string> = {
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  loopback: 'a loopback address (this machine)',
  linkLocal: 'a link-local address (where cloud metadata services live)',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};
