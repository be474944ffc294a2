import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LOOPBACK } from '../../harness/targets/kwok/ports.js';

/**
 * A loopback proxy in front of moto that makes EC2 refuse what moto cannot: moto has no capacity model, so it never
 * answers InsufficientInstanceCapacity, and it never throttles. The proxy answers those calls itself in EC2's own
 * wire format (the shapes EC2 documents for CreateFleet's errorSet and for an error response), so the real SDK
 * parses them as it would EC2's; every other request goes to moto untouched.
 */
export interface Ec2FaultProxy {
  endpoint: string;
  /** Offerings `type/zone/capacityType` that CreateFleet reports as InsufficientInstanceCapacity. */
  short: Set<string>;
  /** Answers the next `n` calls of `action` with this error code and HTTP status (EC2 throttles with 503). */
  refuseNext(action: string, n: number, code: string, status?: number): void;
  /** The EC2 actions that reached the proxy, in order. */
  actions: string[];
  close(): Promise<void>;
}

export async function startEc2FaultProxy(upstream: string, short: readonly string[] = []): Promise<Ec2FaultProxy> {
  const shortSet = new Set(short);
  const refusals = new Map<string, { n: number; code: string; status: number }>();
  const actions: string[] = [];
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      actions.push(action);
      const refusal = refusals.get(action);
      if (refusal && refusal.n > 0) {
        refusal.n--;
        return reply(res, refusal.status, errorXml(refusal.code));
      }
      if (action === 'CreateFleet') {
        const offering = requestedOffering(params);
        if (offering && shortSet.has(`${offering.type}/${offering.zone}/${offering.capacityType}`)) {
          return reply(res, 200, iceFleetXml(offering));
        }
      }
      forward(req, body, target, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    short: shortSet,
    refuseNext: (action, n, code, status = 503) => void refusals.set(action, { n, code, status }),
    actions,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface RequestedOffering {
  type: string;
  zone: string;
  subnetId: string;
  capacityType: string;
}

/** The first override of a CreateFleet request (the provider asks for one offering per call). */
function requestedOffering(params: URLSearchParams): RequestedOffering | undefined {
  const prefix = 'LaunchTemplateConfigs.1.Overrides.1.';
  const type = params.get(`${prefix}InstanceType`);
  const zone = params.get(`${prefix}AvailabilityZone`);
  if (!type || !zone) return undefined;
  return { type, zone, subnetId: params.get(`${prefix}SubnetId`) ?? '', capacityType: params.get('TargetCapacitySpecification.DefaultTargetCapacityType') ?? 'on-demand' };
}

function iceFleetXml(o: RequestedOffering): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>burstlab-fault-proxy</requestId>
  <fleetId>fleet-00000000-0000-0000-0000-000000000000</fleetId>
  <errorSet><item>
    <launchTemplateAndOverrides><overrides><instanceType>${o.type}</instanceType><availabilityZone>${o.zone}</availabilityZone><subnetId>${o.subnetId}</subnetId></overrides></launchTemplateAndOverrides>
    <lifecycle>${o.capacityType}</lifecycle>
    <errorCode>InsufficientInstanceCapacity</errorCode>
    <errorMessage>We currently do not have sufficient ${o.type} capacity in the Availability Zone you requested (${o.zone}).</errorMessage>
  </item></errorSet>
  <fleetInstanceSet/>
</CreateFleetResponse>`;
}

function errorXml(code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>${code}</Code><Message>refused by the test's fault proxy</Message></Error></Errors><RequestID>burstlab-fault-proxy</RequestID></Response>`;
}

function reply(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
  res.end(xml);
}

function forward(req: IncomingMessage, body: Buffer, target: URL, res: ServerResponse): void {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => reply(res, 502, errorXml(`ProxyError ${err.message}`)));
  upstream.end(body);
}
