import { defineAgent } from '../../src/ocf/spec';
import { monitor, start, status, stop, validate, validateAll } from './actions';
import { PARAMS } from './params';

// ocf:hakit:apache, a drop-in for ocf:heartbeat:apache.
export const spec = defineAgent({
  name: 'apache',
  version: '1.0.0',
  shortdesc: 'Manages an Apache Web server instance',
  longdesc: 'This is the resource agent for the Apache Web server (a drop-in for ocf:heartbeat:apache, same ' +
    'parameters). start returns as soon as the monitor passes (it polls every 10 ms for the first second, then ' +
    'every 50 ms, within the operation timeout). The monitor loads the server status page (mod_status; ' +
    'started with -DSTATUS) from this node\'s ' +
    'loopback address and matches testregex; make sure the status page is allowed *only* from localhost. ' +
    'Differences from ocf:heartbeat:apache: the HTTP check is made in-process (no wget or curl; https with ' +
    'self-signed certificates and redirects work; the client parameter is ignored); the configuration is read ' +
    'as httpd reads it (Include and IncludeOptional, ${VAR} from envfiles, which are parsed and never run ' +
    'through a shell), so on Debian the server-status Location and the real PidFile are found; a status page ' +
    'that is denied (HTTP 401/403) fails the monitor with a reason naming the <Location> to fix instead of ' +
    'silently falling back to the index page; a2enmod is never run (the configuration is not modified); stop ' +
    'signals only this instance\'s processes (its pidfile master, process group and children), never a pattern ' +
    'kill. See docs/apache.md.',
  params: PARAMS,
  validate,
  actions: {
    start: { timeout: 40, validate: true, run: start },
    stop: { timeout: 60, tolerant: true, run: stop },
    status: { timeout: 30, run: status },
    monitor: { timeout: 20, meta: [{ interval: 10, depth: 0, timeout: 20 }], run: monitor },
    'validate-all': { timeout: 5, validate: true, run: validateAll },
  },
});
