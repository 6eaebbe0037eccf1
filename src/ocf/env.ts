import { isTrue } from './bool';
import type { MetaAttrs } from './context';

const intOrUndefined = (raw: string | undefined): number | undefined => {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
};

// ocf_is_probe: a monitor with interval 0; an unset interval counts as a probe too (as ocf.py and drbd do).
export const isProbeCall = (action: string, env: NodeJS.ProcessEnv): boolean =>
  action === 'monitor' && (env.OCF_RESKEY_CRM_meta_interval ?? '0').trim() === '0';

// OCF_CHECK_LEVEL (or OCF_RESKEY_OCF_CHECK_LEVEL); 0 when unset, NaN when not an integer.
export const checkLevelFromEnv = (env: NodeJS.ProcessEnv): number => {
  const raw = env.OCF_CHECK_LEVEL ?? env.OCF_RESKEY_OCF_CHECK_LEVEL;
  if (raw === undefined || raw.trim() === '') return 0;
  return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
};

// The CRM_meta_* attributes, with Pacemaker's new and legacy names (promoted_max / master_max) both read.
export const metaFromEnv = (env: NodeJS.ProcessEnv, timeoutMs: number): MetaAttrs => {
  const get = (name: string) => env[`OCF_RESKEY_CRM_meta_${name.replace(/-/g, '_')}`];
  return {
    intervalMs: intOrUndefined(get('interval')) ?? 0,
    timeoutMs,
    cloneMax: intOrUndefined(get('clone_max')),
    clone: get('clone'),
    globallyUnique: isTrue(get('globally_unique')),
    notify: isTrue(get('notify')),
    promotedMax: intOrUndefined(get('promoted_max')) ?? intOrUndefined(get('master_max')),
    promotedNodeMax: intOrUndefined(get('promoted_node_max')) ?? intOrUndefined(get('master_node_max')),
    cloneNodeMax: intOrUndefined(get('clone_node_max')),
    onNode: get('on_node'),
    get,
  };
};
