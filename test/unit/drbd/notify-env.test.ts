import { describe, expect, it } from 'vitest';
import { firstPeer, othersIn, parseNotifyEnv, promotedPeerNotStopping } from '../../../agents/drbd/notify-env';

const N = 'OCF_RESKEY_CRM_meta_notify_';

describe('parseNotifyEnv', () => {
  it('reads every list, pairing *_resource with *_uname by index', () => {
    const n = parseNotifyEnv({
      [`${N}type`]: 'post', [`${N}operation`]: 'promote',
      [`${N}start_resource`]: 'p:0 p:1', [`${N}start_uname`]: 'node-a node-b',
      [`${N}promote_resource`]: 'p:1 ', [`${N}promote_uname`]: ' node-b',
      [`${N}promoted_resource`]: 'p:1', [`${N}promoted_uname`]: 'node-b',
      [`${N}unpromoted_resource`]: 'p:0', [`${N}unpromoted_uname`]: 'node-a',
      [`${N}active_resource`]: 'p:0 p:1', [`${N}active_uname`]: 'node-a node-b',
      [`${N}inactive_resource`]: 'p:2', [`${N}stop_resource`]: '', [`${N}stop_uname`]: ' ',
      [`${N}available_uname`]: 'node-a node-b node-c', [`${N}all_uname`]: 'node-a node-b node-c', [`${N}all_hosts`]: 'h1 h2',
    });
    expect(n.type).toBe('post');
    expect(n.operation).toBe('promote');
    expect(n.start).toEqual([{ resource: 'p:0', uname: 'node-a' }, { resource: 'p:1', uname: 'node-b' }]);
    expect(n.promote).toEqual([{ resource: 'p:1', uname: 'node-b' }]);
    expect(n.promoted).toEqual([{ resource: 'p:1', uname: 'node-b' }]);
    expect(n.unpromoted).toEqual([{ resource: 'p:0', uname: 'node-a' }]);
    expect(n.inactive).toEqual([{ resource: 'p:2', uname: '' }]);
    expect(n.stop).toEqual([]);
    expect(n.demote).toEqual([]);
    expect(n.available).toEqual(['node-a', 'node-b', 'node-c']);
    expect(n.allHosts).toEqual(['h1', 'h2']);
  });

  it.each([
    ['legacy master/slave names only', { master_uname: 'node-b', master_resource: 'p:1', slave_uname: 'node-a', slave_resource: 'p:0' }],
    ['new names only', { promoted_uname: 'node-b', promoted_resource: 'p:1', unpromoted_uname: 'node-a', unpromoted_resource: 'p:0' }],
    ['both (Pacemaker 2.1 sends both)', {
      master_uname: 'node-b', master_resource: 'p:1', slave_uname: 'node-a', slave_resource: 'p:0',
      promoted_uname: 'node-b', promoted_resource: 'p:1', unpromoted_uname: 'node-a', unpromoted_resource: 'p:0',
    }],
  ])('%s give the same structure', (_, vars) => {
    const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`${N}${k}`, v]));
    const n = parseNotifyEnv(env);
    expect(n.promoted).toEqual([{ resource: 'p:1', uname: 'node-b' }]);
    expect(n.unpromoted).toEqual([{ resource: 'p:0', uname: 'node-a' }]);
  });

  it.each([
    [{}, undefined, undefined],
    [{ [`${N}type`]: 'pre', [`${N}operation`]: 'start' }, 'pre', 'start'],
    [{ [`${N}type`]: 'post', [`${N}operation`]: 'demote' }, 'post', 'demote'],
    [{ [`${N}type`]: 'during', [`${N}operation`]: 'migrate' }, undefined, undefined],
  ])('type/operation %j', (env, type, op) => {
    const n = parseNotifyEnv(env);
    expect(n.type).toBe(type);
    expect(n.operation).toBe(op);
  });

  it('peer helpers ignore this node (case-insensitive) and stopping promoted nodes', () => {
    const n = parseNotifyEnv({
      [`${N}promoted_uname`]: 'NODE-A node-b', [`${N}start_uname`]: 'node-a node-c', [`${N}stop_uname`]: '',
    });
    expect(othersIn(n.promoted, 'node-a')).toEqual(['node-b']);
    expect(firstPeer(n, 'node-a')).toBe('node-c');
    expect(promotedPeerNotStopping(n, 'node-a')).toBe('node-b');
    const stopping = parseNotifyEnv({ [`${N}promoted_uname`]: 'node-b', [`${N}stop_uname`]: 'node-b' });
    expect(promotedPeerNotStopping(stopping, 'node-a')).toBeUndefined();
    expect(promotedPeerNotStopping(parseNotifyEnv({ [`${N}promoted_uname`]: 'node-a' }), 'node-a')).toBeUndefined();
  });
});
