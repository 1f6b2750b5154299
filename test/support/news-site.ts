/**
 * A news site on 127.0.0.1 for the tests: realistic article pages (JSON-LD, OpenGraph only, no
 * metadata at all, AMP, a paywall stub), a redirect chain and a redirect loop, a slow server, a
 * 500, a PDF, a page over the size limit, and RSS, Atom and JSON feeds whose items the tests change
 * between polls, answered with ETag / Last-Modified and 304 when nothing changed. Every request is
 * logged, so tests can check what the bot asked for (conditional headers, User-Agent).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface Story {
  slug: string;
  headline: string;
  outlet: string;
  /** ISO date-time as the page prints it. */
  published: string;
  paragraphs: string[];
}

/** Stories the pages and feeds carry, each with facts a question can find. */
export const stories = {
  grain: {
    slug: 'grain-corridor-talks',
    headline: 'Grain corridor talks resume in Istanbul',
    outlet: 'Bosphorus Ledger',
    published: '2026-11-18T09:30:00+03:00',
    paragraphs: [
      'Negotiators from four delegations resumed talks in Istanbul on Wednesday on reopening the Black Sea grain corridor.',
      'Turkish officials said 46 cargo ships carrying 1.2 million tonnes of wheat and maize were waiting at anchor off Odesa.',
      'The previous arrangement collapsed in July after inspectors accused both sides of delaying ships at the Bosphorus.',
      'A United Nations spokesperson said the new draft would add a joint inspection centre in Istanbul staffed around the clock.',
      'Exporters in Odesa said insurance premiums for the route had tripled since the summer, cutting deliveries to North Africa.',
    ],
  },
  power: {
    slug: 'kharkiv-power-restored',
    headline: 'Power restored to most of Kharkiv after overnight strikes',
    outlet: 'Eastern Ledger',
    published: '2026-11-19T06:10:00Z',
    paragraphs: [
      'Engineers restored electricity to about 80 percent of Kharkiv by Thursday morning after strikes hit two substations overnight.',
      'The regional governor said repair crews had worked through the night in temperatures of minus seven degrees.',
      'Trams and the metro were running again by eight o’clock, although some districts in the north of the city remained dark.',
      'The city council opened 120 heating points in schools and libraries for residents without power.',
    ],
  },
  roof: {
    slug: 'irpin-school-roof',
    headline: 'Volunteers rebuild school roof in Irpin',
    outlet: '',
    published: '',
    paragraphs: [
      'More than 60 volunteers finished rebuilding the roof of School Number 17 in Irpin on Saturday, a month ahead of schedule.',
      'The building was damaged by shelling in March, and its 900 pupils have been taught in two shifts at a neighbouring school since then.',
      'The head teacher said classes would return to the building after the winter holidays once the heating was checked.',
    ],
  },
  mobilisation: {
    slug: 'mobilisation-rules',
    headline: 'Parliament approves new mobilisation rules',
    outlet: 'Kyiv Courier',
    published: '2026-11-20T14:00:00+02:00',
    paragraphs: [
      'Parliament approved new mobilisation rules on Friday with 283 votes in favour, after months of debate over the draft law.',
      'The law lowers the age at which men can be called up from 27 to 25 and introduces an electronic register of those liable for service.',
      'Deputies removed a clause that would have allowed soldiers to be demobilised after 36 months of service.',
      'The president is expected to sign the law next week, and it would take effect a month after publication.',
    ],
  },
  rail: {
    slug: 'odesa-rail-reopens',
    headline: 'Rail link to Odesa reopens after repairs',
    outlet: 'Southern Wire',
    published: '2026-11-21T08:00:00+02:00',
    paragraphs: [
      'The rail link between Kyiv and Odesa reopened on Saturday after three weeks of repairs to a bridge near Vapniarka.',
      'Ukrzaliznytsia said the first night train carried 640 passengers and arrived 40 minutes late.',
      'Freight services are due to resume on Monday, with priority given to grain wagons heading for the ports.',
    ],
  },
  dam: {
    slug: 'reservoir-levels',
    headline: 'Reservoir levels fall below winter minimum',
    outlet: 'Dnipro Daily',
    published: '2026-11-22T10:00:00+02:00',
    paragraphs: [
      'Water in the Dnipro reservoir fell to 11.8 metres on Sunday, below the winter minimum set by the water agency.',
      'The agency said three pumping stations supplying Zaporizhzhia had been switched to reserve intakes as a precaution.',
      'Hydrologists warned that the level could fall by another half a metre before the spring floods.',
    ],
  },
  bridge: {
    slug: 'pontoon-bridge',
    headline: 'Army engineers open pontoon bridge at Kherson',
    outlet: 'Southern Wire',
    published: '2026-11-23T07:45:00+02:00',
    paragraphs: [
      'Army engineers opened a pontoon bridge across the Inhulets river near Kherson on Monday, restoring a route closed since September.',
      'The crossing can carry vehicles of up to 40 tonnes and will be used first by trucks bringing generators to the city.',
      'A spokesperson for the southern command said the bridge would be dismantled in spring when the permanent bridge is repaired.',
    ],
  },
} satisfies Record<string, Story>;

