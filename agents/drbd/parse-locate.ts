import { XMLParser } from 'fast-xml-parser';

// Parser for `crm_resource --locate --output-as=xml` (fast-xml-parser). Kept apart so that the calls that never ask
// Pacemaker where the clone runs do not load an XML parser. Pure.

// The nodes from `crm_resource --locate --output-as=xml`: every node running the resource, and which are promoted.
export interface Located {
  readonly nodes: readonly string[];
  readonly promoted: readonly string[];
}

const newParser = () => new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  isArray: (name) => name === 'node' || name === 'nodes',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

const textOf = (n: unknown): string => {
  if (typeof n === 'string') return n.trim();
  if (n && typeof n === 'object' && '#text' in n) return String((n as Record<string, unknown>)['#text']).trim();
  return '';
};

// Parses the XML of `crm_resource --locate`; garbage gives no nodes (the caller treats that as "unknown").
export const parseLocateXml = (text: string): Located | undefined => {
  let doc: unknown;
  try {
    doc = newParser().parse(text);
  } catch {
    return undefined;
  }
  const root = (doc as Record<string, unknown> | undefined)?.['pacemaker-result'];
  if (!root || typeof root !== 'object') return undefined;
  const nodes: string[] = [];
  const promoted: string[] = [];
  for (const group of ((root as Record<string, unknown>).nodes as unknown[] | undefined) ?? []) {
    if (!group || typeof group !== 'object') continue;
    for (const n of ((group as Record<string, unknown>).node as unknown[] | undefined) ?? []) {
      const name = textOf(n);
      if (!name) continue;
      nodes.push(name);
      const state = n && typeof n === 'object' ? (n as Record<string, unknown>)['@_state'] : undefined;
      if (typeof state === 'string' && /^(promoted|master)$/i.test(state)) promoted.push(name);
    }
  }
  return { nodes, promoted };
};

