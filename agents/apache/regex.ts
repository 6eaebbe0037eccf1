// testregex/testregex10 are `grep -Ei` patterns (POSIX ERE, GNU extensions); JS RegExp reads most of them the same.
// The differences that matter are translated: [[:alpha:]]-style classes and GNU \< \> word anchors.
const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
};

// Compiles a grep -Ei pattern as a case-insensitive, line-anchored JS RegExp; throws on a bad pattern.
export const compileGrepRegex = (pattern: string): RegExp => {
  const js = pattern
    .replace(/\[:([a-z]+):\]/g, (all, name: string) => CLASSES[name] ?? all)
    .replace(/\\</g, '\\b(?=\\w)')
    .replace(/\\>/g, '\\b(?<=\\w)');
  return new RegExp(js, 'im');
};
