/**
 * Test support: a throw-away certificate authority and a server certificate for 127.0.0.1 / localhost,
 * made at test time with the openssl command-line tool. Only tests import this.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestPki {
  dir: string;
  /** PEM of the self-signed CA */
  caPem: string;
  caFile: string;
  serverKey: string;
  /** PEM of the server certificate, issued by the CA */
  serverCert: string;
}

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Creates a CA and a server certificate in `dir` (created if missing). */
export function makeTestPki(dir: string): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  const p = (f: string) => path.join(dir, f);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', cwd: dir });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2',
    '-subj', '/CN=DFAE Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(p('server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ].join('\n'));
  run(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('server.pem'), '-days', '2', '-sha256', '-extfile', p('server.ext')]);
  return {
    dir,
    caPem: fs.readFileSync(p('ca.pem'), 'utf8'),
    caFile: p('ca.pem'),
    serverKey: fs.readFileSync(p('server.key'), 'utf8'),
    serverCert: fs.readFileSync(p('server.pem'), 'utf8'),
  };
}
