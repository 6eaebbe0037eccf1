import type { FailoverResult } from './failover';
import type { TimelineEvent } from './timeline';

// The failover report as an SVG chart (hand-written): one bar per run from the injection to "serving again",
// split into phases at the timeline's events, with a marker per event and a legend.

const COLORS: Record<TimelineEvent['label'], string> = {
  injected: '#444', detected: '#d62728', stopped: '#ff7f0e', promoted: '#9467bd', started: '#2ca02c', 'serving again': '#1f77b4',
};

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Renders the runs as an SVG document.
export const svgReport = (runs: readonly FailoverResult[], title: string): string => {
  const rowH = 26;
  const left = 260;
  const width = 960;
  const plotW = width - left - 30;
  const maxMs = Math.max(1000, ...runs.flatMap((r) => r.timeline.map((e) => e.ms)));
  const step = maxMs > 20_000 ? 5000 : maxMs > 8000 ? 2000 : 1000;
  const scaleMax = Math.ceil(maxMs / step) * step;
  const x = (ms: number) => left + (Math.max(0, ms) / scaleMax) * plotW;
  const top = 60;
  const height = top + runs.length * rowH + 70;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let t = 0; t <= scaleMax; t += step) {
    parts.push(`<line x1="${x(t)}" y1="${top - 8}" x2="${x(t)}" y2="${top + runs.length * rowH}" stroke="#ddd"/>`,
      `<text x="${x(t)}" y="${top - 12}" text-anchor="middle" fill="#666">${t / 1000} s</text>`);
  }
  runs.forEach((r, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="10" y="${y + 16}">${esc(`#${i + 1} ${r.scenario} ${r.provider} ${r.from}→${r.to}`)}</text>`);
    const ev = [...r.timeline].sort((a, b) => a.ms - b.ms);
    ev.forEach((e, j) => {
      const next = ev[j + 1];
      if (next) parts.push(`<rect x="${x(e.ms)}" y="${y + 5}" width="${Math.max(1, x(next.ms) - x(e.ms))}" height="14" fill="${COLORS[next.label]}" opacity="0.35"><title>${esc(`${e.label} → ${next.label}: ${((next.ms - e.ms) / 1000).toFixed(2)} s`)}</title></rect>`);
      parts.push(`<circle cx="${x(e.ms)}" cy="${y + 12}" r="4" fill="${COLORS[e.label]}"><title>${esc(`${e.label} ${(e.ms / 1000).toFixed(2)} s ${e.node ?? ''}: ${e.detail}`)}</title></circle>`);
    });
    if (r.servingMs !== undefined) parts.push(`<text x="${x(r.servingMs) + 8}" y="${y + 16}" fill="#1f77b4">${(r.servingMs / 1000).toFixed(2)} s${r.data.file ? (r.data.readBack && r.data.overHttp ? ', data intact' : ', DATA LOST') : ''}</text>`);
  });
  const ly = top + runs.length * rowH + 30;
  Object.entries(COLORS).forEach(([label, c], i) => {
    parts.push(`<circle cx="${20 + i * 150}" cy="${ly}" r="5" fill="${c}"/><text x="${30 + i * 150}" y="${ly + 4}">${esc(label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
};
