import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { TEMPLATES, findTemplate, instantiate, renderAs } from '../../../src/templates/index';
import { pcsCommands } from '../../../src/templates/render-pcs';

const render = (name: string, sets: string[] = [], format: Parameters<typeof renderAs>[1] = 'crm') =>
  renderAs(instantiate(findTemplate(name)!, sets), format);

describe('crm forms', () => {
  it('web: promotable clone with notify, distinct role monitors, order after promote, colocation with Promoted', () => {
    const crm = render('web');
    expect(crm).toMatch(/^clone ms_drbd_r0 p_drbd_r0 \\\n\tmeta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true$/m);
    expect(crm).toContain('op monitor interval=29s timeout=20s role=Promoted');
    expect(crm).toContain('op monitor interval=31s timeout=20s role=Unpromoted');
    expect(crm).toContain('order ord_drbd_then_web Mandatory: ms_drbd_r0:promote g_web:start');
    expect(crm).toContain('colocation col_web_on_drbd inf: g_web ms_drbd_r0:Promoted');
    expect(crm).toContain('group g_web p_fs p_vip p_web');
    expect(crm).toContain('primitive p_drbd_r0 ocf:hakit:drbd');
    expect(crm).toContain('stonith-enabled=true');
    expect(crm).not.toContain('default-action-timeout');
  });

  it('crm-ms uses ms, master-max and Master/Slave roles', () => {
    const crm = render('web', [], 'crm-ms');
    expect(crm).toMatch(/^ms ms_drbd_r0 p_drbd_r0 \\\n\tmeta master-max=1 master-node-max=1 clone-max=2 clone-node-max=1 notify=true$/m);
    expect(crm).toContain('role=Master');
    expect(crm).toContain('role=Slave');
    expect(crm).toContain('g_web ms_drbd_r0:Master');
    expect(crm).not.toMatch(/Promoted|promotable/);
  });

  it('provider=heartbeat swaps in ocf:heartbeat:* and ocf:linbit:drbd with the same parameters', () => {
    const hakit = render('web');
    const hb = render('web', ['provider=heartbeat']);
    expect(hb).toContain('primitive p_drbd_r0 ocf:linbit:drbd');
    expect(hb).toContain('primitive p_fs ocf:heartbeat:Filesystem');
    expect(hb).toContain('primitive p_web ocf:heartbeat:apache');
    expect(hb.replace(/ocf:(heartbeat|linbit):/g, 'ocf:hakit:')).toBe(hakit);
  });

  it('dual-primary: two Promoted, interleaved clones, dlm, cluster filesystem, order chain', () => {
    const crm = render('dual-primary');
    expect(crm).toContain('promoted-max=2');
    expect(crm).toMatch(/clone ms_drbd_r0 .*\n\tmeta promotable=true .*notify=true interleave=true/);
    expect(crm).toMatch(/clone cl_dlm p_dlm \\\n\tmeta clone-max=2 clone-node-max=1 interleave=true/);
    expect(crm).toMatch(/clone cl_fs p_fs \\\n\tmeta clone-max=2 clone-node-max=1 interleave=true/);
    expect(crm).toContain('primitive p_dlm ocf:pacemaker:controld');
    expect(crm).toContain('fstype=gfs2');
    expect(crm).toContain('order ord_drbd_then_dlm Mandatory: ms_drbd_r0:promote cl_dlm:start');
    expect(crm).toContain('order ord_dlm_then_fs Mandatory: cl_dlm:start cl_fs:start');
    expect(crm).toContain('colocation col_fs_on_drbd inf: cl_fs ms_drbd_r0:Promoted');
    expect(render('dual-primary', ['fstype=ocfs2'])).toContain('fstype=ocfs2');
  });

  it('iscsi: tgt target and LU on the DRBD device, always ocf:heartbeat', () => {
    const crm = render('iscsi', ['provider=hakit', 'drbd_minor=2']);
    expect(crm).toContain('primitive p_target ocf:heartbeat:iSCSITarget');
    expect(crm).toMatch(/p_target .*\n\tparams implementation=tgt iqn=iqn\.2026-01\.org\.example:storage\.r0 tid=1/);
    expect(crm).toMatch(/p_lun .*\n\tparams implementation=tgt target_iqn=\S+ lun=1 path=\/dev\/drbd2/);
    expect(crm).toContain('group g_iscsi p_vip p_target p_lun');
    expect(crm).toContain('primitive p_vip ocf:hakit:IPaddr2');
  });

  it('optional values are left out, not rendered empty', () => {
    expect(render('web')).not.toContain('nic=');
    expect(render('web', ['nic=eth0'])).toContain('nic=eth0');
  });
});

