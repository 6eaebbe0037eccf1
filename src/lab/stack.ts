import { FLOATING_IP, NODE_IFACE, PREFIX_LEN } from './layout';
import type { Provider } from './state';

// The built-in lab configurations (crmsh syntax). `web` comes from the templates (src/templates) when they are
// built in; these need no DRBD and serve to measure the cluster itself.

export const BUILTIN_TEMPLATES = ['ip-apache', 'stateful', 'dummy'] as const;

const defaults = `property cib-bootstrap-options: stonith-enabled=false dc-deadtime=5s
rsc_defaults rsc-options: resource-stickiness=200 migration-threshold=1
`;

// A crm configuration for a built-in template and provider.
export const builtinConfig = (name: string, provider: Provider): string | undefined => {
  const P = provider;
  switch (name) {
    case 'ip-apache':
      return `${defaults}primitive web-ip ocf:${P}:IPaddr2 params ip=${FLOATING_IP} cidr_netmask=${PREFIX_LEN} nic=${NODE_IFACE} \\
  op monitor interval=5s timeout=20s
primitive web-server ocf:${P}:apache params configfile=/etc/apache2/apache2.conf statusurl="http://localhost/server-status" \\
  op monitor interval=5s timeout=20s op start timeout=40s op stop timeout=60s
group web web-ip web-server
`;
    case 'stateful':
      return `${defaults}primitive st ocf:pacemaker:Stateful op monitor interval=5s role=Promoted op monitor interval=6s role=Unpromoted
clone st-clone st meta promotable=true promoted-max=1 notify=true
primitive web-ip ocf:${P}:IPaddr2 params ip=${FLOATING_IP} cidr_netmask=${PREFIX_LEN} nic=${NODE_IFACE} op monitor interval=5s timeout=20s
colocation ip-with-st inf: web-ip st-clone:Promoted
order st-before-ip Mandatory: st-clone:promote web-ip:start
`;
    case 'dummy':
      return `${defaults}primitive d1 ocf:pacemaker:Dummy op monitor interval=5s
`;
    default:
      return undefined;
  }
};
