import { p, type InferParams } from '../../src/ocf/params';
import { detectDefaultConfig } from './config';

// The upstream agent's parameters, same names and meanings.
export const PARAMS = {
  configfile: p.string({
    shortdesc: 'configuration file path',
    longdesc: 'The full pathname of the Apache configuration file. It is read (with Include and IncludeOptional, and ' +
      '${VAR} from envfiles) for ServerRoot, PidFile, Listen, Port and the server-status Location. The default is ' +
      'the distribution\'s: /etc/apache2/httpd.conf (SUSE), /etc/apache2/apache2.conf (Debian), else /etc/httpd/conf/httpd.conf.',
    unique: true,
    metaDefault: detectDefaultConfig(),
    maxLength: 4096,
  }),
  httpd: p.string({
    shortdesc: 'httpd binary path',
    longdesc: 'The full pathname of the httpd binary (optional). When it is not an executable file, the first of ' +
      '/sbin/httpd2, /usr/sbin/httpd2, /usr/sbin/apache2, /sbin/httpd, /usr/sbin/httpd, /usr/sbin/apache is used.',
    default: '/usr/sbin/httpd',
    maxLength: 4096,
  }),
  port: p.integer({
    shortdesc: 'httpd port',
    longdesc: 'A port number that we can probe for status information using the statusurl. This will default to ' +
      'the port number found in the configuration file, or 80, if none can be found in the configuration file.',
    min: 1,
    max: 65535,
  }),
  statusurl: p.string({
    shortdesc: 'url name',
    longdesc: 'The URL to monitor (the apache server status page by default). If left unspecified, it is inferred ' +
      'from the apache configuration file: the Listen address (or localhost:port) and the <Location> that has ' +
      '"SetHandler server-status". https URLs (also with self-signed certificates) and redirects are followed. ' +
      'The request is always made from this node\'s loopback address, so make sure that it succeeds *only* from ' +
      'localhost (127.0.0.1); otherwise the cluster may think the resource is active on several nodes.',
    maxLength: 4096,
  }),
  testregex: p.string({
    shortdesc: 'monitor regular expression',
    longdesc: 'Regular expression (grep -Ei style: extended, case insensitive) to match in the output of statusurl. ' +
      'Default: </ *html *>.',
    metaDefault: '</ *html *>',
    maxLength: 4096,
  }),
  client: p.string({
    shortdesc: 'http client',
    longdesc: 'Accepted for compatibility and ignored: hakit makes the HTTP request itself (no wget or curl needed).',
    default: '',
  }),
  testurl: p.string({
    shortdesc: 'test url',
    longdesc: 'URL to test at depth 10. If it does not start with "http", then it\'s considered to be relative to ' +
      'the Listen address.',
    maxLength: 4096,
  }),
  testregex10: p.string({
    shortdesc: 'extended monitor regular expression',
    longdesc: 'Regular expression to match in the output of testurl. Case insensitive.',
    maxLength: 4096,
  }),
  testconffile: p.string({
    shortdesc: 'test configuration file',
    longdesc: 'A file with test blocks ("test <name>", "url", "match", "user", "password", "client", "client_opts", ' +
      '"end") for the depth-10 monitor; the way to give basic-auth credentials without putting them in the CIB. ' +
      '"client" and "client_opts" are ignored (the request is made in-process).',
    maxLength: 4096,
  }),
  testname: p.string({
    shortdesc: 'test name',
    longdesc: 'Name of the test within the test configuration file (the first one when empty).',
    maxLength: 4096,
  }),
  options: p.string({
    shortdesc: 'command line options',
    longdesc: 'Extra options to apply when starting apache. See man httpd(8). Split at white space ("..." and ' +
      '\'...\' keep an argument together); never run through a shell.',
    maxLength: 4096,
  }),
  envfiles: p.string({
    shortdesc: 'environment settings files',
    longdesc: 'Files (one or more, space separated) which contain extra environment variables (Debian\'s ' +
      '/etc/apache2/envvars). They are read, not run: `export VAR=value` assignments, $VAR/${VAR} expansion and ' +
      'simple if/else blocks are understood; command substitutions are ignored. Set it to the empty string to ' +
      'read none.',
    default: '/etc/apache2/envvars',
    maxLength: 4096,
  }),
  use_ipv6: p.boolean({
    shortdesc: 'use ipv6 with http clients',
    longdesc: 'We will try to detect if the URL (for monitor) is IPv6, but if that doesn\'t work set this to true ' +
      'to enforce IPv6 (the request is then made from ::1).',
    default: false,
  }),
};

export type ApacheParams = InferParams<typeof PARAMS>;
