/**
 * Test certificates made on the spot with the system `openssl`: a CA and, per service, a key and
 * a certificate whose subject CN names the service (P-256, so generation takes milliseconds).
 * `expired` makes one whose validity ended in 2020; `otherCa` a CA nobody else trusts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  readonly dir: string;
  /** The CA certificate (PEM). */
  readonly ca: string;
  readonly caFile: string;
  /** A key and certificate for `service`, signed by this CA; written to `<dir>/<file>.{key,crt}`. */
  issue(service: string, options?: { readonly expired?: boolean; readonly file?: string }): TestIdentity;
  remove(): void;
}

export interface TestIdentity {
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
}

const OPENSSL = '/usr/bin/openssl';
const run = (args: readonly string[], cwd: string) => execFileSync(OPENSSL, args, { cwd, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function testCa(name = 'microcosm-test-ca'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'microcosm-tls-'));
  run(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', `/CN=${name}`, '-days', '2'], dir);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'serial = $dir/serial',
      'certificate = $dir/ca.crt',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      'copy_extensions = none',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  let issued = 0;
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    caFile: join(dir, 'ca.crt'),
    issue(service, options = {}) {
      const file = options.file ?? `${service}-${++issued}`;
      run(['req', ...EC, '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${service}`], dir);
      const dates = options.expired ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'] : ['-days', '2'];
      run(['ca', '-config', 'ca.cnf', '-batch', '-notext', '-in', `${file}.csr`, '-out', `${file}.crt`, ...dates], dir);
      const certFile = join(dir, `${file}.crt`);
      const keyFile = join(dir, `${file}.key`);
      return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
