import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCrmMon, whereRuns } from '../../../src/lab/crm-mon';
import { parseLogTime, parseMembership, parseOpEvents, parseSchedulerEvents } from '../../../src/lab/log-events';
import { outageFrom, pauseFromEvents } from '../../../src/lab/timeline';
import { statefulResources } from '../../../src/lab/variant';
import { crmStatements, labCrm } from '../../../src/lab/render';
import { labDrbdConf } from '../../../src/lab/drbd-setup';
import { labLayout } from '../../../src/lab/layout';
import { allStarted } from '../../../src/lab/wait';
import { swapProviders } from '../../../src/lab/swap';
import { svgReport } from '../../../src/lab/report-svg';
import { median } from '../../../src/lab/report';

// The lab's pure parts, from outputs recorded on a real 2-node lab (test/fixtures/lab).
const fx = (f: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'lab', f), 'utf8');
const NEAR = new Date(2026, 10, 21, 20, 13).getTime();

describe('parseCrmMon (crm_mon --output-as=xml, web template)', () => {
  const s = parseCrmMon(fx('crm_mon-web-2node.xml'));
  it('reads the DC, quorum and nodes', () => {
    expect(s.dc).toMatch(/^node[12]$/);
    expect(s.quorum).toBe(true);
    expect(s.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
  });
  it('flattens the group and the promotable clone', () => {
    expect(s.resources.filter((r) => r.group === 'g_web').map((r) => r.id)).toEqual(['p_fs', 'p_vip', 'p_web']);
    const drbd = s.resources.filter((r) => r.clone === 'ms_drbd_r0');
    expect(drbd).toHaveLength(2);
    expect(drbd.map((r) => r.agent)).toEqual(['ocf:hakit:drbd', 'ocf:hakit:drbd']);
    expect(whereRuns(s, 'p_web')).toBe(whereRuns(s, 'p_drbd_r0', 'Promoted'));
  });
});

describe('log parsers', () => {
  it('parses millisecond timestamps without a year, nearest to the reference', () => {
    expect(parseLogTime('Nov 21 20:12:43.949 node1 x', NEAR)).toBe(new Date(2026, 10, 21, 20, 12, 43, 949).getTime());
    expect(parseLogTime('Dec 31 23:59:59.5 x', new Date(2027, 0, 1).getTime())).toBe(new Date(2026, 11, 31, 23, 59, 59, 500).getTime());
    expect(parseLogTime('garbage', NEAR)).toBeUndefined();
  });
  it('reads the controller\'s operation results', () => {
    const ev = parseOpEvents(fx('pacemaker-results.log'), NEAR);
    expect(ev.length).toBe(30);
    expect(ev[0]).toMatchObject({ op: 'probe', rsc: 'p_fs', onNode: 'node1', result: 'not running', rc: 7 });
    expect(ev.some((e) => e.op === 'promote' && e.rc === 0)).toBe(true);
  });
  it('reads corosync membership changes and lost links', () => {
    const m = parseMembership(fx('corosync-membership.log'), NEAR);
    expect(m.filter((e) => e.what === 'members').map((e) => e.members)).toEqual([[1], [1, 2], [1], [1, 2]]);
    expect(m.some((e) => e.what === 'failed')).toBe(true);
  });
});

describe('outageFrom (HTTP poller samples)', () => {
  const ok = (t: number) => ({ t, ms: 2, ok: true, status: 200, body: '' });
  const bad = (t: number) => ({ t, ms: 400, ok: false, status: 0, body: '' });
  it('serving again = first success after the last failure', () => {
    expect(outageFrom([ok(900), ok(1000), bad(1100), ok(1200), bad(1300), ok(1500)], 1050)).toEqual({ firstFailMs: 50, servingMs: 452, failedSamples: 2 });
  });
  it('no failure: serving at once; never back: undefined', () => {
    expect(outageFrom([ok(1100)], 1000).servingMs).toBe(0);
    expect(outageFrom([bad(1100), bad(1200)], 1000).servingMs).toBeUndefined();
  });
});

describe('the lab\'s changes to a shipped template', () => {
  const crm = 'node node1\nprimitive fence_node1 stonith:fence_ipmilan \\\n\tparams ip=1\nprimitive p ocf:hakit:apache\nclone ms_drbd_r0 p_drbd_r0\n' +
    'location loc_fence_node1 fence_node1 -inf: node1\nproperty cib-bootstrap-options: \\\n\tstonith-enabled=true\nrsc_defaults rsc-options: \\\n\tresource-stickiness=100 migration-threshold=3\n';
  it('splits statements with their continuation lines', () => {
    expect(crmStatements(crm)).toHaveLength(7);
  });
  it('drops fencing, sets the lab properties and migration-threshold=1, keeps DRBD off a third node', () => {
    const out = labCrm(crm, labLayout(3, '/x'), 'ms_drbd_r0');
    expect(out).not.toMatch(/stonith:|loc_fence/);
    expect(out).toContain('stonith-enabled=false dc-deadtime=5s');
    expect(out).toContain('migration-threshold=1');
    expect(out).toContain('location loc_no_drbd_node3 ms_drbd_r0 resource-discovery=never -inf: node3');
  });
  it('drops the 8.4 file\'s fencing (its disk section) and handlers, adds split-brain recovery; hosts\' disk lines stay', () => {
    const conf = 'resource r0 {\n\tnet {\n\t\tprotocol C;\n\t}\n\tdisk {\n\t\tfencing resource-and-stonith;\n\t}\n\thandlers {\n\t\tfence-peer "x";\n\t}\n' +
      '\ton node1 {\n\t\tdisk /dev/hkl-disk;\n\t}\n}\n';
    expect(labDrbdConf(conf)).toBe('resource r0 {\n\tnet {\n\t\tafter-sb-0pri discard-zero-changes;\n\t\tafter-sb-1pri discard-secondary;\n' +
      '\t\tafter-sb-2pri disconnect;\n\t\tprotocol C;\n\t}\n\ton node1 {\n\t\tdisk /dev/hkl-disk;\n\t}\n}\n');
  });
  it('swaps providers (drbd to linbit) and back', () => {
    const xml = '<primitive id="a" class="ocf" provider="hakit" type="drbd"/><primitive id="b" class="ocf" provider="hakit" type="apache"/><primitive id="c" class="ocf" provider="pacemaker" type="Dummy"/>';
    const up = swapProviders(xml, 'heartbeat');
    expect(up).toBe('<primitive id="a" class="ocf" provider="linbit" type="drbd"/><primitive id="b" class="ocf" provider="heartbeat" type="apache"/><primitive id="c" class="ocf" provider="pacemaker" type="Dummy"/>');
    expect(swapProviders(up, 'hakit')).toBe(xml);
  });
});

describe('allStarted and the report', () => {
  const s = parseCrmMon(fx('crm_mon-web-2node.xml'));
  it('the recorded web stack is started (strict: both DRBD instances)', () => {
    expect(allStarted(s, true)).toBe(true);
    expect(allStarted({ ...s, resources: s.resources.map((r) => (r.id === 'p_web' ? { ...r, role: 'Starting' } : r)) })).toBe(false);
  });
  it('median and SVG', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const svg = svgReport([{ scenario: 'apache-kill', provider: 'hakit', nodes: 2, from: 'node1', to: 'node2', injectedAt: '', servingMs: 1500,
      timeline: [{ label: 'injected', ms: 0, detail: 'kill <x>' }, { label: 'serving again', ms: 1500, detail: 'ok' }],
      data: { file: '/f', written: true, readBack: true, overHttp: true }, page: { ok: true, body: '' }, drbdPromotedOn: 'node2',
      rejoinedMs: undefined, clean: true, failuresAfterCleanup: [] }], 'title & <more>');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('title &amp; &lt;more&gt;');
    expect(svg).toContain('kill &lt;x&gt;');
    expect(svg).toContain('1.50 s, data intact');
  });
});

