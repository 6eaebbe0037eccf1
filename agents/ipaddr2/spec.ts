import { defineAgent, OCF, p } from '../../src/ocf/index';

// Placeholder while the real IPaddr2 is written (replaced in the next commit).
export const spec = defineAgent({
  name: 'IPaddr2',
  version: '0.1.0',
  shortdesc: 'Manages a floating IP address',
  longdesc: 'Manages a floating IPv4 or IPv6 address.',
  params: {
    ip: p.string({ shortdesc: 'IP address', longdesc: 'The address.', required: true, unique: true }),
  },
  actions: {
    start: { timeout: 20, validate: true, run: async () => OCF.SUCCESS },
    stop: { timeout: 20, tolerant: true, run: async () => OCF.SUCCESS },
    monitor: { timeout: 20, meta: [{ interval: 10, depth: 0 }], run: async () => OCF.NOT_RUNNING },
    'validate-all': { timeout: 20, validate: true, run: async () => OCF.SUCCESS },
  },
});
