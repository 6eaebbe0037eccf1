// How to run this same executable again as an agent (for re-executing inside a namespace): the single
// executable as `hakit run <agent> <action>`, or node with the bundle/script when not packaged.
export const selfCommand = (agent: string, action: string): [string, string[]] => {
  const script = process.argv[1] ?? '';
  const isScript = /\.(c?js|mjs|ts)$/.test(script);
  return isScript ? [process.execPath, [script, 'run', agent, action]] : [process.execPath, ['run', agent, action]];
};
