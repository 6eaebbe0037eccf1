import { ConfigError, GenericError, NotInstalledError, PermError } from '../../src/ocf/index';
import { ARP_SENDERS } from './announce';
import { fullLabel, readConfig, type Ctx } from './config';
import { inspectNetwork, resolvePlacement } from './network';

// IPaddr2's validation (start and validate-all only: a vanished NIC must never make a monitor fatal).
export const validate = async (ctx: Ctx): Promise<void> => {
  if (process.platform !== 'linux') throw new NotInstalledError('IPaddr2 only supported Linux.');
  if (ctx.action === 'start' && process.getuid?.() !== 0) throw new PermError('You must be root for start operation.');
  const { params: pr, meta } = ctx;
  if (pr.network_namespace) return; // checked again inside the namespace
  const rawCloneMax = meta.get('clone_max');
  if (rawCloneMax !== undefined && !(meta.cloneMax !== undefined && meta.cloneMax > 0)) {
    throw new ConfigError(`Invalid meta-attribute clone_max [${rawCloneMax}], should be positive integer`);
  }
  const cloneMax = meta.cloneMax ?? 1;
  if (pr.lvs_support && cloneMax > 1) throw new ConfigError('LVS and load sharing do not go together well');
  const cfg = readConfig(ctx);
  if (cfg.family === 'inet' && pr.lvs_ipv6_addrlabel) throw new ConfigError('IPv4 does not support lvs_ipv6_addrlabel');
  if (cfg.family === 'inet6' && pr.lvs_support) throw new ConfigError('The IPv6 does not support lvs_support');
  if (cfg.family === 'inet6' && cfg.nic === undefined && /^fe80:/i.test(cfg.ip)) {
    throw new ConfigError(`'nic' parameter is mandatory for a link local address [${cfg.ip}]`);
  }
  if (pr.unique_clone_address && !meta.globallyUnique) {
    throw new ConfigError('unique_clone_address makes sense only with meta globally_unique set');
  }
  if (cloneMax > 1 && !pr.unique_clone_address) {
    throw new ConfigError('load-sharing clone (CLUSTERIP) is not supported: the kernel removed CLUSTERIP in 2023; use unique_clone_address with globally-unique=true, or no clone');
  }
  if (!(pr.arp_interval > 0)) throw new ConfigError(`Invalid OCF_RESKEY_arp_interval [${pr.arp_interval}]`);
  if (!(pr.arp_count > 0)) throw new ConfigError(`Invalid OCF_RESKEY_arp_count [${pr.arp_count}]`);
  if (pr.preferred_lft === '') throw new ConfigError('Empty value is invalid for OCF_RESKEY_preferred_lft');
  if (!/^(forever|\d+)$/.test(pr.preferred_lft)) throw new ConfigError(`Invalid preferred_lft [${pr.preferred_lft.slice(0, 40)}]`);
  if (pr.arp_sender && !(ARP_SENDERS as readonly string[]).includes(pr.arp_sender)) {
    throw new ConfigError(`unrecognized arp_sender value: ${pr.arp_sender.slice(0, 40)}`);
  }
  if (pr.arp_bg !== '' && !/^(yes|true|1|YES|TRUE|True|ja|on|ON|no|false|0|NO|FALSE|False|nein|off|OFF)$/.test(pr.arp_bg)) {
    throw new ConfigError(`Invalid arp_bg [${pr.arp_bg.slice(0, 40)}]`);
  }
  // Against the host: the interface must exist, and a route must give what the parameters leave out.
  const snap = await inspectNetwork(ctx, cfg);
  const res = resolvePlacement(cfg, snap);
  if (!res.ok) throw res.code === 6 ? new ConfigError(res.reason) : new GenericError(res.reason);
  if (cfg.iflabel) fullLabel(res.placement.nic, cfg.iflabel);
};
