/**
 * The registrars (edge zone), one actor per registration method, and what they share: config,
 * bounds (rate, waits in flight), forwarding to the Oracle unopened, the HTTP edges' CORS and
 * bodies, and DNS's reassembly, messages (dns-query.ts, dns-question.ts, dns-reply.ts) and TCP
 * service. How each method carries bytes (AMP path and armor, DNS names and TXT answers) is
 * wire/. A registrar never opens a registration.
 */
export { RegistrarProtocol } from './protocol.ts';
export { RegistrarConfig } from './registrar-config.ts';
export { httpRegistrarActor } from './http-registrar.ts';
export { ampRegistrarActor } from './amp-registrar.ts';
export { DnsRegistrarConfig, dnsRegistrarActor } from './dns-registrar.ts';
export { EdgeBounds } from './edge-bounds.ts';
export { clientResponse, forwardClientBody, forwardRequest, type Forwarded } from './forward-registration.ts';
export { allowCrossOrigin, answerPreflight, CROSS_ORIGIN_HEADERS, pathOf, readBody, send, sendCrossOrigin, whenHungUp } from './http-edge.ts';
export { RegistrationReassembler, type ReassemblyLimits, type ReassemblyState } from './dns-reassembly.ts';
export { parseDnsQuery, presentationName, type DnsEdns, type DnsQuery, type DnsQuestion } from './dns-query.ts';
export { encodeDnsReply, replyLimit, type DnsOutcome, type DnsReplyRcode } from './dns-reply.ts';
export { serveDnsOverTcp, type DnsTcpLimits } from './dns-tcp.ts';
export { dnsSourceOf } from './dns-source.ts';
