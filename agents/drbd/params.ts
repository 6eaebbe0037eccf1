import { p, type ParamDef } from '../../src/ocf/params';
import { DEFAULT_LADDER_TEXT } from './score';

// The parameters of ocf:linbit:drbd (same names, same meaning) plus strict_promotion_score.

export const UNFENCE_EXTRA_ARGS_DEFAULT = '--quiet --flock-required --flock-timeout 0 --unfence-only-if-owner-match';

// wfc_timeout is an integer in the meta-data, but like upstream an empty or non-numeric value means "do not wait"
// rather than a configuration error.
const wfcTimeout: ParamDef<string> = {
  ...p.string({
    shortdesc: 'Seconds to wait for the connection after start',
    longdesc:
      'After bringing the connection up during start, wait at most this many seconds for it to be established ' +
      '(never longer than the start timeout allows). An empty or non-numeric value means: do not wait.',
    default: '5',
    reloadable: true,
  }),
  type: 'integer',
};

export const params = {
  drbd_resource: p.string({
    shortdesc: 'DRBD resource name',
    longdesc: 'The name of the DRBD resource from the DRBD configuration. Only the characters [-%+./0-9:=@A-Z_a-z].',
    required: true,
    unique: true,
  }),
  drbdconf: p.string({
    shortdesc: 'Path to the DRBD configuration file',
    longdesc: 'The DRBD configuration file, passed to drbdadm as -c. Must be readable.',
    default: '/etc/drbd.conf',
  }),
  adjust_master_score: p.string({
    shortdesc: 'Promotion scores: consistent, remote, local-ok, best',
    longdesc:
      'Four integers: the score for a node whose disks are only Consistent; for a node without local UpToDate data ' +
      'while a peer has UpToDate data ("only remote"); for an UpToDate node whose peer disk state is unknown; and ' +
      'for an UpToDate node that knows its peers (or is Primary). Must be non-decreasing, with "only remote" below ' +
      '"local ok"; a bad value falls back to the default with an error logged. A score of 0 means no score.',
    default: DEFAULT_LADDER_TEXT,
    reloadable: true,
  }),
  strict_promotion_score: p.boolean({
    shortdesc: 'No score without local UpToDate data (hakit)',
    longdesc:
      'hakit addition. When true, a node whose own disk is not UpToDate gets no promotion score even while a peer ' +
      'has UpToDate data (the small "only remote" score of adjust_master_score is withheld). Default false keeps ' +
      'ocf:linbit:drbd behaviour: a resyncing node may be promoted as a last resort and reads through to the peer.',
    default: false,
    reloadable: true,
  }),
  stop_outdates_secondary: p.boolean({
    shortdesc: 'Outdate this node on stop if a peer is Primary',
    longdesc:
      'On stop, and on post notifications while the peer disk state is unknown, mark the local data Outdated when ' +
      'Pacemaker reports another node Promoted (and that node is not being stopped).',
    default: false,
    reloadable: true,
  }),
  ignore_missing_notifications: p.boolean({
    shortdesc: 'Allow running without notify=true',
    longdesc: 'The agent needs notify=true on the promotable clone; set this to run without notifications anyway.',
    default: false,
    reloadable: true,
  }),
  wfc_timeout: wfcTimeout,
  remove_master_score_if_peer_primary: p.string({
    shortdesc: 'Remove the score while connected to a Primary peer',
    longdesc:
      'true: remove (never set) this node\'s promotion score while DRBD is connected to a healthy Primary peer. ' +
      '"unexpected": only when Pacemaker does not know that Primary (from crm_resource --locate). Anything else: ' +
      'false, the peer role is ignored for the score.',
    default: 'false',
    reloadable: true,
  }),
  fail_promote_early_if_peer_primary: p.boolean({
    shortdesc: 'Try promote only once when a peer is Primary',
    longdesc:
      'If a promote attempt fails while DRBD still sees a Primary peer that Pacemaker does not know about, give up ' +
      'at once (and remove the score) instead of retrying until the timeout.',
    default: false,
    reloadable: true,
  }),
  unfence_if_all_uptodate: p.boolean({
    shortdesc: 'Call the unfence hook once fully UpToDate',
    longdesc:
      'When Primary with every local and peer disk UpToDate, run `drbdadm unfence-peer <res>` to remove a stale ' +
      'fencing constraint. The hook reads unfence_extra_args from its environment.',
    default: false,
    reloadable: true,
  }),
  unfence_extra_args: p.string({
    shortdesc: 'Extra arguments for the unfence hook',
    longdesc: 'Passed to the unfence hook as OCF_RESKEY_unfence_extra_args (a string; upstream mistyped it as boolean).',
    default: UNFENCE_EXTRA_ARGS_DEFAULT,
    reloadable: true,
  }),
  require_drbd_module_version_ge: p.string({
    shortdesc: 'Minimum DRBD kernel module version (x.y.z)',
    longdesc: 'Fail (not installed) unless the DRBD kernel module version is at least this (inclusive). Empty: no check.',
    default: '8.0.0',
  }),
  require_drbd_module_version_lt: p.string({
    shortdesc: 'DRBD kernel module version must be below (x.y.z)',
    longdesc: 'Fail (not installed) unless the DRBD kernel module version is below this (exclusive). Empty: no check.',
    default: '10.0.0',
  }),
  connect_only_after_promote: p.boolean({
    shortdesc: 'Stay disconnected until promoted',
    longdesc:
      'For stacked setups without fencing on the lower layer: keep the resource disconnected on start and in start ' +
      'notifications, and connect (drbdadm adjust) only after a promote.',
    default: false,
  }),
};

export type DrbdParams = { readonly [K in keyof typeof params]: (typeof params)[K] extends ParamDef<infer T> ? T : never };
