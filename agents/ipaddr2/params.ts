import { p, type InferParams } from '../../src/ocf/index';

export const CLUSTERIP_GONE =
  'Load-sharing clones (CLUSTERIP) are not supported: the kernel removed the CLUSTERIP target in 2023. ' +
  'ocf:hakit:IPaddr2 refuses a clone with clone-max > 1 unless unique_clone_address is set.';

// The parameters of ocf:heartbeat:IPaddr2 (4.12) with the same names and meanings, plus check_link_status.
export const params = {
  ip: p.string({
    shortdesc: 'IPv4 or IPv6 address',
    longdesc: 'The floating address to manage, e.g. 192.0.2.10 or 2001:db8::10. An address containing ":" is IPv6.',
    required: true, unique: true,
  }),
  nic: p.string({
    shortdesc: 'Network interface',
    longdesc: 'The interface to add the address to. When empty it is taken from the route that matches the ' +
      'address. The legacy form "eth0:label" sets iflabel as well.',
  }),
  cidr_netmask: p.string({
    shortdesc: 'Prefix length',
    longdesc: 'Prefix length of the address (e.g. 24 or 64). When empty it is taken from the matching route. A ' +
      'dotted IPv4 netmask is accepted and converted, with a warning.',
    aliases: ['netmask'],
  }),
  broadcast: p.string({
    shortdesc: 'IPv4 broadcast address',
    longdesc: 'Broadcast address for IPv4, or "+" / "-" as ip(8) understands them. When empty it is copied from ' +
      'an existing address on the same subnet, and left out when there is none.',
  }),
  iflabel: p.string({
    shortdesc: 'Interface label',
    longdesc: 'A label for the IPv4 address; the address is added as <nic>:<iflabel>, at most 15 characters in all.',
  }),
  lvs_support: p.boolean({
    shortdesc: 'LVS direct-routing support',
    longdesc: 'For LVS-DR real servers: on start, move a copy of the address found on the loopback interface out ' +
      'of the way, and put it back on lo after stop. IPv4 only.',
    default: false,
  }),
  lvs_ipv6_addrlabel: p.boolean({
    shortdesc: 'Keep the IPv6 address from being a source address',
    longdesc: 'Add an ip addrlabel for the IPv6 address so that it is not chosen as a source address. IPv6 only: ' +
      'set on an IPv4 address it is a configuration error (as in resource-agents 4.12).',
    default: false,
  }),
  lvs_ipv6_addrlabel_value: p.integer({
    shortdesc: 'addrlabel value',
    longdesc: 'The label value used with lvs_ipv6_addrlabel.',
    default: 99, min: 0,
  }),
  mac: p.string({
    shortdesc: 'CLUSTERIP multicast MAC (not supported)',
    longdesc: `Accepted for configuration compatibility only. ${CLUSTERIP_GONE}`,
  }),
  clusterip_hash: p.string({
    shortdesc: 'CLUSTERIP hash mode (not supported)',
    longdesc: `Accepted for configuration compatibility only. ${CLUSTERIP_GONE}`,
    default: 'sourceip-sourceport',
  }),
  unique_clone_address: p.boolean({
    shortdesc: 'Give each clone instance its own address',
    longdesc: 'In a globally-unique clone, each instance manages ip plus its clone number (last IPv4 octet or ' +
      'last IPv6 group). Requires the clone meta attribute globally-unique=true.',
    default: false,
  }),
  arp_interval: p.integer({
    shortdesc: 'Milliseconds between announcements',
    longdesc: 'Interval between gratuitous ARPs or unsolicited neighbour advertisements.',
    default: 200,
  }),
  arp_count: p.integer({
    shortdesc: 'Announcements sent on start',
    longdesc: 'Number of gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) sent on start.',
    default: 5,
  }),
  arp_count_refresh: p.integer({
    shortdesc: 'Announcements sent on each monitor',
    longdesc: 'Gratuitous ARPs sent again after every successful monitor (IPv4); 0 sends none.',
    default: 0, min: 0,
  }),
  arp_bg: p.string({
    shortdesc: 'Announce in the background',
    longdesc: 'Whether start returns while the announcements are still being sent. Empty means yes for IPv4 and ' +
      'no for IPv6.',
    metaDefault: '',
  }),
  arp_sender: p.string({
    shortdesc: 'Program that sends the announcements',
    longdesc: 'send_arp (resource-agents), iputils_arping, libnet_arping or ipoibarping. Empty chooses send_arp ' +
      'when resource-agents is installed and iputils arping otherwise; ipoibarping on InfiniBand.',
    metaDefault: '',
  }),
  send_arp_opts: p.string({
    shortdesc: 'Extra options for the ARP sender',
    longdesc: 'Options added to the ARP sender command line, split at white space (never run through a shell).',
  }),
  flush_routes: p.boolean({
    shortdesc: 'Flush the route cache on stop',
    longdesc: 'Run "ip route flush cache" after removing the address.',
    default: false,
  }),
  run_arping: p.boolean({
    shortdesc: 'Check for a duplicate IPv4 address before adding it',
    longdesc: 'Before adding an IPv4 address, run arping duplicate address detection; start fails if another host ' +
      'answers for the address.',
    default: false,
  }),
  nodad: p.boolean({
    shortdesc: 'Skip IPv6 duplicate address detection',
    longdesc: 'Add the IPv6 address with nodad: it is usable at once, without duplicate address detection.',
    default: false,
  }),
  noprefixroute: p.boolean({
    shortdesc: 'Do not add a prefix route',
    longdesc: 'Add the address with noprefixroute, so the kernel adds no route for its prefix.',
    default: false,
  }),
  preferred_lft: p.string({
    shortdesc: 'IPv6 preferred lifetime',
    longdesc: 'preferred_lft for the IPv6 address; 0 makes it deprecated, so it is never chosen as a source address.',
    default: 'forever',
  }),
  network_namespace: p.string({
    shortdesc: 'Network namespace',
    longdesc: 'Manage the address inside this named network namespace (ip netns).',
  }),
  check_link_status: p.boolean({
    shortdesc: 'A link without carrier is not running',
    longdesc: 'When the interface is DOWN or LOWERLAYERDOWN, monitor reports the address as not running (so the ' +
      'cluster moves it) and start refuses this node.',
    default: true,
  }),
};

export type Params = InferParams<typeof params>;
