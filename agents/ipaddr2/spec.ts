import { defineAgent } from '../../src/ocf/index';
import { CLUSTERIP_GONE, params } from './params';
import { monitor, start, status, stop, validateAll } from './actions';
import { validate } from './validate';

// ocf:hakit:IPaddr2, a drop-in for ocf:heartbeat:IPaddr2 (resource-agents 4.12 parameters and exit codes).
export const spec = defineAgent({
  name: 'IPaddr2',
  version: '1.0.0',
  shortdesc: 'Manages a floating IPv4 or IPv6 address (drop-in for ocf:heartbeat:IPaddr2)',
  longdesc:
    'Adds a floating IPv4 or IPv6 address to an interface on start and removes it on stop, announcing it with ' +
    'gratuitous ARP (IPv4) or unsolicited neighbour advertisements (IPv6). The interface and prefix length are ' +
    'found from the routing table when not given (longest matching prefix; unreachable, blackhole and prohibit ' +
    'routes are ignored). The address counts as running only while it sits on that interface and the link is not ' +
    `down. Differences from ocf:heartbeat:IPaddr2: ${CLUSTERIP_GONE} An IPv6 literal is validated in full (not ` +
    'only its character set), iflabel is refused for IPv6 (the kernel has no IPv6 labels), and a link without ' +
    'carrier is "not running" (check_link_status, as upstream added after 4.12).',
  params,
  actions: {
    start: { timeout: 20, validate: true, run: start },
    stop: { timeout: 20, tolerant: true, run: stop },
    status: { timeout: 20, meta: [{ depth: 0, interval: 10 }], run: status },
    monitor: { timeout: 20, meta: [{ depth: 0, interval: 10 }], run: monitor },
    'validate-all': { timeout: 20, validate: true, run: validateAll },
  },
  validate,
});
