import type { Rendered } from './model';
import { renderCrm } from './render-crm';
import { renderDrbd } from './render-drbd';
import { renderPcs } from './render-pcs';
import { renderXml } from './render-xml';

// The output formats of `template render`.
export const FORMATS = ['crm', 'crm-ms', 'pcs', 'xml', 'drbd'] as const;
export type Format = (typeof FORMATS)[number];

// A rendered template in one output format.
export const renderAs = (r: Rendered, format: Format): string => {
  switch (format) {
    case 'crm':
    case 'crm-ms':
      return renderCrm(r.config, format);
    case 'pcs':
      return renderPcs(r.config);
    case 'xml':
      return renderXml(r.config);
    case 'drbd':
      return renderDrbd(r.drbd);
  }
};
