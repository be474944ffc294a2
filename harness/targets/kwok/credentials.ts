import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { issueCert } from './x509.js';

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

/**
 * The aggregation layer's credentials (what kubeadm calls front-proxy): kube-apiserver proxies metrics.k8s.io to
 * metrics-server with the client certificate, and metrics-server trusts the X-Remote-User headers of requests
 * made with a certificate the CA signed and named `front-proxy-client`. `clientCa` is kube-apiserver's
 * --client-ca-file: nothing is signed by it, so it lets no one in, but it completes the
 * extension-apiserver-authentication ConfigMap that metrics-server reads (it logs an error every few seconds
 * without one). metrics-server serves with its own CA's certificate, which the APIService carries as caBundle.
 */
export interface AggregationCredentials {
  frontProxyCaPem: string;
  frontProxyClientCertPem: string;
  frontProxyClientKeyPem: string;
  clientCaPem: string;
  /** metrics-server's serving certificate and its CA (the APIService's caBundle), so the aggregator verifies TLS. */
  metricsServerCaPem: string;
  metricsServerCertPem: string;
  metricsServerKeyPem: string;
}

export const FRONT_PROXY_CLIENT = 'front-proxy-client';

/** The name kube-apiserver's aggregator checks metrics-server's certificate against: <service>.<namespace>.svc. */
export const METRICS_SERVER_HOST = 'metrics-server.kube-system.svc';

export function aggregationCredentials(now: Date): AggregationCredentials {
  // An hour of clock skew either way; the cluster is thrown away long before a year is up.
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + 365 * 86_400_000);
  const ca = issueCert({ commonName: 'burstlab-front-proxy-ca', ca: true, notBefore, notAfter });
  const client = issueCert({ commonName: FRONT_PROXY_CLIENT, ca: false, usages: ['clientAuth'], notBefore, notAfter, issuer: ca });
  const clientCa = issueCert({ commonName: 'burstlab-client-ca', ca: true, notBefore, notAfter });
  const servingCa = issueCert({ commonName: 'burstlab-metrics-server-ca', ca: true, notBefore, notAfter });
  const serving = issueCert({
    commonName: METRICS_SERVER_HOST,
    ca: false,
    usages: ['serverAuth'],
    dnsNames: [METRICS_SERVER_HOST],
    ips: ['127.0.0.1'],
    notBefore,
    notAfter,
    issuer: servingCa,
  });
  return {
    frontProxyCaPem: ca.certPem,
    frontProxyClientCertPem: client.certPem,
    frontProxyClientKeyPem: client.keyPem,
    clientCaPem: clientCa.certPem,
    metricsServerCaPem: servingCa.certPem,
    metricsServerCertPem: serving.certPem,
    metricsServerKeyPem: serving.keyPem,
  };
}
