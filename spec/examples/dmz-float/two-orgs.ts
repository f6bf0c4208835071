/** Shared setup of the end-to-end float specs: the example's two organisations over real TLS and RabbitMQ. */
import { defineActor } from '../../../index.ts';
import { PeerInboxProtocol } from '../../../actors/dmz-float/index.ts';
import { makeDemoCertificates } from '../../../examples/dmz-float/certificates.ts';
import { Organisations, type OrganisationsOptions } from '../../../examples/dmz-float/organisations.ts';
import type { OrgCertificates, OrgPorts } from '../../../examples/dmz-float/topology.ts';
import { DeliveryLedger } from '../../support/delivery-ledger.ts';
import { BROKER_URL, cleanup, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';
import { freePort, text, until } from '../../actors/dmz-float/support.ts';

let certificates: Promise<{ a: OrgCertificates; b: OrgCertificates }> | undefined;

/** Free ports for both organisations' Floats. */
export async function orgPorts(): Promise<{ a: OrgPorts; b: OrgPorts }> {
  const org = async (): Promise<OrgPorts> => ({ public: await freePort(), tunnel: await freePort(), health: await freePort() });
  return { a: await org(), b: await org() };
}

/**
 * An inbox that hands each message to the ledger, which drops a redelivered message id (the
 * dedupe a real inbox does by message id), and keeps its text per peer.
 */
export function ledgerInbox(ledger: DeliveryLedger, texts: string[]) {
  return defineActor({
    protocol: PeerInboxProtocol,
    setup: () => ({
      PeerMessage({ peer, messageId, bytes }) {
        if (ledger.receive(peer, messageId ?? '')) texts.push(`${peer}: ${text(bytes)}`);
      },
    }),
  });
}

export interface TwoOrgs {
  orgs: Organisations;
  ledger: DeliveryLedger;
  texts: string[];
  audit: Record<'a' | 'b', Record<string, unknown>[]>;
  namespaces: { a: string; b: string };
  dispose(): Promise<void>;
}

export async function twoOrganisations(extra: Partial<OrganisationsOptions> & { ports: { a: OrgPorts; b: OrgPorts } }): Promise<TwoOrgs> {
  certificates ??= makeDemoCertificates();
  const ledger = new DeliveryLedger();
  const texts: string[] = [];
  const audit: TwoOrgs['audit'] = { a: [], b: [] };
  const namespaces = { a: uniqueNamespace('float-a'), b: uniqueNamespace('float-b') };
  const orgs = new Organisations({
    url: BROKER_URL,
    namespaces,
    certificates: await certificates,
    inbox: ledgerInbox(ledger, texts),
    audit: (org) => ({ writer: (line) => audit[org as 'a' | 'b'].push(JSON.parse(line) as Record<string, unknown>) }),
    reconnect: { minMs: 50, maxMs: 400 },
    queryIntervalMs: 100,
    ...extra,
  });
  return {
    orgs,
    ledger,
    texts,
    audit,
    namespaces,
    async dispose() {
      await orgs.stopAll();
      await cleanup(namespaces.a, Organisations.queuesOf('a'));
      await cleanup(namespaces.b, Organisations.queuesOf('b'));
    },
  };
}

/** Waits until every peer's sent messages were all handled. */
export function allHandled(ledger: DeliveryLedger, peers: string[], count: number, limitMs = 15_000): Promise<void> {
  return until(() => peers.every((peer) => ledger.handled(peer).length >= count), `${count} messages from ${peers.join(' and ')}`, { withinMs: limitMs });
}
