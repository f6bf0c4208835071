export { amqp10Links } from './amqp10-links.ts';
export { identityOf } from './peer-identity.ts';
export { carriesName, namesOf } from '../../lib/index.ts';
export { makeCertificateAuthority, issueCertificate, type CertificateAuthority, type IssuedCertificate, type LeafRole } from './certs.ts';
export { lazyAmqp10Links } from './lazy-links.ts';
export { LinkConnectError, LinkConnectTimeoutError, LinkLostError, LinkRefusedError, PeerIdentityError } from '../../lib/errors.ts';
