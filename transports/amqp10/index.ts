export { amqp10Links } from './amqp10-links.ts';
export { identityOf, carriesName, namesOf } from './peer-identity.ts';
export { makeCertificateAuthority, issueCertificate, type CertificateAuthority, type IssuedCertificate, type LeafRole } from './certs.ts';
export { lazyAmqp10Links } from './lazy-links.ts';
export { LinkConnectError, LinkLostError, LinkRefusedError, PeerIdentityError } from '../../lib/errors.ts';