describe('Pacemaker\'s 1 s re-query pause after a node loss (recorded pacemaker.log lines of two failovers)', () => {
  const log = fx('pacemaker-scheduler.log');
  const near = new Date(2026, 10, 21, 23, 8, 0).getTime();
  const ev = parseSchedulerEvents(log, near);
  it('parses the controller entering S_POLICY_ENGINE and the scheduler\'s results', () => {
    expect(ev.filter((e) => e.what === 'policy-engine').length).toBe(3);
    expect(ev.filter((e) => e.what === 'calculated').length).toBe(3);
    expect(new Set(ev.map((e) => e.node))).toEqual(new Set(['node1']));
  });
  it('counts the 1.0 s wait of the first failover and nothing for the second (12 ms, 4 ms)', () => {
    expect(pauseFromEvents(ev, 'node1', new Date(2026, 10, 21, 23, 8, 25, 721).getTime(), 10_000)).toBe(1008);
    expect(pauseFromEvents(ev, 'node1', new Date(2026, 10, 21, 23, 7, 48, 903).getTime(), 10_000)).toBe(0);
    expect(pauseFromEvents(ev, 'node2', new Date(2026, 10, 21, 23, 8, 25, 721).getTime(), 10_000)).toBe(0);
  });
});

describe('statefulResources (lab failover --compare-drbd stateful)', () => {
  const xml = `<resources>
  <group id="g_web"><primitive id="p_fs" class="ocf" provider="hakit" type="Filesystem"><instance_attributes id="p_fs-ia"><nvpair name="device" value="/dev/drbd0" id="p_fs-ia-device"/><nvpair name="directory" value="/var/www/html" id="p_fs-ia-directory"/></instance_attributes></primitive></group>
  <clone id="ms_drbd_r0"><meta_attributes id="m"><nvpair name="promotable" value="true" id="m-p"/><nvpair name="notify" value="true" id="m-n"/></meta_attributes>
    <primitive id="p_drbd_r0" class="ocf" provider="linbit" type="drbd"><instance_attributes id="p_drbd_r0-ia"><nvpair name="drbd_resource" value="r0" id="p_drbd_r0-ia-r"/></instance_attributes>
      <operations><op name="monitor" interval="29s" role="Promoted" id="p_drbd_r0-m29"/></operations></primitive></clone>
</resources>`;
  it('puts Stateful in the drbd primitive\'s place (same id, clone, meta, ops; no drbd parameters) and the Filesystem on the local disk', () => {
    const out = statefulResources(xml);
    expect(out).toContain('<primitive id="p_drbd_r0" class="ocf" provider="pacemaker" type="Stateful"><operations><op name="monitor" interval="29s" role="Promoted" id="p_drbd_r0-m29"/></operations></primitive>');
    expect(out).not.toContain('drbd_resource');
    expect(out).toContain('<nvpair name="device" value="/dev/hkl-local" id="p_fs-ia-device"/>');
    expect(out).toContain('<nvpair name="notify" value="true" id="m-n"/>');
    expect(out).toContain('<nvpair name="directory" value="/var/www/html" id="p_fs-ia-directory"/>');
    expect(() => statefulResources('<resources/>')).toThrow(/no drbd primitive/);
  });
});
