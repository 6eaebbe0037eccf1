// Small helpers to write man(7) roff source from plain text.

// Escapes text for roff: backslashes, hyphens that are options, and control characters at line starts.
export const esc = (text) =>
  String(text)
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');

// Bold and italic runs (escaped).
export const bold = (text) => `\\fB${esc(text)}\\fR`;
export const italic = (text) => `\\fI${esc(text)}\\fR`;

// Paragraphs of free text: blank lines separate paragraphs; lines that start with whitespace (or a list bullet)
// are kept as they are (no-fill), everything else is filled.
export const paragraphs = (text, first = '.PP') => {
  const blocks = String(text ?? '').replace(/\r/g, '').trim().split(/\n\s*\n/).filter((b) => b.trim() !== '');
  const out = [];
  blocks.forEach((block, i) => {
    out.push(i === 0 ? first : '.PP');
    const lines = block.split('\n');
    const literal = lines.length > 1 && lines.some((l) => /^(\s+\S|\s*[-*] )/.test(l));
    if (literal) out.push('.nf', ...lines.map((l) => esc(l)), '.fi');
    else out.push(esc(lines.map((l) => l.trim()).join(' ')));
  });
  return out;
};

// A literal block (examples): no filling, no hyphenation, indented.
export const literal = (lines) => ['.PP', '.RS 4', '.nf', ...lines.map((l) => esc(l)), '.fi', '.RE'];

// The page header; the date as YYYY-MM-DD from SOURCE_DATE_EPOCH when set (reproducible builds).
export const header = (title, section, source, manual) => {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const date = (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
  const q = (s) => `"${esc(s).replace(/"/g, '\\(dq')}"`;
  return [`.TH ${q(title)} ${section} ${q(date)} ${q(source)} ${q(manual)}`, '.nh', '.ad l'];
};
