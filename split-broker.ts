/**
 * `airlock/split-broker`: Tor Snowflake's broker split into supervised actors. Registrars (edge
 * zone: http, amp, dns) forward sealed registrations to the Oracle (keyholder zone: the only key
 * holder), which hands plaintext to the Matcher (core zone) and signs the answer going back.
 * Here: the actors, their protocols and configs, Snowflake's wire formats, and the client library.
 */
// The package ships these declarations (sodium-native has none) for the Oracle's key types.
/// <reference path="./types/sodium-native.d.ts" preserve="true" />
export * from './actors/snowflake/index.ts';
export * from './actors/matcher/index.ts';
export * from './actors/oracle/index.ts';
export * from './actors/registrar/index.ts';
export * from './actors/metrics/index.ts';
export * from './actors/ops/index.ts';
export * from './clients/index.ts';
