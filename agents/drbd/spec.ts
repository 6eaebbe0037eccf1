import { defineAgent, OCF } from '../../src/ocf/index';
import { monitor, status } from './action-monitor';
import { notify } from './action-notify';
import { demote, promote } from './action-promote';
import { reload, reloadAgent } from './action-reload';
import { start } from './action-start';
import { stop } from './action-stop';
import { params } from './params';
import { validateDrbd } from './validate';

// ocf:hakit:drbd, the promotable DRBD agent (drop-in for ocf:linbit:drbd).

const LONGDESC = `Manages a DRBD resource as a promotable clone (Promoted = DRBD Primary, Unpromoted = Secondary).
Drop-in replacement for ocf:linbit:drbd: same parameters with the same meaning, same promotion-score ladder
(adjust_master_score, written with crm_attribute --promotion -l reboot), same notification handling. The clone
needs notify=true; dual-primary (promoted-max=2) needs allow-two-primaries in the DRBD resource.

State comes from "drbdsetup events2 --now" (DRBD 9 format, also printed for 8.4 kernels), with /proc/drbd as a
fallback. Differences from ocf:linbit:drbd, on purpose: a probe never returns "not installed" (a node without the
module or the resource is simply not running: 7); every wait is bounded by the operation timeout; promote fails at
once (after the anti-flap delay) when no UpToDate data is reachable, without calling drbdadm; a node whose disk is
not UpToDate never ties a node that has UpToDate data ("only remote" must be below "local ok"), and with
strict_promotion_score=true gets no score at all; the agent never passes a force, overwrite-data-of-peer,
discard-my-data or invalidate option to DRBD: a split brain is reported (log crit, and a failed start with an exit
reason when DRBD drops the connection right after connecting) and left to the operator; the peer's role is read from
crm_resource --locate --output-as=xml; unfence_extra_args is a string. Stacked resources (drbdadm -S) are not handled.`;

export const spec = defineAgent({
  name: 'drbd',
  version: '1.0.0',
  shortdesc: 'Manages a DRBD resource as a promotable clone',
  longdesc: LONGDESC,
  params,
  validate: validateDrbd,
  actions: {
    start: { timeout: 240, validate: true, run: start },
    stop: { timeout: 100, tolerant: true, run: stop },
    monitor: {
      timeout: 20,
      meta: [
        { interval: 20, role: 'Unpromoted', timeout: 20 },
        { interval: 10, role: 'Promoted', timeout: 20 },
      ],
      run: monitor,
    },
    promote: { timeout: 90, validate: true, run: promote },
    demote: { timeout: 90, validate: true, run: demote },
    notify: { timeout: 90, tolerant: true, run: notify }, // always 0
    reload: { timeout: 30, validate: true, run: reload },
    'reload-agent': { timeout: 30, run: reloadAgent },
    'validate-all': { timeout: 30, validate: true, run: async () => OCF.SUCCESS },
    status: { timeout: 20, hidden: true, run: status },
  },
});