const chrome = (body: string) => `
  <header class="site-header"><a href="/">Home</a> <nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
  <div class="ad-slot" aria-hidden="true">Advertisement</div>
  ${body}
  <aside class="most-read"><h2>Most read</h2><ol><li><a href="/a">Markets close higher as energy prices ease</a></li><li><a href="/b">Five things to know this morning</a></li><li><a href="/c">Weather: frost expected overnight</a></li></ol></aside>
  <footer><p>© 2026 News Group. All rights reserved.</p><p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/cookies">Cookie settings</a></p></footer>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({ page: 'article' });</script>`;

const articleBody = (s: Story, extra = '') => `
  <main><article>
    <h1>${s.headline}</h1>
    <div class="byline">By Staff Reporter${s.published ? ` · <time datetime="${s.published}">${s.published.slice(0, 10)}</time>` : ''}</div>
    <figure><img src="/img/${s.slug}.jpg" alt=""><figcaption>Photo: News Group</figcaption></figure>
    ${s.paragraphs.map((p) => `<p>${p}</p>`).join('\n    ')}
    ${extra}
    <div class="share"><button>Share on social media</button></div>
  </article></main>`;

export function jsonLdPage(s: Story, base: string): string {
  const ld = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: s.headline, datePublished: s.published, publisher: { '@type': 'Organization', name: s.outlet }, mainEntityOfPage: { '@type': 'WebPage', '@id': `${base}/news/${s.slug}` } };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${s.headline} | ${s.outlet}</title>
  <script type="application/ld+json">${JSON.stringify(ld)}</script>
  <meta property="og:title" content="An OpenGraph title that JSON-LD outranks"><meta property="og:site_name" content="Not the publisher">
  </head><body>${chrome(articleBody(s))}</body></html>`;
}

export function openGraphPage(s: Story, base: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${s.headline} - ${s.outlet}</title>
  <meta property="og:title" content="${s.headline}"><meta property="og:site_name" content="${s.outlet}"><meta property="og:url" content="${base}/news/${s.slug}?utm_source=feed">
  <meta property="article:published_time" content="${s.published}"><meta name="viewport" content="width=device-width">
  </head><body>${chrome(articleBody({ ...s, published: '' }))}</body></html>`;
}

/** No metadata: no JSON-LD, no OpenGraph, no canonical, no <time>, no <title>. */
export function barePage(s: Story): string {
  return `<html><body><div id="page"><div class="content"><h2>${s.headline}</h2>${s.paragraphs.map((p) => `<p>${p}</p>`).join('')}</div><div class="sidebar"><a href="/x">Other news</a></div></div></body></html>`;
}

/** An AMP page: its canonical is the regular article, which is what a citation should link to. */
export function ampPage(s: Story, base: string): string {
  const ld = { '@context': 'https://schema.org', '@type': 'ReportageNewsArticle', headline: s.headline, datePublished: s.published, publisher: { '@type': 'NewsMediaOrganization', name: s.outlet } };
  return `<!doctype html><html ⚡ lang="uk"><head><meta charset="utf-8"><script async src="https://cdn.ampproject.org/v0.js"></script>
  <link rel="canonical" href="${base}/news/${s.slug}"><meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
  <style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>
  <script type="application/ld+json">${JSON.stringify(ld)}</script><title>${s.headline}</title></head>
  <body><amp-sidebar id="menu" layout="nodisplay"><ul><li>World</li><li>Politics</li></ul></amp-sidebar>
  <article><h1>${s.headline}</h1><amp-img src="/img/${s.slug}.jpg" width="600" height="400" layout="responsive"></amp-img>
  ${s.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
  <amp-analytics type="gtag"><script type="application/json">{"vars":{"gtag_id":"G-1"}}</script></amp-analytics></body></html>`;
}

