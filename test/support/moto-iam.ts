import { FAKE_CREDENTIALS, REGION } from './moto-server.js';

/**
 * One call of IAM's query API on moto, for what the project's SDK clients do not cover (burstlab never calls IAM,
 * so @aws-sdk/client-iam is no dependency). moto routes by the Authorization header's credential scope and does not
 * check the signature; the answer's XML is returned, and a refusal thrown with moto's message.
 */
export async function motoIam(endpoint: string, action: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.accessKeyId}/20260101/${REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${action}: HTTP ${res.status}: ${text}`);
  return text;
}
