import { generate } from 'selfsigned';

export interface EdgeCertificate {
  key: string;
  cert: string;
}

/**
 * The Voice SDK opens its signalling socket at `wss://<chunderw>/signal` whatever host it is given
 * (regions.ts, createSignalingEndpointURL), so the sandbox's gateway must speak TLS. A certificate made
 * at start for 127.0.0.1 and localhost, trusted by nobody: a browser must be told to accept it (the
 * tests start Chromium with --ignore-certificate-errors; a person opens the gateway's URL once).
 */
export async function edgeCertificate(): Promise<EdgeCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'Twilio sandbox voice edge' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
