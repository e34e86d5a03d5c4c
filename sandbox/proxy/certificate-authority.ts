import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';

/**
 * A certificate authority made at start and trusted by nobody but the processes told so through
 * `NODE_EXTRA_CA_CERTS` (https://nodejs.org/api/cli.html#node_extra_ca_certsfile): it signs a
 * certificate for each Twilio host the proxy answers for. Its PEM is written to a private temporary
 * file, since Node reads that variable as a file path; `dispose` removes it.
 */
export class CertificateAuthority {
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  private constructor(
    private readonly ca: { key: string; cert: string },
    /** The CA's certificate as a PEM file, for NODE_EXTRA_CA_CERTS. */
    readonly certFile: string,
    private readonly folder: string,
  ) {}

  static async create(): Promise<CertificateAuthority> {
    const pems = await generate([{ name: 'commonName', value: 'Twilio sandbox local CA' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const folder = mkdtempSync(path.join(tmpdir(), 'sandbox-ca-'));
    const certFile = path.join(folder, 'ca.pem');
    writeFileSync(certFile, pems.cert, { mode: 0o600 });
    return new CertificateAuthority({ key: pems.private, cert: pems.cert }, certFile, folder);
  }

  /** A TLS context with a certificate for `host`, signed by this CA; one per host. */
  contextFor(host: string): Promise<SecureContext> {
    let context = this.contexts.get(host);
    if (!context) {
      context = generate([{ name: 'commonName', value: host }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        ca: this.ca,
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
        ],
      }).then((pems) => createSecureContext({ key: pems.private, cert: pems.cert }));
      this.contexts.set(host, context);
    }
    return context;
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
