import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPorts, makeDisk, Vm, type RunResult } from './vm';

export const NODES = ['node-a', 'node-b'] as const;
export type NodeName = (typeof NODES)[number];
export const IPS: Record<NodeName, string> = { 'node-a': '10.77.0.1', 'node-b': '10.77.0.2' };
export const DISK_MIB = 40;

// drbd.conf for the two test guests: one resource r0 on /dev/vda with internal meta-data, short timeouts so
// failures are noticed quickly under emulation, fast resync.
export const drbdConf = (res = 'r0'): string => `global { usage-count no; }
common {
  net { protocol C; ping-int 2; ping-timeout 10; connect-int 1; timeout 30; }
  disk { resync-rate 500M; c-plan-ahead 0; }
}
resource ${res} {
  device /dev/drbd0;
  disk /dev/vda;
  meta-disk internal;
  on node-a { address ${IPS['node-a']}:7789; }
  on node-b { address ${IPS['node-b']}:7789; }
}
`;

// Two guests booted from the kit, joined by a private link, sharing one 9p folder (agent in, results out).
export class Pair {
  readonly dir: string;
  readonly share: string;
  readonly vms: Record<NodeName, Vm>;

  private constructor(dir: string, share: string, vms: Record<NodeName, Vm>) {
    this.dir = dir;
    this.share = share;
    this.vms = vms;
  }

  // Creates the work folder, fresh disks and the two (not yet booted) guests.
  static async create(kit: string, opts: { dist?: string; prefix?: string } = {}): Promise<Pair> {
    const prefix = opts.prefix ?? '/tmp/hk-drbdvm-';
    const dir = mkdtempSync(prefix);
    const share = join(dir, 'share');
    mkdirSync(share);
    chmodSync(dir, 0o755);
    const [pa = 0, pb = 0] = await freeUdpPorts(2);
    const mk = (name: NodeName, i: number, local: number, remote: number): Vm => {
      const disk = join(dir, `${name}.img`);
      makeDisk(disk, DISK_MIB);
      mkdirSync(join(share, name), { recursive: true });
      return new Vm({
        kit, name, ip: `${IPS[name]}/24`, mac: `52:54:00:77:00:0${i}`, disks: [disk], share, dir,
        udpLocal: local, udpRemote: remote, ...(opts.dist ? { dist: opts.dist } : {}),
      });
    };
    return new Pair(dir, share, { 'node-a': mk('node-a', 1, pa, pb), 'node-b': mk('node-b', 2, pb, pa) });
  }

  vm(node: NodeName): Vm {
    return this.vms[node];
  }

  // Boots one guest and installs drbd.conf in it.
  async bootNode(node: NodeName): Promise<number> {
    const ms = await this.vms[node].boot();
    const r = await this.vms[node].run(`cat > /etc/drbd.conf <<'HKEOF'\n${drbdConf()}HKEOF\n`);
    if (r.rc !== 0) throw new Error(`${node}: writing drbd.conf failed: ${r.stderr}`);
    return ms;
  }

  // Boots both guests in parallel; returns the wall time in ms.
  async boot(): Promise<number> {
    const t0 = Date.now();
    await Promise.all(NODES.map((n) => this.bootNode(n)));
    return Date.now() - t0;
  }

  run(node: NodeName, script: string, timeoutMs?: number): Promise<RunResult> {
    return this.vms[node].run(script, timeoutMs);
  }

  // Brings both guests back to a clean state for the next scenario: booted, link up, DRBD down, disk zeroed,
  // no recorded Pacemaker calls or scores. Cheaper than booting a new pair.
  async reset(): Promise<void> {
    await Promise.all(
      NODES.map(async (n) => {
        const vm = this.vms[n];
        if (!vm.running) {
          this.replaceDisk(n);
          await this.bootNode(n);
          return;
        }
        await vm.setLink(true);
        const r = await vm.run(
          `umount /mnt/r0 2>/dev/null; drbdsetup down r0 2>/dev/null; drbdadm down r0 2>/dev/null; ` +
            `rm -rf /run/hk-pcmk/* /tmp/hk-*; dd if=/dev/zero of=/dev/vda bs=1M count=${DISK_MIB} 2>/dev/null; ` +
            `test ! -e /proc/drbd || ! grep -q '^ 0:' /proc/drbd`,
        );
        if (r.rc !== 0) throw new Error(`${n}: reset failed: ${r.stdout}${r.stderr}`);
      }),
    );
  }

  // Replaces a node's disk with a new, empty one (the guest must be powered off).
  replaceDisk(node: NodeName): void {
    const vm = this.vms[node];
    if (vm.running) throw new Error(`${node} must be off to swap its disk`);
    const disk = vm.cfg.disks[0];
    if (disk) makeDisk(disk, DISK_MIB);
  }

  // Stops both guests and removes the work folder (unless keep is set, for debugging).
  async destroy(keep = false): Promise<void> {
    await Promise.all(NODES.map((n) => this.vms[n].crash()));
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
