import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Just enough X.509 (RFC 5280) to issue the control plane's throwaway certificates: Node's crypto parses and
 * verifies certificates but cannot make them, and openssl would be one more prerequisite. Keys are EC P-256 and
 * signatures ecdsa-with-SHA256, which every Kubernetes component accepts.
 */

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  /** For signing further certificates with this one. */
  key: KeyObject;
  /** DER of the subject Name, the issuer of certificates this one signs. */
  subjectDer: Buffer;
}

export interface CertRequest {
  commonName: string;
  /** A CA may sign certificates; a leaf may not. */
  ca: boolean;
  /** Extended key usages of a leaf, e.g. clientAuth. */
  usages?: Array<keyof typeof EKU>;
  /** Subject alternative names of a server certificate: what TLS clients check, not the common name. */
  dnsNames?: string[];
  ips?: string[];
  notBefore: Date;
  notAfter: Date;
  /** Signed by itself when absent. */
  issuer?: IssuedCert;
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
} as const;

export const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

export function issueCert(req: CertRequest): IssuedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const subject = name(req.commonName);
  const issuerName = req.issuer?.subjectDer ?? subject;
  const signer = req.issuer?.key ?? privateKey;
  // A CA signs certificates (keyCertSign) and revocation lists; a leaf only proves possession of its key.
  const keyUsage = req.ca ? bitString(0b0000_0110, 1) : bitString(0b1000_0000, 7);
  const extensions = [
    extension(OID.basicConstraints, true, seq(req.ca ? [tlv(0x01, Buffer.from([0xff]))] : [])),
    extension(OID.keyUsage, true, keyUsage),
    ...(req.usages?.length ? [extension(OID.extKeyUsage, false, seq(req.usages.map((u) => oid(EKU[u]))))] : []),
    ...(req.dnsNames?.length || req.ips?.length ? [extension(OID.subjectAltName, false, altNames(req.dnsNames ?? [], req.ips ?? []))] : []),
  ];
  const tbs = seq([
    tlv(0xa0, integer(Buffer.from([2]))), // version v3
    integer(serial()),
    seq([oid(OID.ecdsaWithSha256)]),
    issuerName,
    seq([time(req.notBefore), time(req.notAfter)]),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(extensions)),
  ]);
  const signature = sign('sha256', tbs, { key: signer, dsaEncoding: 'der' });
  const der = seq([tbs, seq([oid(OID.ecdsaWithSha256)]), bitString(signature)]);
  return {
    certPem: pem('CERTIFICATE', der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    key: privateKey,
    subjectDer: subject,
  };
}

function pem(label: string, der: Buffer): string {
  const body = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** A positive 16-byte serial: random, with the top bit cleared so DER does not read it as negative. */
function serial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

function name(commonName: string): Buffer {
  return seq([set([seq([oid(OID.commonName), tlv(0x0c, Buffer.from(commonName, 'utf8'))])])]);
}

/** GeneralNames: dNSName is [2] IA5String, iPAddress [7] the address's bytes (IPv4 only here). */
function altNames(dnsNames: string[], ips: string[]): Buffer {
  const ipBytes = (ip: string): Buffer => {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new RangeError(`not an IPv4 address: ${ip}`);
    return Buffer.from(parts);
  };
  return seq([...dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...ips.map((ip) => tlv(0x87, ipBytes(ip)))]);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq([oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value)]);
}

/** UTCTime up to 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function bitString(value: Buffer | number, unusedBits = 0): Buffer {
  const bytes = typeof value === 'number' ? Buffer.from([value]) : value;
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    // Base 128, most significant group first, every group but the last with its top bit set.
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    for (const byte of chunk) out.push(byte);
  }
  return tlv(0x06, Buffer.from(out));
}

function seq(items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n > 0xffff) throw new RangeError('DER value too long for this encoder');
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