describe('pcs form', () => {
  it('one pcs command per object, promotable clone created with the resource, constraints with ids', () => {
    const cmds = pcsCommands(instantiate(findTemplate('web')!, []).config);
    const drbd = cmds.find((c) => c[2] === 'p_drbd_r0')!;
    expect(drbd.slice(0, 4)).toEqual(['resource', 'create', 'p_drbd_r0', 'ocf:hakit:drbd']);
    expect(drbd).toEqual(expect.arrayContaining(['promotable', 'ms_drbd_r0', 'notify=true', 'role=Promoted', '--no-default-ops']));
    expect(cmds).toContainEqual(['constraint', 'order', 'promote', 'ms_drbd_r0', 'then', 'start', 'g_web', 'kind=Mandatory', 'id=ord_drbd_then_web']);
    expect(cmds).toContainEqual(['constraint', 'colocation', 'add', 'g_web', 'with', 'Promoted', 'ms_drbd_r0', 'INFINITY', 'id=col_web_on_drbd']);
    expect(cmds).toContainEqual(['constraint', 'location', 'add', 'loc_fence_node1', 'fence_node1', 'node1', '--', '-INFINITY']);
    expect(cmds.find((c) => c[2] === 'p_fs')).toEqual(expect.arrayContaining(['--group', 'g_web']));
  });

  it('the script quotes nothing it does not have to and runs on $CIB', () => {
    const sh = render('web', [], 'pcs');
    expect(sh.startsWith('#!/bin/sh\n')).toBe(true);
    expect(sh).toContain('pcs -f "$CIB" resource create p_vip ocf:hakit:IPaddr2 ip=192.0.2.10 cidr_netmask=24');
  });
});

describe('XML form', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  it('builds the configuration section; true stays value="true"', () => {
    const xml = render('web', [], 'xml');
    expect(xml).toContain('name="notify" value="true"');
    const doc = parser.parse(xml);
    const clone = doc.configuration.resources.clone;
    expect(clone.id).toBe('ms_drbd_r0');
    expect(clone.primitive.provider).toBe('hakit');
    expect(doc.configuration.constraints.rsc_order).toMatchObject({ first: 'ms_drbd_r0', 'first-action': 'promote', then: 'g_web' });
    expect(doc.configuration.constraints.rsc_colocation).toMatchObject({ rsc: 'g_web', 'with-rsc-role': 'Promoted' });
  });
});

describe('DRBD resource file', () => {
  it('protocol C, fencing resource-and-stonith, crm-fence-peer handlers, per-node sections', () => {
    const res = render('web', ['node1=alpha', 'node2=bravo', 'drbd_minor=3', 'drbd_port=7790'], 'drbd');
    expect(res).toContain('resource r0 {');
    expect(res).toContain('protocol C;');
    expect(res).toContain('fencing resource-and-stonith;');
    expect(res).toContain('fence-peer "/usr/lib/drbd/crm-fence-peer.9.sh";');
    expect(res).toContain('unfence-peer "/usr/lib/drbd/crm-unfence-peer.9.sh";');
    expect(res).toMatch(/on alpha \{\n\t\tnode-id 0;\n\t\tdevice \/dev\/drbd3 minor 3;\n\t\tdisk \/dev\/sdb1;\n\t\taddress ipv4 192\.0\.2\.11:7790;\n\t\tmeta-disk internal;/);
    expect(res).toContain('on bravo {');
    expect(res).not.toContain('allow-two-primaries');
  });

  it('drbd_version=8.4: fencing in disk, no node-id, the 8.4 handlers (crm-unfence-peer after resync)', () => {
    const res = render('web', ['node1=alpha', 'node2=bravo', 'drbd_minor=3', 'drbd_version=8.4'], 'drbd');
    expect(res).toContain('generated by hakit for DRBD 8.4');
    expect(res).toMatch(/\tnet \{\n\t\tprotocol C;\n\t\}\n\tdisk \{\n\t\tfencing resource-and-stonith;\n\t\}\n/);
    expect(res).toContain('fence-peer "/usr/lib/drbd/crm-fence-peer.sh";');
    expect(res).toContain('after-resync-target "/usr/lib/drbd/crm-unfence-peer.sh";');
    expect(res).not.toContain('node-id');
    expect(res).not.toContain('.9.sh');
    expect(res).toMatch(/on alpha \{\n\t\tdevice \/dev\/drbd3 minor 3;\n\t\tdisk \/dev\/sdb1;/);
    expect(render('dual-primary', ['drbd_version=8.4'], 'drbd')).toMatch(/net \{\n\t\tprotocol C;\n\t\tallow-two-primaries yes;\n\t\}/);
    expect(() => render('web', ['drbd_version=8.3'], 'drbd')).toThrow(/drbd_version.*9, 8\.4/);
  });

  it('allow-two-primaries only for dual-primary; IPv6 addresses bracketed', () => {
    expect(render('dual-primary', [], 'drbd')).toContain('allow-two-primaries yes;');
    expect(render('web', ['node1_addr=2001:db8::11', 'node2_addr=2001:db8::12'], 'drbd')).toContain('address ipv6 [2001:db8::11]:7789;');
  });

  it('the crm device and the DRBD device agree for every template', () => {
    for (const t of TEMPLATES) {
      const r = instantiate(t, ['drbd_minor=7']);
      const used = r.config.primitives.flatMap((p) => p.params.filter(([k]) => k === 'device' || k === 'path').map(([, v]) => v));
      expect(used).toEqual([`/dev/drbd${r.drbd.minor}`]);
      expect(r.config.primitives.find((p) => p.agent.type === 'drbd')!.params).toEqual([['drbd_resource', r.drbd.name]]);
    }
  });
});
