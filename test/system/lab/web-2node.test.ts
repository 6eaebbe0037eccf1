import { HAKIT } from '../../helpers/dist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downClean, expectGoodFailover, failover, hakit, status } from './lab-helpers';

// The web template (DRBD emulator -> Filesystem -> IPaddr2 -> apache, hakit agents) on a real 2-node Pacemaker lab:
// every scenario ends with the service and DRBD on the other node, the page served and the data intact.
describe('hakit lab: web template, 2 nodes, hakit agents', () => {
  beforeAll(async () => {
    await hakit(['lab', 'down']);
    const r = await hakit(['lab', 'up', '--nodes', '2', '--template', 'web', '--provider', 'hakit']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 240_000);
  afterAll(() => downClean(), 120_000);

  it('forms with all nodes online and the stack started on one node', async () => {
    const s = await status();
    expect(s.nodes.map((n) => n.cluster.split(' ')[0])).toEqual(['online', 'online']);
    const web = s.mon.resources.find((r) => r.id === 'p_web')!;
    expect(web.role).toBe('Started');
    const promoted = s.mon.resources.filter((r) => r.id.startsWith('p_drbd') && r.role === 'Promoted');
    expect(promoted.map((r) => r.nodes[0])).toEqual(web.nodes);
    expect(s.mon.failures).toEqual([]);
  });

  it('hakit doctor live, run inside a node, reads the running cluster and flags only the lab\'s missing fencing', async () => {
    const r = await hakit(['lab', 'exec', 'node1', '--', HAKIT, 'doctor', '--json', 'live']);
    expect(r.code, r.stderr).toBe(1);
    const { findings } = JSON.parse(r.stdout) as { findings: Array<{ rule: string; line: number }> };
    expect(findings.map((f) => f.rule)).toEqual(['stonith-disabled']);
    expect(findings[0]?.line).toBeGreaterThan(0);
  });

  it('apache-kill: apache moves with DRBD to the other node', async () => expectGoodFailover(await failover('apache-kill'), false), 240_000);
  it('node-crash: the survivor takes over; the crashed node rejoins', async () => expectGoodFailover(await failover('node-crash'), true), 240_000);
  it('link-cut: the connected node takes over; the cut node is power-cycled and rejoins', async () => expectGoodFailover(await failover('link-cut'), true), 240_000);
  it('move: crm_resource --move takes the service and DRBD over', async () => expectGoodFailover(await failover('move'), false), 240_000);
  // issue 6: the upstream ocf:linbit:drbd (with ocf:heartbeat:Filesystem, IPaddr2, apache) on the emulated DRBD too
  it('node-crash with the upstream agents (ocf:linbit:drbd on the emulator): promoted on the survivor, data intact', async () => {
    const f = await failover('node-crash', ['--provider', 'heartbeat']);
    expectGoodFailover(f, true);
    const s = await status();
    const drbd = s.mon.resources.find((r) => /drbd/i.test(r.id) && r.role === 'Promoted');
    expect(drbd?.nodes).toEqual([f.to]);
    const cib = await hakit(['lab', 'exec', f.to, '--', 'cibadmin', '--query', '--scope', 'resources']);
    expect(cib.stdout).toMatch(/<primitive\b[^>]*class="ocf"[^>]*provider="linbit"[^>]*type="drbd"|<primitive\b[^>]*type="drbd"[^>]*provider="linbit"|<primitive\b[^>]*provider="linbit"[^>]*type="drbd"/);
    expect(cib.stdout).not.toContain('provider="hakit"');
  }, 300_000);
});
