/**
 * airlock's client library for the split broker, transport-agnostic: seal a registration for the
 * Oracle, verify its signed answer, and build and read a proxy's poll and answer messages.
 */
export { AnswerSignatureError } from './errors.ts';
export { sealRegistration, type SealedRegistration } from './seal-registration.ts';
export { verifyAnswer } from './verify-answer.ts';
export { proxyAnswerBody, proxyPollBody, readAnswerResponse, readProxyPollResponse, type ProxyIdentity } from './proxy.ts';