export function paywallPage(base: string): string {
  const ld = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Inside the negotiations over the grain corridor', datePublished: '2026-11-18', isAccessibleForFree: false, publisher: { '@type': 'Organization', name: 'Premium Times' }, url: `${base}/premium/inside` };
  return `<!doctype html><html><head><title>Inside the negotiations | Premium Times</title><script type="application/ld+json">${JSON.stringify(ld)}</script></head>
  <body>${chrome(`<article><h1>Inside the negotiations over the grain corridor</h1><p>Diplomats spent three weeks drafting the new agreement. Our correspondent spoke to four of them.</p>
  <div class="paywall"><a href="/subscribe">Subscribe to read the full story</a></div></article>`)}</body></html>`;
}

export interface FeedItemSpec {
  story: Story;
  /** Put the article's full text in the feed (content:encoded, Atom content, content_html). */
  fullText?: boolean;
  /** The item links here instead of the story's page. */
  link?: string;
}

export interface NewsSite {
  url: string;
  port: number;
  /** Requests as received, in order. */
  requests: { path: string; headers: IncomingHttpHeaders; status: number }[];
  /** Sets the items of `/feeds/<name>` (rss, atom, json by extension): a new version, with a new ETag. */
  setFeed(name: string, title: string, items: FeedItemSpec[]): void;
  /** Makes `/feeds/<name>` answer 500 (true) or serve again (false). */
  failFeed(name: string, failing: boolean): void;
  stop(): Promise<void>;
}

