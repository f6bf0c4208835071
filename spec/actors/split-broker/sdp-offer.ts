/**
 * A WebRTC data-channel offer as a Snowflake client sends it (JSON of the session description):
 * the real snowflake-proxy 2.5.1 accepts it and answers at once (spec/clients/snowflake-proxy-wire.spec.ts checks it).
 */
export const SDP_OFFER = JSON.stringify({
  type: 'offer',
  sdp: [
    'v=0', 'o=- 4358805017720277108 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE data', 'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 127.0.0.1',
    'a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host', 'a=ice-ufrag:aaaa', 'a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa', 'a=ice-options:trickle',
    'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
    'a=setup:actpass', 'a=mid:data', 'a=sctp-port:5000', '',
  ].join('\r\n'),
});
