/**
 * `airlock/split-broker`: Tor Snowflake's broker split into supervised actors. Registrars (edge
 * zone: http, amp, dns) forward sealed registrations to the Oracle (keyholder zone: the only key
 * holder), which hands plaintext to the Matcher (core zone) and signs the answer going back.
 * Here: the actors, their protocols and configs, Snowflake's wire formats, and the client library.
 */
// The package ships these declarations (sodium-native has none) for the Oracle's key types.
/// <reference path="../../types/sodium-native.d.ts" preserve="true" />
export * from './wire/index.ts';
export * from './matcher/index.ts';
export * from './oracle/index.ts';
export * from './registrar/index.ts';
export * from './metrics/index.ts';
export * from '../ops/index.ts';
export * from './client/index.ts';
export * from './limits.ts';
