import { isIP } from 'node:net';
import { drbdFs } from './drbd-fs';
import { dualPrimary } from './dual-primary';
import { iscsi } from './iscsi';
import type { Rendered } from './model';
import type { TemplateDef } from './template';
import { TemplateValueError, parseSettings, resolveValues } from './values';
import { web } from './web';

// The shipped templates, one per seed situation.
export const TEMPLATES: readonly TemplateDef[] = [web, drbdFs, dualPrimary, iscsi];

// A template by name.
export const findTemplate = (name: string): TemplateDef | undefined => TEMPLATES.find((t) => t.name === name);

// Builds a template from `key=value` settings: every value checked, defaults for the rest.
export const instantiate = (t: TemplateDef, sets: readonly string[] | ReadonlyMap<string, string>): Rendered => {
  const settings = Array.isArray(sets) ? parseSettings(sets) : (sets as ReadonlyMap<string, string>);
  const values = resolveValues(t.values, settings);
  if (values.node1 === values.node2) throw new TemplateValueError('node2', 'node1 and node2 must differ');
  if (values.node1_addr === values.node2_addr) throw new TemplateValueError('node2_addr', 'node1_addr and node2_addr must differ');
  if (values.vip && values.cidr_netmask && isIP(values.vip) === 4 && Number(values.cidr_netmask) > 32) {
    throw new TemplateValueError('cidr_netmask', `cidr_netmask=${values.cidr_netmask}: above 32 for the IPv4 address ${values.vip}`);
  }
  return t.build(values);
};
