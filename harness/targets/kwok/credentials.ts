import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The service-account signing key pair: kube-apiserver signs tokens with it, kube-controller-manager too. */
export function serviceAccountKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A bearer token for the cluster's admin; fresh per cluster and only ever written inside the cluster's folder. */
export function adminToken(): string {
  return randomBytes(24).toString('hex');
}

/** kube-apiserver's static token file: token,user,uid,"groups". */
export function tokenFile(token: string): string {
  return `${token},burstlab-admin,burstlab-admin,"system:masters"\n`;
}

/**
 * The CA that signed kube-apiserver's self-signed serving certificate. With --cert-dir and no certificate given,
 * kube-apiserver writes apiserver.crt as the serving certificate followed by its CA, so clients can verify TLS
 * properly instead of skipping verification.
 */
export function servingCaPem(certFile: string): string {
  const blocks = readFileSync(certFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certs = blocks.map((pem) => ({ pem, cert: new X509Certificate(pem) }));
  const ca = certs.find((c) => c.cert.ca) ?? certs[certs.length - 1];
  if (!ca) throw new Error(`${certFile} holds no certificate`);
  return ca.pem + '\n';
}

export function kubeconfigYaml(server: string, caPem: string, token: string, name = 'burstlab-kwok'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'burstlab-admin', user: { token } }],
    contexts: [{ name, context: { cluster: name, user: 'burstlab-admin' } }],
    'current-context': name,
  });
}
