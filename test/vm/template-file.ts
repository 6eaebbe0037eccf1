import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemplate, instantiate, renderAs } from '../../src/templates/index';
import { IPS } from './pair';

// Scenario template-84's input: the web template's DRBD file rendered for the 8.4 module with the two guests' names
// and addresses and their disk, written into the pair's shared folder as /share/template-84.res.
export const writeTemplate84 = (share: string): void => {
  const r = instantiate(findTemplate('web')!, ['node1=node-a', 'node2=node-b', `node1_addr=${IPS['node-a']}`,
    `node2_addr=${IPS['node-b']}`, 'drbd_disk=/dev/vda', 'drbd_version=8.4']);
  writeFileSync(join(share, 'template-84.res'), renderAs(r, 'drbd'));
};
