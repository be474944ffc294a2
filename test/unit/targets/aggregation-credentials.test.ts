import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aggregationCredentials, FRONT_PROXY_CLIENT, METRICS_SERVER_HOST } from '../../../harness/targets/kwok/credentials.js';

const NOW = new Date('2026-11-25T10:00:00Z');

describe('the aggregation layer credentials', () => {
  const creds = aggregationCredentials(NOW);
  const ca = new X509Certificate(creds.frontProxyCaPem);
  const client = new X509Certificate(creds.frontProxyClientCertPem);

  it('issue a client certificate named front-proxy-client that the front-proxy CA signed', () => {
    expect(client.subject).toBe(`CN=${FRONT_PROXY_CLIENT}`);
    expect(client.checkIssued(ca)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
  });

  it('mark the client certificate for client authentication only, and not as a CA', () => {
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(client.ca).toBe(false);
  });

  it('make both CAs self-signed CAs', () => {
    const clientCa = new X509Certificate(creds.clientCaPem);
    for (const c of [ca, clientCa]) {
      expect(c.ca).toBe(true);
      expect(c.verify(c.publicKey)).toBe(true);
    }
    expect(clientCa.fingerprint256).not.toBe(ca.fingerprint256);
  });

  it('are valid from an hour before now for a year', () => {
    expect(new Date(client.validFrom).toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(new Date(client.validTo).toISOString()).toBe('2027-11-25T10:00:00.000Z');
  });

  it('give a private key that matches the client certificate', () => {
    expect(client.checkPrivateKey(createPrivateKey(creds.frontProxyClientKeyPem))).toBe(true);
  });

  it("give metrics-server a serving certificate for the name the aggregator checks, signed by the APIService's CA", () => {
    const serving = new X509Certificate(creds.metricsServerCertPem);
    const servingCa = new X509Certificate(creds.metricsServerCaPem);
    expect(serving.checkHost(METRICS_SERVER_HOST)).toBe(METRICS_SERVER_HOST);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.verify(servingCa.publicKey)).toBe(true);
    expect(serving.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(serving.checkPrivateKey(createPrivateKey(creds.metricsServerKeyPem))).toBe(true);
  });
});