export async function startNewsSite(): Promise<NewsSite> {
  const feeds = new Map<string, { title: string; items: FeedItemSpec[]; version: number; modified: string; failing: boolean }>();
  const requests: NewsSite['requests'] = [];
  let base = '';
  const storyBySlug = new Map<string, Story>(Object.values(stories).map((s) => [s.slug, s]));
  // A copy of the grain story run by another outlet: its own headline and byline, one paragraph less.
  const syndicated: Story = { ...stories.grain, slug: 'syndicated-grain', headline: 'Black Sea grain deal back on the table', outlet: 'Harbour Post', paragraphs: stories.grain.paragraphs.slice(0, 4) };
  storyBySlug.set(syndicated.slug, syndicated);

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const send = (status: number, type: string | null, body: string | Buffer, headers: Record<string, string> = {}) => {
      requests.push({ path, headers: req.headers, status });
      res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...headers }).end(body);
    };
    const html = (body: string) => send(200, 'text/html; charset=utf-8', body);
    const slug = /^\/(?:news|og|bare|amp)\/([\w-]+)/.exec(path)?.[1];
    const story = slug ? storyBySlug.get(slug) : undefined;
    if (path.startsWith('/news/') && story) return html(jsonLdPage(story, base));
    if (path.startsWith('/og/') && story) return html(openGraphPage(story, base));
    if (path.startsWith('/bare/') && story) return html(barePage(story));
    if (path.startsWith('/amp/') && story) return html(ampPage(story, base));
    if (path === '/gzip/grain') return send(200, 'text/html; charset=utf-8', gzipSync(jsonLdPage(stories.grain, base)), { 'content-encoding': 'gzip' });
    if (path === '/premium/inside') return html(paywallPage(base));
    // A redirect chain as news links go: tracker → http→https-like hop → www-like hop → the page.
    const hop = /^\/r\/(\d)$/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      const status = [302, 301, 307][n - 1] ?? 302;
      return send(status, null, '', { location: n < 3 ? `/r/${n + 1}` : `/news/${stories.rail.slug}` });
    }
    if (path === '/loop') return send(302, null, '', { location: '/loop' });
    if (path.startsWith('/to/')) return send(302, null, '', { location: decodeURIComponent(path.slice(4)) });
    if (path === '/slow') {
      // Headers at once, then nothing: only a deadline on the whole fetch ends this.
      requests.push({ path, headers: req.headers, status: 200 });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>Loading');
      const timer = setTimeout(() => res.end('</p></body></html>'), 60_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (path === '/error') return send(500, 'text/html', '<h1>Internal Server Error</h1>');
    if (path === '/missing') return send(404, 'text/html', '<h1>Not found</h1>');
    if (path === '/report.pdf') return send(200, 'application/pdf', '%PDF-1.7 not a page');
    if (path === '/huge') {
      requests.push({ path, headers: req.headers, status: 200 });
      res.writeHead(200, { 'content-type': 'text/html' }); // no length: counted as it comes
      const chunk = `<p>${'Filler text for a page far too large to be an article. '.repeat(180)}</p>\n`;
      let sent = 0;
      const pump = () => {
        while (sent < 11 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      return pump();
    }
    const feedName = /^\/feeds\/([\w.-]+)$/.exec(path)?.[1];
    const feed = feedName ? feeds.get(feedName) : undefined;
    if (feedName && feed) {
      if (feed.failing) return send(500, 'text/plain', 'feed generator crashed');
      const etag = `"${feedName}-v${feed.version}"`;
      if (req.headers['if-none-match'] === etag || (req.headers['if-modified-since'] === feed.modified && req.headers['if-none-match'] === undefined)) return send(304, null, '', { etag, 'last-modified': feed.modified });
      const [type, body] = renderFeed(feedName, feed.title, feed.items, base);
      return send(200, type, body, { etag, 'last-modified': feed.modified });
    }
    send(404, 'text/html', '<h1>Not found</h1>');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    requests,
    setFeed(name, title, items) {
      const previous = feeds.get(name);
      const version = (previous?.version ?? 0) + 1;
      feeds.set(name, { title, items, version, modified: new Date(Date.UTC(2026, 10, 18, 12, version)).toUTCString(), failing: previous?.failing ?? false });
    },
    failFeed(name, failing) {
      const feed = feeds.get(name);
      if (feed) feed.failing = failing;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function renderFeed(name: string, title: string, items: FeedItemSpec[], base: string): [string, string] {
  const link = (i: FeedItemSpec) => i.link ?? `${base}/news/${i.story.slug}`;
  const full = (i: FeedItemSpec) => i.story.paragraphs.map((p) => `<p>${p}</p>`).join('');
  if (name.endsWith('.json')) {
    const feed = {
      version: 'https://jsonfeed.org/version/1.1',
      title,
      home_page_url: base,
      items: items.map((i) => ({ id: `${base}/id/${i.story.slug}`, url: link(i), title: i.story.headline, date_published: i.story.published || undefined, ...(i.fullText ? { content_html: full(i) } : { summary: i.story.paragraphs[0] }) })),
    };
    return ['application/feed+json', JSON.stringify(feed)];
  }
  if (name.endsWith('.atom')) {
    const entries = items
      .map(
        (i) => `<entry><id>tag:news.test,2026:${i.story.slug}</id><title>${escapeXml(i.story.headline)}</title><link rel="alternate" href="${escapeXml(link(i))}"/>
        <published>${i.story.published}</published><updated>${i.story.published}</updated><summary>${escapeXml(i.story.paragraphs[0]!)}</summary>
        ${i.fullText ? `<content type="html">${escapeXml(full(i))}</content>` : ''}</entry>`,
      )
      .join('\n');
    return ['application/atom+xml; charset=utf-8', `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${escapeXml(title)}</title><id>tag:news.test,2026:${name}</id><updated>2026-11-23T08:00:00Z</updated><link href="${base}/"/>${entries}</feed>`];
  }
  const rssItems = items
    .map(
      (i) => `<item><title>${escapeXml(i.story.headline)}</title><link>${escapeXml(link(i))}</link><guid isPermaLink="false">${i.story.slug}</guid>
      ${i.story.published ? `<pubDate>${new Date(i.story.published).toUTCString()}</pubDate>` : ''}<description>${escapeXml(i.story.paragraphs[0]!)}</description>
      ${i.fullText ? `<content:encoded><![CDATA[${full(i)}]]></content:encoded>` : ''}</item>`,
    )
    .join('\n');
  return ['application/rss+xml; charset=utf-8', `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escapeXml(title)}</title><link>${base}/</link><description>Test wire</description>${rssItems}</channel></rss>`];
}
