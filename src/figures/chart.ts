/**
 * Bar charts comparing the values of one subject, one bar per figure, labelled with its outlet:
 * as SVG rendered in-process to PNG by @resvg/resvg-js (for Discord), and as text (for the
 * console). Approximate values are drawn hatched and marked "~"; bounds are marked "≥" or "≤"
 * with an open end, so a reader sees at a glance which numbers are firm.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Figure, FigureGroup } from './figures.js';
import { qualifierMark } from './describe.js';

/** A group is charted when it has two or more values to compare. */
export function worthCharting(group: FigureGroup): boolean {
  return new Set(group.figures.map((f) => f.value)).size >= 2;
}

const WIDTH = 720;
const BAR_HEIGHT = 26;
const GAP = 10;
const LABEL = 230;

export function chartSvg(group: FigureGroup): string {
  const figures = group.figures.slice(0, 12);
  const max = Math.max(...figures.map((f) => f.value));
  const top = 44;
  const height = top + figures.length * (BAR_HEIGHT + GAP) + 30;
  const room = WIDTH - LABEL - 130;
  const bars = figures.map((f, i) => {
    const y = top + i * (BAR_HEIGHT + GAP);
    const w = Math.max(2, (f.value / max) * room);
    const fill = f.qualifier === 'approximate' ? 'url(#hatch)' : f.qualifier === 'exact' ? '#2f6fdf' : '#7fa6ee';
    const openEnd =
      f.qualifier === 'lower bound'
        ? `<path d="M${LABEL + w} ${y} l10 ${BAR_HEIGHT / 2} l-10 ${BAR_HEIGHT / 2}" fill="#7fa6ee"/>`
        : f.qualifier === 'upper bound'
          ? `<line x1="${LABEL + w}" y1="${y - 3}" x2="${LABEL + w}" y2="${y + BAR_HEIGHT + 3}" stroke="#1d3f80" stroke-width="3"/>`
          : '';
    return [
      `<text x="${LABEL - 10}" y="${y + 18}" text-anchor="end" class="label">${escapeXml(truncate(outletOf(f) + (f.place ? ` · ${f.place}` : ''), 32))}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${fill}" stroke="#1d3f80" stroke-width="1"/>`,
      openEnd,
      `<text x="${LABEL + w + 16}" y="${y + 18}" class="value">${escapeXml(qualifierMark(f) + f.value.toLocaleString('en-US'))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#dbe6fb"/><line x1="0" y1="0" x2="0" y2="8" stroke="#2f6fdf" stroke-width="4"/></pattern>',
    '<style>text{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;fill:#1b1f24}.title{font-size:18px;font-weight:bold}.label{font-size:13px}.value{font-size:13px;font-weight:bold}.note{font-size:11px;fill:#555}</style></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="28" class="title">${escapeXml(truncate(group.subject, 60))}: values by source</text>`,
    ...bars,
    `<text x="16" y="${height - 10}" class="note">~ approximate (hatched) · ≥ at least (open end) · ≤ at most (end bar) · values as each outlet printed them</text>`,
    '</svg>',
  ].join('');
}

/** The chart as a PNG (system fonts are used for the labels). */
export function chartPng(group: FigureGroup): Buffer {
  const svg = chartSvg(group);
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'width', value: WIDTH } }).render().asPng();
}

/** The same chart as text, one line a bar. */
export function textChart(group: FigureGroup, width = 30): string[] {
  const figures = group.figures.slice(0, 12);
  const max = Math.max(...figures.map((f) => f.value));
  const values = figures.map((f) => qualifierMark(f) + f.value.toLocaleString('en-US'));
  const pad = Math.max(...values.map((v) => v.length));
  return figures.map((f, i) => {
    const cells = (f.value / max) * width;
    const full = Math.floor(cells);
    const bar = (f.qualifier === 'approximate' ? '▒' : '█').repeat(full) + (cells - full >= 0.5 ? '▌' : '') || '▏';
    const end = f.qualifier === 'lower bound' ? '→' : f.qualifier === 'upper bound' ? '|' : '';
    return `${values[i]!.padStart(pad)} ${(bar + end).padEnd(width + 2)} ${outletOf(f)}${f.place ? ` · ${f.place}` : ''}`;
  });
}

function outletOf(f: Figure): string {
  return f.source.outlet ?? 'unknown outlet';
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
